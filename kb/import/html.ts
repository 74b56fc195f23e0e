import { Parser } from 'htmlparser2';
import { KbImportError } from '../errors.js';
import type { KbDocument } from '../types.js';

// Page furniture repeated on every page: indexing it would make every page match "contact".
const SKIPPED = new Set([
  'script',
  'style',
  'noscript',
  'nav',
  'header',
  'footer',
  'template',
  'svg',
  'form',
  'aside',
]);
const BLOCKS = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'li',
  'ul',
  'ol',
  'table',
  'tr',
  'br',
  'dd',
  'dt',
  'blockquote',
  'pre',
]);

/** Text, title and links of an HTML page. */
export interface HtmlPage {
  title: string | undefined;
  /** Markdown-like text: headings as `#` lines, blocks separated by blank lines. */
  text: string;
  /** `href` values in document order. */
  links: string[];
  /** `<meta name="robots" content="noindex">`. */
  noindex: boolean;
}

/** Reads an HTML page with a forgiving parser (broken markup still yields its text). */
export function readHtml(html: string): HtmlPage {
  const out: string[] = [];
  const links: string[] = [];
  let skipDepth = 0;
  let inTitle = false;
  let title = '';
  let noindex = false;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (SKIPPED.has(name)) skipDepth++;
        if (name === 'title') inTitle = true;
        if (name === 'a' && attrs.href) links.push(attrs.href);
        if (name === 'meta' && attrs.name?.toLowerCase() === 'robots' && /noindex/i.test(attrs.content ?? ''))
          noindex = true;
        if (skipDepth > 0) return;
        const heading = /^h([1-6])$/.exec(name);
        if (heading) out.push(`\n\n${'#'.repeat(Number(heading[1]))} `);
        else if (BLOCKS.has(name)) out.push('\n\n');
      },
      ontext(text) {
        if (inTitle) title += text;
        else if (skipDepth === 0) out.push(text.replace(/\s+/g, ' '));
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
        if (SKIPPED.has(name)) skipDepth = Math.max(0, skipDepth - 1);
        else if (skipDepth === 0 && (BLOCKS.has(name) || /^h[1-6]$/.test(name))) out.push('\n\n');
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  const text = out
    .join('')
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { title: title.trim() || undefined, text, links, noindex };
}

/** An HTML page as a document (title from `<title>`, else the first heading, else the source). */
export function htmlDocument(
  html: string,
  source: string,
  id = source,
  kind: 'html' | 'web' = 'html',
): KbDocument {
  const page = readHtml(html);
  if (!/[\p{L}\p{N}]/u.test(page.text)) throw new KbImportError(source, 'no readable text in the HTML');
  const heading = /^#\s+(.+)$/m.exec(page.text)?.[1]?.trim();
  return { id, kind, title: page.title ?? heading ?? source, source, body: page.text };
}
