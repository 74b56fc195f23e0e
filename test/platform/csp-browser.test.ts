import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminApiPlugin } from '../../server/admin/index.js';
import { HARDENED_SERVER_OPTIONS, registerHttpHardening } from '../../server/http-hardening.js';
import {
  createApiKeyStore,
  createLookupHasher,
  createPrismaAuditWriter,
  deriveLookupKey,
} from '../../server/security/index.js';
import { launchChromium } from '../support/chromium.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

// The Content-Security-Policy in a real browser: the locally bundled Web Chat renders with no
// violation, an injected inline script is blocked, and the OpenAPI UI at /docs still works.

const bundle = join(
  dirname(createRequire(import.meta.url).resolve('botframework-webchat')),
  '..',
  'dist',
  'webchat.js',
);
const boot = readFileSync(resolve(import.meta.dirname, 'fixtures/fake-chat-boot.js'), 'utf8');
const svg =
  '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>';

describe('CSP in Chromium', () => {
  let app: FastifyInstance;
  let browser: Browser;
  let db: TestDatabase;
  let base: string;

  beforeAll(async () => {
    db = await createTestDatabase('pglite');
    app = Fastify(HARDENED_SERVER_OPTIONS);
    await registerHttpHardening(app, { corsOrigins: [] });
    const key = Buffer.alloc(32, 3);
    await app.register(adminApiPlugin, {
      prisma: db.prisma,
      apiKeys: createApiKeyStore(db.prisma),
      audit: createPrismaAuditWriter(db.prisma),
      lookup: createLookupHasher(deriveLookupKey(key)),
      privacy: { exportData: async () => ({}), forget: async () => undefined },
    });
    app.get('/chat', async (_request, reply) =>
      reply.type('text/html')
        .send(`<!doctype html><html><head><meta charset="utf-8"><title>chat</title></head><body>
<div id="webchat" style="height:500px"></div>
<script>window.inlineRan = true;</script>
<script src="/webchat/webchat.js"></script><script src="/boot.js"></script></body></html>`),
    );
    app.get('/webchat/webchat.js', async (_request, reply) =>
      reply.type('application/javascript').send(createReadStream(bundle)),
    );
    app.get('/boot.js', async (_request, reply) => reply.type('application/javascript').send(boot));
    app.get('/product.svg', async (_request, reply) => reply.type('image/svg+xml').send(svg));
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await db?.close();
  });

  const open = async (path: string) => {
    const page = await browser.newPage();
    const violations: string[] = [];
    const errors: string[] = [];
    await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        (window as unknown as { reportViolation(t: string): void }).reportViolation(
          `${event.violatedDirective} ${event.blockedURI}`,
        );
      });
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${base}${path}`);
    return { page, violations, errors };
  };

  it(
    'renders the bundled Web Chat with no violation other than the blocked inline script',
    { timeout: 120_000 },
    async () => {
      const { page, violations, errors } = await open('/chat');
      await page.getByText('Hello from the bot').first().waitFor({ timeout: 60_000 });
      const box = page.getByRole('textbox').first();
      await box.fill('I want a rain jacket');
      await box.press('Enter');
      await page.getByText('I want a rain jacket').last().waitFor({ timeout: 30_000 });
      await page.waitForTimeout(300);
      expect(
        await page.evaluate(() => (window as unknown as { inlineRan?: boolean }).inlineRan),
      ).toBeUndefined();
      expect(violations.filter((v) => !v.startsWith('script-src-elem inline'))).toEqual([]);
      expect(violations.some((v) => v.startsWith('script-src-elem inline'))).toBe(true);
      expect(errors).toEqual([]);
      await page.close();
    },
  );

  it('serves a working OpenAPI UI at /docs under its own policy', { timeout: 120_000 }, async () => {
    const { page, violations, errors } = await open('/docs/');
    await page.getByText('Marketing assistant admin API').first().waitFor({ timeout: 60_000 });
    await page.getByText('/api/admin/v1/products/{sku}').first().waitFor({ timeout: 30_000 });
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
