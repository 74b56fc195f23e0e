// The chat page at "/": web/index.html with the shop's branding, web/ assets under /static/, and
// the official Web Chat bundle served from node_modules (no CDN, works offline).
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Options of the chat page. */
export interface ChatPageOptions {
  brandName: string;
  /** Folder with index.html, chat.js, chat.css; defaults to the repository's web/. */
  webDir?: string;
  /** CSS colour used for accents. */
  accentColor?: string;
}

const repoWeb = resolve(dirname(fileURLToPath(import.meta.url)), '../../web');

/** Path of the prebuilt Web Chat bundle shipped in the botframework-webchat package. */
export function webChatBundlePath(): string {
  const pkg = createRequire(import.meta.url).resolve('botframework-webchat/package.json');
  return join(dirname(pkg), 'dist', 'webchat.js');
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

  app.get('/', async (_req, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html),
  );
  app.get('/webchat/webchat.js', async (_req, reply) =>
    reply
      .type('application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .send(createReadStream(bundle)),
  );
  await app.register(fastifyStatic, { root: webDir, prefix: '/static/', decorateReply: false, index: false });
}
