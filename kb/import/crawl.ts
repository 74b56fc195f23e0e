import robotsModule from 'robots-parser';
import { KbImportError } from '../errors.js';
import type { ImportResult } from './files.js';
import { htmlDocument, readHtml } from './html.js';

// robots-parser is CommonJS whose typings declare an ambient module: its default import is the
// parser function at run time, typed here by what this file uses.
const robotsParser = robotsModule as unknown as (
  url: string,
  text: string,
) => { isAllowed(url: string, userAgent?: string): boolean | undefined };

/** Limits of a crawl of the shop's own site. */
export interface CrawlOptions {
  maxPages: number;
  /** Links followed from the start page (0 = the start page only). */
  maxDepth: number;
  /** Per request. */
  timeoutMs: number;
  /** Largest page read; the body is streamed and cut off there. */
  maxBytes: number;
  userAgent: string;
}

/** Defaults: a help centre is tens of pages. */
export const DEFAULT_CRAWL: CrawlOptions = {
  maxPages: 200,
  maxDepth: 3,
  timeoutMs: 10_000,
  maxBytes: 5 * 1024 * 1024,
  userAgent: 'mkt-kb',
};

/** Reads a response body up to `maxBytes` (streamed: a huge page never sits in memory whole). */
async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel();
      throw new Error(`larger than ${Math.round(maxBytes / 1024)} KB`);
    }
    parts.push(value);
  }
  return Buffer.concat(parts).toString('utf8');
}

async function get(url: string, options: CrawlOptions): Promise<{ url: string; type: string; text: string }> {
  const response = await fetch(url, {
    signal: AbortSignal.timeout(options.timeoutMs),
    headers: { 'user-agent': options.userAgent },
    redirect: 'follow',
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status}`);
  }
  return {
    url: response.url || url,
    type: response.headers.get('content-type') ?? '',
    text: await readCapped(response, options.maxBytes),
  };
}

/**
 * robots.txt as crawlers read it: missing (4xx) allows everything; unreachable (timeout, network
 * error, 5xx) stops the crawl, since the site's rules are unknown.
 */
async function readRobots(url: string, options: CrawlOptions, start: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, {
      signal: AbortSignal.timeout(options.timeoutMs),
      headers: { 'user-agent': options.userAgent },
    });
  } catch (error) {
    throw new KbImportError(
      start,
      `robots.txt could not be read (${(error as Error).name === 'TimeoutError' ? `timed out after ${options.timeoutMs} ms` : (error as Error).message}); not crawling`,
      { cause: error },
    );
  }
  if (response.status >= 400 && response.status < 500) {
    await response.body?.cancel();
    return '';
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new KbImportError(start, `robots.txt answered HTTP ${response.status}; not crawling`);
  }
  return readCapped(response, options.maxBytes).catch((error: unknown) => {
    throw new KbImportError(start, `robots.txt could not be read (${(error as Error).message})`, {
      cause: error,
    });
  });
}

const normalise = (url: URL) => {
  const copy = new URL(url);
  copy.hash = '';
  return copy.href;
};

/** `<loc>` URLs of a sitemap (or sitemap index). */
export function sitemapUrls(xml: string): string[] {
  return [...xml.matchAll(/<loc>\s*([^<\s]+)\s*<\/loc>/gi)].map((m) => m[1]!.replace(/&amp;/g, '&'));
}

/**
 * Crawls the shop's own site from a start page (following same-host links breadth-first) or from a
 * sitemap (`.xml`): robots.txt is respected, pages are capped in number, depth, size and time,
 * each URL is fetched once (so link loops end), and a page that fails is skipped with its reason.
 */
export async function crawlSite(start: string, limits: Partial<CrawlOptions> = {}): Promise<ImportResult> {
  const options = { ...DEFAULT_CRAWL, ...limits };
  let origin: URL;
  try {
    origin = new URL(start);
  } catch (error) {
    throw new KbImportError(start, 'not a valid URL', { cause: error });
  }
  if (origin.protocol !== 'http:' && origin.protocol !== 'https:')
    throw new KbImportError(start, 'only http(s) URLs can be crawled');
  const robotsUrl = new URL('/robots.txt', origin).href;
  const robots = robotsParser(robotsUrl, await readRobots(robotsUrl, options, start));
  const allowed = (url: string) => robots.isAllowed(url, options.userAgent) !== false;
  const result: ImportResult = { documents: [], skipped: [] };
  const queue: Array<{ url: string; depth: number }> = [];
  const seen = new Set<string>();
  const enqueue = (raw: string, base: string, depth: number) => {
    let url: URL;
    try {
      url = new URL(raw, base);
    } catch {
      return;
    }
    if (url.host !== origin.host || (url.protocol !== 'http:' && url.protocol !== 'https:')) return;
    const key = normalise(url);
    if (seen.has(key)) return;
    seen.add(key);
    queue.push({ url: key, depth });
  };
  if (/\.xml($|\?)/i.test(origin.pathname + origin.search)) {
    try {
      const sitemap = await get(origin.href, options);
      for (const loc of sitemapUrls(sitemap.text)) enqueue(loc, origin.href, options.maxDepth);
    } catch (error) {
      throw new KbImportError(start, `cannot read the sitemap (${(error as Error).message})`, {
        cause: error,
      });
    }
  } else enqueue(origin.href, origin.href, 0);
  while (queue.length > 0 && result.documents.length < options.maxPages) {
    const { url, depth } = queue.shift()!;
    if (!allowed(url)) {
      result.skipped.push({ source: url, reason: 'disallowed by robots.txt' });
      continue;
    }
    try {
      const page = await get(url, options);
      if (new URL(page.url).host !== origin.host) throw new Error('redirected to another host');
      if (!/html/i.test(page.type)) throw new Error(`not an HTML page (${page.type || 'no content type'})`);
      const html = readHtml(page.text);
      if (depth < options.maxDepth) for (const link of html.links) enqueue(link, page.url, depth + 1);
      if (html.noindex) continue;
      result.documents.push(htmlDocument(page.text, url, url, 'web'));
    } catch (error) {
      const reason =
        error instanceof KbImportError ? error.message.slice(url.length + 2) : (error as Error).message;
      result.skipped.push({
        source: url,
        reason: (error as Error).name === 'TimeoutError' ? `timed out after ${options.timeoutMs} ms` : reason,
      });
    }
  }
  return result;
}
