import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  calibrateGate,
  faqDocuments,
  KnowledgeBase,
  parseFaq,
  rankQueries,
  type KbDocument,
} from '../../kb/index.js';
import { createUseLiteEncoder, type SentenceEncoder } from '../../nlu/index.js';
import { CLI_TEST_TIMEOUT_MS, runCli } from '../support/cli.js';
import { suiteTempDir } from '../support/temp-dir.js';

const FAQ = `id,question,answer
ship,How long does delivery take?,"Parcels arrive in 2-4 working days within the EU. Express delivery arrives the next working day."
cost,How much is shipping?,"Standard shipping costs 4.90 EUR. Orders over 50 EUR ship free."
return,How do I return an item?,"You can return items within 30 days. Print the free return label from your account and drop the parcel at any post office."
pay,Which payment methods do you accept?,"We accept Visa, Mastercard, PayPal and bank transfer."
hours,When are you open?,"Our shop in Lyon is open Monday to Saturday from 9:00 to 19:00."
warranty,Is there a warranty?,"Every product has a two-year warranty against manufacturing defects."
`;

const page: KbDocument = {
  id: 'care.md',
  kind: 'markdown',
  title: 'Sizing and care',
  source: 'help/care.md',
  body: '# Sizing and care\n\n## Washing\n\nWash wool jumpers by hand in cold water and dry them flat.\n\n## Sizes\n\nOur sizes run small: order one size up if you are between two sizes.',
};

describe('KnowledgeBase (USE-lite, real indexes)', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  let encoder: SentenceEncoder;
  let kb: KnowledgeBase;
  const tmp = suiteTempDir('kb-test-');

  beforeAll(async () => {
    encoder = await createUseLiteEncoder();
    kb = await KnowledgeBase.build(encoder, [...faqDocuments(parseFaq(FAQ, 'faq.csv'), 'faq.csv'), page]);
  });
  afterAll(() => encoder.dispose());

  it('ranks the answering entry first for paraphrases (question and passage matched)', async () => {
    const cases: Array<[string, string]> = [
      ['when will my parcel arrive', 'faq:ship'],
      ['what are the shipping fees', 'faq:cost'],
      ['can I send something back', 'faq:return'],
      ['do you take paypal', 'faq:pay'],
      ['opening hours of the store', 'faq:hours'],
      ['how should I wash my wool sweater', 'care.md'],
    ];
    for (const [query, docId] of cases) {
      const hits = await kb.search(query, 3);
      expect(hits[0]?.docId, query).toBe(docId);
    }
  });

  it('answers with the trimmed passage and its source title', async () => {
    const answer = await kb.answer('do you take paypal');
    expect(answer.answered).toBe(true);
    if (!answer.answered) return;
    expect(answer.text).toContain('PayPal');
    expect(answer.title).toBe('Which payment methods do you accept?');
    expect(answer.source).toBe('faq.csv');
  });

  it('refuses below a gate calibrated on held-out questions', async () => {
    const heldOut = [
      { query: 'how many days until my order is delivered', docId: 'faq:ship' },
      { query: 'is delivery free', docId: 'faq:cost' },
      { query: 'I want my money back for a jumper', docId: 'faq:return' },
      { query: 'can I pay by card', docId: 'faq:pay' },
      { query: 'are you open on sunday', docId: 'faq:hours' },
      { query: 'what if it breaks after a year', docId: 'faq:warranty' },
      { query: 'which size should I pick', docId: 'care.md' },
      { query: 'do you sell gift cards for weddings', docId: 'none' },
      { query: 'what is the capital of peru', docId: 'none' },
      { query: 'tell me a joke about cats', docId: 'none' },
    ];
    const outcomes = await rankQueries(kb, heldOut);
    kb.gate = calibrateGate(
      outcomes.map((o) => ({ confidence: o.confidence, correct: o.rank === 0 })),
      0.5,
    );
    expect(kb.gate.calibratedOn).toBe(10);
    const offTopic = await kb.answer('what is the capital of peru');
    expect(offTopic.answered).toBe(false);
  });

  it('`mkt kb eval` prints the contract JSON for an FAQ and a query file', async () => {
    await writeFile(tmp.join('faq.csv'), FAQ);
    await writeFile(
      tmp.join('queries.csv'),
      'query,id\n"when will my parcel arrive",ship\n"what are the shipping fees",cost\n"can I send something back",return\n"do you take paypal",pay\n',
    );
    const run = await runCli([
      'kb',
      'eval',
      '--faq',
      tmp.join('faq.csv'),
      '--queries',
      tmp.join('queries.csv'),
      '--json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, number>;
    for (const key of [
      'hitAt1',
      'hitAt5',
      'mrr',
      'ndcgAt10',
      'n',
      'p50Ms',
      'p95Ms',
      'answeredRate',
      'precisionWhenAnswered',
    ])
      expect(typeof report[key], key).toBe('number');
    expect(report.n).toBe(4);
    expect(report.hitAt1).toBe(1);
  });

  it('`mkt kb eval` names the file and the problem for bad input', async () => {
    await writeFile(tmp.join('bad.csv'), 'id,question\n1,Q\n');
    const run = await runCli(['kb', 'eval', '--faq', tmp.join('bad.csv'), '--queries', tmp.join('bad.csv')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/bad\.csv: missing column\(s\) answer/);
  });
});
