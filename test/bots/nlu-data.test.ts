import { describe, expect, it } from 'vitest';
import { INTENT_ROUTES } from '../../bots/dialog/intent-routes.js';
import { Responses } from '../../bots/dialog/responses.js';
import { loadTrainingData, parseAnnotated } from '../../bots/nlu-data/index.js';
import { MARKETER_INTENTS } from '../../bots/marketer/understand.js';

describe('shipped NLU training data', () => {
  it('strips entity markup and keeps the spans', () => {
    const r = parseAnnotated(
      'I need a [warm]{"entity": "attribute", "value": "warm"} jacket [under 100](price)',
    );
    expect(r.text).toBe('I need a warm jacket under 100');
    expect(r.entities).toEqual([
      { type: 'attribute', value: 'warm', start: 9, end: 13 },
      { type: 'price', value: 'under 100', start: 21, end: 30 },
    ]);
    expect(r.text.slice(21, 30)).toBe('under 100');
  });

  it('every customer intent is handled: by a route of its own or by a response of the same name', async () => {
    const data = await loadTrainingData('customer');
    const responses = Responses.load('Shop');
    const unhandled = [...new Set(data.map((e) => e.intent))].filter(
      (i) => !Object.hasOwn(INTENT_ROUTES, i) && !responses.has(i),
    );
    expect(unhandled).toEqual([]);
    // Routes reached only through buttons need no training examples.
    const buttonOnly = new Set(['survey_list']);
    const trained = new Set(data.map((e) => e.intent));
    expect(Object.keys(INTENT_ROUTES).filter((i) => !trained.has(i) && !buttonOnly.has(i))).toEqual([]);
  });

  it.each([
    ['customer', null],
    ['marketer', MARKETER_INTENTS],
  ] as const)(
    '%s data has every intent the dialog handles, 30+ distinct examples each, with entities',
    async (domain, intents) => {
      const data = await loadTrainingData(domain);
      const byIntent = new Map<string, number>();
      for (const e of data) byIntent.set(e.intent, (byIntent.get(e.intent) ?? 0) + 1);
      if (intents) expect([...byIntent.keys()].sort()).toEqual([...intents].sort());
      for (const [intent, n] of byIntent) expect(n, intent).toBeGreaterThanOrEqual(30);
      expect(data.filter((e) => e.entities.length > 0).length).toBeGreaterThan(40);
      for (const e of data) expect(e.text).not.toMatch(/[[\]{}]/);
    },
  );
});
