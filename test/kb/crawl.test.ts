import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlSite } from '../../kb/index.js';

const page = (title: string, body: string) =>
  `<!doctype html><html><head><title>${title}</title></head><body>${body}</body></html>`;

// A small shop site: a link loop (a <-> b), robots.txt hiding /private, a page that never answers,
// a noindex page, a link to another host, a PDF link and a sitemap.
const PAGES: Record<string, { type?: string; body: string; stall?: boolean }> = {
  '/robots.txt': { type: 'text/plain', body: 'User-agent: *\nDisallow: /private\n' },
  '/': {
    body: page(
      'Help',
      '<h1>Help centre</h1><p>Find answers.</p><a href="/a">A</a> <a href="/private/x">P</a> <a href="http://other.example/">ext</a> <a href="/slow">slow</a> <a href="/hidden">hidden</a> <a href="/file.bin">bin</a>',
    ),
  },
  '/a': {
    body: page(
      'Shipping',
      '<h1>Shipping</h1><p>We ship in 2 days.</p><a href="/b">B</a><a href="/#top">home</a>',
    ),
  },
  '/b': {
    body: page('Returns', '<h1>Returns</h1><p>Returns are free.</p><a href="/a">A</a><a href="/c">C</a>'),
  },
  '/c': { body: page('Deep', '<p>Three links deep.</p><a href="/d">D</a>') },
  '/d': { body: page('Deeper', '<p>Four links deep.</p>') },
  '/private/x': { body: page('Private', '<p>secret</p>') },
  '/slow': { body: '', stall: true },
  '/hidden': {
    body: '<html><head><meta name="robots" content="noindex"><title>Hidden</title></head><body><p>x</p></body></html>',
  },
  '/file.bin': { type: 'application/octet-stream', body: 'binary' },
  '/sitemap.xml': {
    type: 'application/xml',
    body: '<urlset><url><loc>BASE/a</loc></url><url><loc>BASE/b</loc></url><url><loc>BASE/private/x</loc></url></urlset>',
  },
};

describe('crawlSite (local static server)', () => {
  let server: Server;
  let base = '';
  const requested: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      requested.push(req.url ?? '');
      const entry = PAGES[req.url ?? ''];
      if (!entry) {
        res.writeHead(404).end('not found');
        return;
      }
      if (entry.stall) return; // never answers: the crawl must time out
      res.writeHead(200, { 'content-type': entry.type ?? 'text/html; charset=utf-8' });
      res.end(entry.body.replaceAll('BASE', base));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('follows same-host links once each, respects robots.txt, depth and timeouts, and says why pages were skipped', async () => {
    requested.length = 0;
    const result = await crawlSite(`${base}/`, { maxDepth: 3, timeoutMs: 1500 });
    const urls = result.documents.map((d) => d.id).sort();
    expect(urls).toEqual([`${base}/`, `${base}/a`, `${base}/b`, `${base}/c`].sort());
    expect(result.documents.find((d) => d.id === `${base}/a`)).toMatchObject({
      kind: 'web',
      title: 'Shipping',
      source: `${base}/a`,
    });
    const reasons = Object.fromEntries(result.skipped.map((s) => [s.source.replace(base, ''), s.reason]));
    expect(reasons['/private/x']).toBe('disallowed by robots.txt');
    expect(reasons['/slow']).toBe('timed out after 1500 ms');
    expect(reasons['/file.bin']).toMatch(/not an HTML page/);
    expect(requested).not.toContain('/private/x');
    expect(requested).not.toContain('/d'); // depth 4
    expect(requested.filter((u) => u === '/a')).toHaveLength(1); // the a <-> b loop ends
  });

  it('stops at the page limit and reads a sitemap', async () => {
    expect((await crawlSite(`${base}/`, { maxPages: 2, timeoutMs: 1500 })).documents).toHaveLength(2);
    const fromSitemap = await crawlSite(`${base}/sitemap.xml`, { timeoutMs: 1500 });
    expect(fromSitemap.documents.map((d) => d.title).sort()).toEqual(['Returns', 'Shipping']);
    expect(fromSitemap.skipped.map((s) => s.reason)).toEqual(['disallowed by robots.txt']);
  });

  it('does not crawl when robots.txt cannot be read, and crawls everything when it is missing', async () => {
    PAGES['/robots.txt'] = { body: '', stall: true };
    await expect(crawlSite(`${base}/`, { timeoutMs: 500 })).rejects.toThrow(
      /robots.txt could not be read \(timed out after 500 ms\); not crawling/,
    );
    delete PAGES['/robots.txt'];
    const open = await crawlSite(`${base}/`, { timeoutMs: 500, maxDepth: 1 });
    expect(open.documents.map((d) => d.title)).toContain('Private');
  });

  it('rejects a start address that is not http(s)', async () => {
    await expect(crawlSite('ftp://example.com/')).rejects.toThrow(/only http\(s\) URLs/);
  });
});
