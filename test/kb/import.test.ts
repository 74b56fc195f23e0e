import { mkdir, truncate, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  importPath,
  KbService,
  MAX_ALT_QUESTIONS,
  MemoryKbStore,
  planSync,
  documentHash,
  withKeptPhrasings,
  type KbDocument,
  type KeptPhrasing,
} from '../../kb/index.js';
import type { SentenceEncoder } from '../../nlu/index.js';
import { suiteTempDir } from '../support/temp-dir.js';
import { tinyPdf } from './pdf-fixture.js';

describe('importPath', () => {
  const tmp = suiteTempDir('kb-import-');

  it('reads Markdown, HTML, PDF and FAQ files of a folder and skips bad ones with a per-file reason', async () => {
    const dir = tmp.join('help');
    await mkdir(`${dir}/sub`, { recursive: true });
    await writeFile(
      `${dir}/shipping.md`,
      '---\ntitle: Shipping\nurl: https://shop.example/help/shipping\nquestions:\n  - how long does delivery take\n---\n# Shipping\n\nWe ship to [27 countries](https://x).\n\n## Costs\n\n**4.90 EUR**, free over 50 EUR.\n',
    );
    await writeFile(
      `${dir}/sub/returns.html`,
      '<html><head><title>Returns</title><script>var x = "secret"</script></head><body><nav>Home | Shop</nav><h1>Returns</h1><p>Returns are free within <b>30 days</b>.<p>Unclosed paragraph about exchanges</div></body>',
    );
    await writeFile(
      `${dir}/warranty.pdf`,
      tinyPdf(['Warranty', 'Every product has a two-year warranty.'], 'Warranty terms'),
    );
    await writeFile(`${dir}/scan.pdf`, tinyPdf([]));
    await writeFile(`${dir}/faq.csv`, 'id,question,answer\n1,Do you ship to Norway?,"Yes, in 5 days."\n');
    await writeFile(`${dir}/dup.csv`, 'id,question,answer\n1,Q,A\n1,Q2,A2\n');
    await writeFile(`${dir}/cols.csv`, 'id,question\n1,Q\n');
    await writeFile(`${dir}/empty.html`, '<html><body><script>only()</script></body></html>');
    await writeFile(`${dir}/huge.md`, '');
    await truncate(`${dir}/huge.md`, 200 * 1024 * 1024); // sparse: 200 MB on paper, nothing on disk
    await writeFile(`${dir}/notes.txt`, 'ignored: not a supported extension');

    const result = await importPath(dir);
    const byId = new Map(result.documents.map((d) => [d.id, d]));
    expect([...byId.keys()].sort()).toEqual(['faq:1', 'shipping.md', 'sub/returns.html', 'warranty.pdf']);
    const md = byId.get('shipping.md')!;
    expect(md).toMatchObject({
      kind: 'markdown',
      title: 'Shipping',
      source: 'https://shop.example/help/shipping',
      altQuestions: ['how long does delivery take'],
    });
    expect(md.body).toContain('We ship to 27 countries.');
    expect(md.body).not.toContain('**');
    const html = byId.get('sub/returns.html')!;
    expect(html.title).toBe('Returns');
    expect(html.body).toContain('Returns are free within 30 days.');
    expect(html.body).toContain('Unclosed paragraph about exchanges');
    expect(html.body).not.toMatch(/secret|Home \| Shop/);
    expect(byId.get('warranty.pdf')).toMatchObject({ kind: 'pdf', title: 'Warranty terms' });
    expect(byId.get('warranty.pdf')!.body).toContain('two-year warranty');
    expect(byId.get('faq:1')).toMatchObject({
      kind: 'faq',
      question: 'Do you ship to Norway?',
      source: 'faq.csv',
    });

    const reasons = Object.fromEntries(result.skipped.map((s) => [s.source, s.reason]));
    expect(reasons['scan.pdf']).toMatch(/no text layer/);
    expect(reasons['dup.csv']).toMatch(/duplicate id\(s\): 1/);
    expect(reasons['cols.csv']).toMatch(/missing column\(s\) answer/);
    expect(reasons['empty.html']).toMatch(/no readable text/);
    expect(reasons['huge.md']).toMatch(/200 MB, the limit is 20 MB/);
    expect(Object.keys(reasons)).toHaveLength(5);
  });
});

describe('planSync (re-import)', () => {
  const doc = (id: string, body: string, source = id): KbDocument => ({
    id,
    kind: 'markdown',
    title: id,
    source,
    body,
  });

  it('adds new, versions changed, removes vanished documents of the same origin only, and keeps those whose file failed', async () => {
    const store = new MemoryKbStore();
    const first = planSync([], [doc('a', 'A'), doc('b', 'B'), doc('c', 'C')], 'help');
    expect(first).toMatchObject({ added: 3, updated: 0, remove: [] });
    await store.apply(first);
    await store.apply(planSync(await store.listDocuments(), [doc('x', 'X')], 'other'));
    const second = planSync(await store.listDocuments(), [doc('a', 'A'), doc('b', 'B2')], 'help', [
      { source: 'c', reason: 'broken' },
    ]);
    expect(second).toMatchObject({ added: 0, updated: 1, unchanged: 1, remove: [] });
    expect(second.upsert[0]).toMatchObject({ id: 'b', version: 2, hash: documentHash(doc('b', 'B2')) });
    await store.apply(second);
    const third = planSync(await store.listDocuments(), [doc('a', 'A')], 'help');
    expect(third.remove.sort()).toEqual(['b', 'c']);
    await store.apply(third);
    expect((await store.listDocuments()).map((d) => d.id).sort()).toEqual(['a', 'x']);
    expect(await store.version()).toBe(4);
  });
});

describe('phrasings reviewers added (re-import)', () => {
  const faq = (id: string, body: string, altQuestions?: string[]): KbDocument => ({
    id,
    kind: 'faq',
    title: `${id}?`,
    source: 'faq.json',
    question: `${id}?`,
    body,
    ...(altQuestions ? { altQuestions } : {}),
  });
  // Syncing stores documents; nothing is embedded.
  const noEncoder: SentenceEncoder = {
    id: 'none',
    dims: 0,
    embed: () => Promise.reject(new Error('not used')),
    dispose: async () => {},
  };

  it('a re-import of the source keeps them after its own, once each, and leaves other documents as they are', async () => {
    let kept: KeptPhrasing[] = [];
    const service = new KbService(new MemoryKbStore(), noEncoder, { keptPhrasings: async () => kept });
    await service.sync('faq.json', [
      faq('returns', 'Within 30 days.', ['send it back']),
      faq('gifts', 'Yes.'),
    ]);
    // What "answer with this entry" does: the message joins the entry's phrasings (server/review).
    kept = [
      { documentId: 'returns', text: 'can i return shoes' },
      { documentId: 'returns', text: 'send it back' },
      { documentId: 'returns', text: 'returns?' },
      { documentId: 'gone', text: 'an entry no longer imported' },
    ];
    const report = await service.sync('faq.json', [
      faq('returns', 'Within 60 days.', ['send it back']),
      faq('gifts', 'Yes.'),
    ]);
    expect(report).toMatchObject({ updated: 1, unchanged: 1, added: 0, removed: 0 });
    const byId = new Map((await service.list()).map((d) => [d.id, d]));
    expect(byId.get('returns')).toMatchObject({
      body: 'Within 60 days.',
      altQuestions: ['send it back', 'can i return shoes'],
    });
    expect(byId.get('gifts')?.altQuestions).toBeUndefined();
    // Unchanged import, same phrasings: nothing to write.
    expect(
      await service.sync('faq.json', [
        faq('returns', 'Within 60 days.', ['send it back']),
        faq('gifts', 'Yes.'),
      ]),
    ).toMatchObject({ updated: 0, unchanged: 2 });
  });

  it('fills a document up to the phrasings it holds and returns untouched documents as they are', () => {
    const own = Array.from({ length: MAX_ALT_QUESTIONS - 2 }, (_, i) => `own ${i}`);
    const doc = faq('returns', 'x', own);
    const other = faq('gifts', 'y');
    const kept = Array.from({ length: 5 }, (_, i) => ({ documentId: 'returns', text: `reviewed ${i}` }));
    const [merged, untouched] = withKeptPhrasings([doc, other], kept);
    expect(merged!.altQuestions).toEqual([...own, 'reviewed 0', 'reviewed 1']);
    expect(untouched).toBe(other);
  });
});
