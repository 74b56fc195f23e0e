import { describe, expect, it } from 'vitest';
import {
  calibrateGate,
  chunkDocument,
  extractAnswer,
  fuse,
  KbImportError,
  parseEvalQueries,
  parseFaq,
  summarise,
  type KbDocument,
} from '../../kb/index.js';

const page: KbDocument = {
  id: 'shipping.md',
  kind: 'markdown',
  title: 'Shipping',
  source: 'help/shipping.md',
  body: [
    '# Shipping',
    '',
    'We ship to 27 countries.',
    '',
    '## Costs',
    '',
    'Standard delivery costs 4.90 EUR. Orders over 50 EUR ship free.',
    '',
    '## Times',
    '',
    'Parcels arrive in 2-4 working days.',
  ].join('\n'),
};

describe('chunkDocument', () => {
  it('splits pages by heading and keeps the heading path with each chunk', () => {
    const chunks = chunkDocument(page);
    expect(chunks.map((c) => c.heading)).toEqual(['Shipping', 'Shipping > Costs', 'Shipping > Times']);
    expect(chunks[1]!.text).toBe('Standard delivery costs 4.90 EUR. Orders over 50 EUR ship free.');
    expect(new Set(chunks.map((c) => c.id)).size).toBe(3);
  });

  it('packs long sections into bounded chunks that overlap by their last sentence', () => {
    const sentences = Array.from({ length: 30 }, (_, i) => `Sentence number ${i} says something useful.`);
    const chunks = chunkDocument({ ...page, body: sentences.join(' ') }, { maxChars: 200, overlapChars: 60 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) expect(c.text.length).toBeLessThanOrEqual(200);
    for (let i = 1; i < chunks.length; i++) {
      const lastOfPrevious = chunks[i - 1]!.text.split('. ').at(-1)!;
      expect(chunks[i]!.text.startsWith(lastOfPrevious.replace(/\.$/, ''))).toBe(true);
    }
    // every sentence is somewhere
    for (const s of sentences) expect(chunks.some((c) => c.text.includes(s))).toBe(true);
  });

  it('files FAQ answers under their question', () => {
    const chunks = chunkDocument({
      id: 'faq:1',
      kind: 'faq',
      title: 'Q?',
      source: 's',
      question: 'Q?',
      body: 'A.',
    });
    expect(chunks).toEqual([{ id: 'faq:1#0', docId: 'faq:1', heading: 'Q?', text: 'A.' }]);
  });
});

describe('fuse', () => {
  it('sums per-channel z-scores with weights', () => {
    const m = {
      question: { mean: 0.2, sd: 0.1 },
      passage: { mean: 0.1, sd: 0.1 },
      lexical: { mean: 1, sd: 2 },
    };
    expect(fuse({ question: 0.4, passage: 0.1, lexical: 5 }, m)).toBeCloseTo(2 + 0 + 2);
    expect(
      fuse({ question: 0.4, passage: 0.1, lexical: 5 }, m, { question: 0.5, passage: 1, lexical: 0 }),
    ).toBeCloseTo(1);
  });
});

describe('calibrateGate', () => {
  it('picks the lowest threshold whose answered rows reach the precision with 95 % confidence', () => {
    // 60 confident right answers, then alternating right/wrong below
    const rows = [
      ...Array.from({ length: 60 }, (_, i) => ({ confidence: 10 - i * 0.01, correct: true })),
      ...Array.from({ length: 40 }, (_, i) => ({ confidence: 5 - i * 0.01, correct: i % 2 === 0 })),
    ];
    const gate = calibrateGate(rows, 0.9);
    expect(gate.threshold).toBeGreaterThan(4);
    expect(gate.precision).toBeGreaterThanOrEqual(0.9);
    expect(gate.answeredRate).toBeGreaterThanOrEqual(0.6);
    expect(gate.calibratedOn).toBe(100);
  });

  it('with uncovered rows, holds the precision of the answers and the refusal of the uncovered each on its own rows', () => {
    // 100 answerable questions: 80 right (confidence 9 down to 5.05), 20 wrong far below; 200
    // asked with their document missing: 10 as confident as the best right answers, 190 low.
    const answerable = [
      ...Array.from({ length: 80 }, (_, i) => ({ confidence: 9 - i * 0.05, correct: true })),
      ...Array.from({ length: 20 }, (_, i) => ({ confidence: -1 - i * 0.05, correct: false })),
    ];
    const uncovered = Array.from({ length: 200 }, (_, i) => ({
      confidence: i < 10 ? 8.5 : 1 - i * 0.001,
      correct: false,
      uncovered: true,
    }));
    const gate = calibrateGate([...answerable, ...uncovered], 0.9, 0.9);
    // Every right answer is given: 190 of 200 uncovered questions refused clears 0.90.
    expect(gate.answeredRate).toBe(0.8);
    expect(gate.precision).toBe(1);
    expect(gate.refusedUncovered).toBe(0.95);
    expect(gate.targetRefusal).toBe(0.9);
    expect(gate.calibratedOn).toBe(300);
    // Pooled as wrong answers, the ten confident uncovered rows cap the precision of all 90 above
    // 5 at 80/90: only the right answers above them are given.
    const pooled = calibrateGate(
      [...answerable, ...uncovered].map(({ confidence, correct }) => ({ confidence, correct })),
      0.9,
    );
    expect(pooled.threshold).toBeGreaterThan(8.5);
    expect(pooled.refusedUncovered).toBeUndefined();
    // With 30 confident uncovered rows the refusal (170 of 200) binds: the threshold rises above them.
    const strict = calibrateGate(
      [...answerable, ...uncovered.map((r, i) => (i < 30 ? { ...r, confidence: 8.5 } : r))],
      0.9,
      0.9,
    );
    expect(strict.threshold).toBeGreaterThan(8.5);
    expect(strict.refusedUncovered).toBe(1);
    expect(strict.answeredRate).toBe(0.1);
  });

  it('answers nothing when no threshold reaches the precision', () => {
    const gate = calibrateGate(
      [
        { confidence: 1, correct: false },
        { confidence: 0.5, correct: false },
      ],
      0.9,
    );
    expect(gate.answeredRate).toBe(0);
    expect(gate.threshold).toBeGreaterThan(1);
  });
});

describe('extractAnswer', () => {
  it('returns short passages whole and trims long ones to the sentences that answer', () => {
    expect(extractAnswer('how much is shipping', 'Shipping is 4.90 EUR.')).toBe('Shipping is 4.90 EUR.');
    const filler = 'Our team loves coffee and long walks in the park every single day of the week. '.repeat(
      6,
    );
    const passage = `${filler}Returns are free within 30 days. Print the label from your account.`;
    const out = extractAnswer('are returns free', passage, 120);
    expect(out.startsWith('Returns are free within 30 days.')).toBe(true);
    expect(out.length).toBeLessThanOrEqual(120);
  });
});

describe('parseFaq', () => {
  it('reads quoted CSV and JSON', () => {
    const csv = 'id,question,answer\n"1","How, when?","Soon, ""really"""\n2,Q2,A2\n';
    expect(parseFaq(csv, 'faq.csv')).toEqual([
      { id: '1', question: 'How, when?', answer: 'Soon, "really"' },
      { id: '2', question: 'Q2', answer: 'A2' },
    ]);
    expect(
      parseFaq('[{"id":"a","question":"Q","answer":"A","questions":["Q too"]}]', 'f.json')[0]!.questions,
    ).toEqual(['Q too']);
  });

  it('rejects missing columns, empty fields and duplicate ids with the file name', () => {
    expect(() => parseFaq('id,question\n1,Q\n', 'bad.csv')).toThrow(/bad\.csv: missing column\(s\) answer/);
    expect(() => parseFaq('id,question,answer\n1,Q,A\n1,Q2,A2\n', 'dup.csv')).toThrow(
      /dup\.csv: duplicate id\(s\): 1/,
    );
    expect(() => parseFaq('id,question,answer\n1,,A\n', 'empty.csv')).toThrow(
      /row 2: question empty question/,
    );
    expect(() => parseFaq('{not json', 'x.json')).toThrow(KbImportError);
    expect(() => parseEvalQueries('query\nq\n', 'q.csv')).toThrow(/missing column\(s\) id/);
  });
});

describe('summarise', () => {
  it('computes hit@k, MRR and NDCG@10 from ranks', () => {
    const queries = [
      { query: 'a', docId: 'x' },
      { query: 'b', docId: 'y' },
    ];
    const report = summarise(queries, [
      { rank: 0, confidence: 3, ms: 1 },
      { rank: 1, confidence: 1, ms: 3 },
    ]);
    expect(report.hitAt1).toBe(0.5);
    expect(report.hitAt5).toBe(1);
    expect(report.mrr).toBeCloseTo(0.75);
    expect(report.ndcgAt10).toBeCloseTo((1 + 1 / Math.log2(3)) / 2);
    expect(report.p95Ms).toBe(3);
  });

  it('calibrates the gate also on the queries asked without their document, and reports their refusal', () => {
    // Forty documents, one query each, always ranked right; asked without its document, a query's
    // margin is as high as the answerable ones' for the first ten.
    const queries = Array.from({ length: 40 }, (_, i) => ({ query: `q${i}`, docId: `doc${i}` }));
    const outcomes = queries.map((_, i) => ({
      rank: 0,
      confidence: 5 + (i % 10) / 10,
      uncoveredConfidence: i < 10 ? 6 : 1,
      ms: 1,
    }));
    const answerableOnly = summarise(
      queries,
      outcomes.map(({ uncoveredConfidence: _u, ...o }) => o),
    );
    expect(answerableOnly.answeredRate).toBe(1);
    expect(answerableOnly.refusedWhenUncovered).toBeUndefined();
    const withUncovered = summarise(queries, outcomes);
    // The threshold rises above the uncovered margins of 6: every uncovered query is refused, and
    // so are the answerable ones below it.
    expect(withUncovered.refusedWhenUncovered).toBe(1);
    expect(withUncovered.answeredRate).toBe(0);
    expect(withUncovered.gate.method).toMatch(/uncovered/);
    // Beside it, the gate calibrated on the answerable queries alone.
    expect(withUncovered.answerableOnly).toEqual({ answeredRate: 1, precisionWhenAnswered: 1 });
  });
});
