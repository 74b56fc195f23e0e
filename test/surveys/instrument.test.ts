import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  InstrumentInvalidError,
  instrumentJsonSchema,
  loadInstrumentFile,
  loadShippedInstruments,
  validateInstrument,
  validateInstrumentText,
  type Instrument,
} from '../../surveys/index.js';

const minimal = () => ({
  id: 'demo',
  title: 'Demo',
  source: { name: 'test' },
  licence: 'MIT',
  responseScales: { agree5: { min: 1, max: 5, labels: ['SD', 'D', 'N', 'A', 'SA'] } },
  traits: { warmth: { label: 'Warmth' } },
  items: [
    { id: 'q1', type: 'likert', text: 'I am warm.', scale: 'agree5', trait: 'warmth' },
    { id: 'q2', type: 'likert', text: 'I am cold.', scale: 'agree5', trait: 'warmth', reverse: true },
    {
      id: 'rec',
      type: 'nps',
      text: 'Recommend?',
      branch: [{ if: { item: 'rec', op: 'gte', value: 9 }, goto: 'end' }],
    },
    { id: 'why', type: 'text', text: 'Why?', required: false },
  ],
});

describe('instrument format', () => {
  it('accepts a well-formed instrument and applies defaults', () => {
    const r = validateInstrument(minimal());
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.instrument.version).toBe(1);
      expect(r.instrument.items[0]).toMatchObject({ required: true, reverse: false });
    }
  });

  it('reports every cross-field problem with its path', () => {
    const bad = minimal() as Record<string, unknown> & { items: Record<string, unknown>[] };
    bad.items[0]!.scale = 'agree7';
    bad.items[1]!.trait = undefined;
    bad.items[2]!.branch = [
      { if: { item: 'rec', op: 'gte', value: 9 }, goto: 'nowhere' },
      { if: { item: 'why', op: 'answered' }, goto: 'q1' },
    ];
    bad.items.push({ id: 'q1', type: 'text', text: 'dup' });
    bad.responseScales = { agree5: { min: 5, max: 1, labels: ['a'] } };
    const r = validateInstrument(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'responseScales.agree5.max',
        'responseScales.agree5.labels',
        'items[0].scale',
        'items[1].reverse',
        'items[2].branch[0].goto',
        'items[2].branch[1].if.item',
        'items[2].branch[1].goto',
        'items[4].id',
      ]),
    );
    expect(r.issues.find((i) => i.path === 'items[2].branch[0].goto')?.message).toMatch(/does not exist/);
  });

  it('reports structural and cross-field problems in one pass', () => {
    const bad = minimal() as Record<string, unknown> & { items: Record<string, unknown>[] };
    bad.items[3]!.type = 'essay';
    bad.items[2]!.branch = [{ if: { item: 'rec', op: 'gte', value: 9 }, goto: 'missing' }];
    const r = validateInstrument(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['items[3].type', 'items[2].branch[0].goto']),
    );
  });

  it('rejects randomisation combined with branching, and conditions on later items', () => {
    const bad = minimal();
    (bad as Record<string, unknown>).randomize = true;
    bad.items[0] = { ...bad.items[0]!, showIf: { item: 'why', op: 'answered' } } as never;
    const r = validateInstrument(bad);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.issues.map((i) => i.path)).toEqual(
        expect.arrayContaining(['randomize', 'items[0].showIf.item']),
      );
  });

  it('gives YAML problems a line number and loads nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'inst-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'id: demo\ntitle: Demo\nsource: { name: t }\nlicence: MIT\nitems:\n  - id: q1\n    type: nps\n    text: Hi\n    branch:\n      - if: { item: q1, op: gte, value: 9 }\n        goto: nope\n',
    );
    const r = validateInstrumentText(readFileSync(file, 'utf8'), file);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]!.message).toMatch(/line 11/);
    expect(() => loadInstrumentFile(file)).toThrow(InstrumentInvalidError);
  });

  it('keeps surveys/instrument.schema.json in sync with the zod schema', () => {
    const onDisk = JSON.parse(
      readFileSync(new URL('../../surveys/instrument.schema.json', import.meta.url), 'utf8'),
    );
    expect(onDisk).toEqual(instrumentJsonSchema()); // regenerate: npx mkt survey schema --out surveys/instrument.schema.json
  });
});

describe('shipped instruments', () => {
  const all = loadShippedInstruments();
  const byId = new Map(all.map((i) => [i.id, i]));
  const keying = (inst: Instrument) => {
    const out: Record<string, { plus: string[]; minus: string[] }> = {};
    for (const it of inst.items) {
      if (it.type !== 'likert' || !it.trait) continue;
      out[it.trait] ??= { plus: [], minus: [] };
      out[it.trait]![it.reverse ? 'minus' : 'plus'].push(it.text);
    }
    return out;
  };
  // [items keyed +, items keyed −] per trait
  const plusMinusCounts = (k: ReturnType<typeof keying>) =>
    Object.fromEntries(Object.entries(k).map(([t, v]) => [t, [v.plus.length, v.minus.length]]));

  it('all validate and state a source and licence', () => {
    expect([...byId.keys()].sort()).toEqual([
      'csat',
      'ipip-bfm-50',
      'mini-ipip-20',
      'nps',
      'purchase-motivation',
    ]);
    for (const inst of all) {
      expect(inst.source.name.length).toBeGreaterThan(3);
      expect(inst.licence.length).toBeGreaterThan(3);
    }
    expect(byId.get('ipip-bfm-50')!.source.url).toBe('https://ipip.ori.org/');
    expect(byId.get('ipip-bfm-50')!.licence).toMatch(/public domain/i);
  });

  it('IPIP 50-item markers: 10 items per factor with the published keying', () => {
    const k = keying(byId.get('ipip-bfm-50')!);
    expect(plusMinusCounts(k)).toEqual({
      extraversion: [5, 5],
      agreeableness: [6, 4],
      conscientiousness: [6, 4],
      emotional_stability: [2, 8],
      intellect: [7, 3],
    });
    expect(k.extraversion!.minus).toContain("Don't talk a lot.");
    expect(k.agreeableness!.minus).toContain('Insult people.');
    expect(k.conscientiousness!.minus).toContain('Shirk my duties.');
    expect(k.emotional_stability!.plus.sort()).toEqual(['Am relaxed most of the time.', 'Seldom feel blue.']);
    expect(k.intellect!.minus).toContain('Do not have a good imagination.');
    // administration order cycles E, A, C, ES, O
    expect(
      byId
        .get('ipip-bfm-50')!
        .items.slice(0, 5)
        .map((i) => i.id),
    ).toEqual(['e1', 'a1', 'c1', 'es1', 'o1']);
  });

  it('Mini-IPIP: 4 items per factor, keyed as Donnellan et al. (2006)', () => {
    const k = keying(byId.get('mini-ipip-20')!);
    expect(plusMinusCounts(k)).toEqual({
      extraversion: [2, 2],
      agreeableness: [2, 2],
      conscientiousness: [2, 2],
      neuroticism: [2, 2],
      intellect: [1, 3],
    });
    expect(k.neuroticism!.plus.sort()).toEqual(['Get upset easily.', 'Have frequent mood swings.']);
    expect(k.intellect!.plus).toEqual(['Have a vivid imagination.']);
  });

  it('IPIP 50-item: the full list of reverse-keyed Extraversion and Intellect items', () => {
    const k = keying(byId.get('ipip-bfm-50')!);
    expect(k.extraversion!.minus.sort()).toEqual([
      'Am quiet around strangers.',
      "Don't like to draw attention to myself.",
      "Don't talk a lot.",
      'Have little to say.',
      'Keep in the background.',
    ]);
    expect(k.intellect!.minus.sort()).toEqual([
      'Am not interested in abstract ideas.',
      'Do not have a good imagination.',
      'Have difficulty understanding abstract ideas.',
    ]);
  });

  it('purchase-motivation: four motives, four items each, one reverse-keyed each', () => {
    const k = keying(byId.get('purchase-motivation')!);
    expect(
      Object.fromEntries(Object.entries(k).map(([t, v]) => [t, [v.plus.length, v.minus.length]])),
    ).toEqual({
      price: [3, 1],
      loyalty: [3, 1],
      novelty: [3, 1],
      social: [3, 1],
    });
  });

  it('NPS asks why, and asks detractors what to improve', () => {
    const nps = byId.get('nps')!;
    expect(nps.items.map((i) => i.type)).toEqual(['nps', 'text', 'text']);
    expect(nps.items[2]!.showIf).toEqual({ item: 'recommend', op: 'lte', value: 6 });
  });
});

describe('README example', () => {
  it('the instrument shown in the Surveys section of the README is valid', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### Surveys'));
    const json = /```json\n([\s\S]*?)```/.exec(section)![1]!;
    const r = validateInstrument(JSON.parse(json));
    expect(r.ok).toBe(true);
  });
});
