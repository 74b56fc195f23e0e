// The chat page at "/": web/index.html with the shop's branding, web/ assets under /static/, and
// the official Web Chat bundle served from node_modules (no CDN, works offline).
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** Options of the chat page. */
export interface ChatPageOptions {
  brandName: string;
  /** Folder with index.html, chat.js, chat.css; defaults to the repository's web/. */
  webDir?: string;
  /** CSS colour used for accents. */
  accentColor?: string;
}

/** Query of /product-image: one optional label, nothing else ("?label=a&label=b" is an array: 400). */
const ZProductImageQuery = z.object({ label: z.string().max(200).optional() }).strict();
/** Query of the page and the bundle, ignored on purpose: campaign links (utm_*) and cache busters. */
const ZIgnoredQuery = z.object({});

const repoWeb = resolve(dirname(fileURLToPath(import.meta.url)), '../../../web');

/** Path of the prebuilt Web Chat bundle shipped in the botframework-webchat package. */
export function webChatBundlePath(): string {
  // The package exports only "." (lib/index.js), so the bundle is found beside it.
  const main = createRequire(import.meta.url).resolve('botframework-webchat');
  return join(dirname(main), '..', 'dist', 'webchat.js');
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Registers "/", "/static/*" and "/webchat/webchat.js". */
export async function chatPagePlugin(app: FastifyInstance, options: ChatPageOptions): Promise<void> {
  const webDir = options.webDir ?? repoWeb;
  const template = await readFile(join(webDir, 'index.html'), 'utf8');
  const config = JSON.stringify({
    brandName: options.brandName,
    accentColor: options.accentColor ?? '#0f6e56',
  }).replace(/</g, '\\u003c');
  const html = template
    .replaceAll('{{BRAND_NAME}}', escapeHtml(options.brandName))
    .replace('{{CONFIG_JSON}}', config);
  const bundle = webChatBundlePath();

  // Queries are zod schemas in the route options (the server refuses a GET route without one).
  app.setValidatorCompiler(validatorCompiler);
  const ignoredQuery = { schema: { querystring: ZIgnoredQuery } };
  app.get('/', ignoredQuery, async (_req, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html),
  );
  app.get('/webchat/webchat.js', ignoredQuery, async (_req, reply) =>
    reply
      .type('application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .send(createReadStream(bundle)),
  );
  app.get<{ Params: { sku: string }; Querystring: z.infer<typeof ZProductImageQuery> }>(
    '/product-image/:sku',
    { schema: { querystring: ZProductImageQuery } },
    async (req, reply) =>
      reply
        .type('image/svg+xml')
        .header('cache-control', 'public, max-age=86400')
        .send(productImageSvg(req.params.sku.replace(/\.svg$/, ''), req.query.label ?? '')),
  );
  await app.register(fastifyStatic, { root: webDir, prefix: '/static/', decorateReply: false, index: false });
}

/** A placeholder product picture (the demo catalog has no photos): the category on a colour from the SKU. */
export function productImageSvg(sku: string, label: string): string {
  let h = 0;
  for (const c of sku) h = (h * 31 + c.charCodeAt(0)) % 360;
  const text = escapeHtml(label.slice(0, 28) || sku.slice(0, 28));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="300" viewBox="0 0 480 300">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${h},45%,62%)"/><stop offset="1" stop-color="hsl(${(h + 40) % 360},50%,38%)"/></linearGradient></defs>
<rect width="480" height="300" fill="url(#g)"/><circle cx="400" cy="70" r="90" fill="rgba(255,255,255,0.12)"/>
<text x="32" y="250" font-family="sans-serif" font-size="30" font-weight="bold" fill="#fff">${text}</text>
<text x="32" y="282" font-family="monospace" font-size="16" fill="rgba(255,255,255,0.8)">${escapeHtml(sku.slice(0, 40))}</text></svg>`;
}
