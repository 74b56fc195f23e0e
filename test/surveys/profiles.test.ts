import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUseLiteEncoder, type SentenceEncoder } from '../../nlu/index.js';
import {
  SurveyRunner,
  buildProfile,
  describeProfile,
  extractThemes,
  profileFeatures,
  profileVector,
  segmentKMeans,
  shippedInstrument,
  ZRuleSegment,
} from '../../surveys/index.js';
import { answer as a } from './answers.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import {
  PrismaSurveyStore,
  loadInstrumentResponses,
  loadProfiles,
  refreshProfile,
  saveKMeansSegments,
  saveRuleSegment,
  seedDemoSurveys,
} from '../../prisma/repositories/index.js';

let encoder: SentenceEncoder;
beforeAll(async () => {
  encoder = await createUseLiteEncoder();
});
afterAll(async () => encoder.dispose());

describe('profiles (pure)', () => {
  const pm = shippedInstrument('purchase-motivation');
  const nps = shippedInstrument('nps');
  const pmAnswers = [
    ...['pc1', 'pc2', 'pc3'].map((id) => a(id, 5)),
    a('pc4', 1), // price: (5+5+5+5)/4
    ...['bl1', 'bl2', 'bl3'].map((id) => a(id, 2)),
    a('bl4', 4), // loyalty: (2+2+2+2)/4
    a('categories', null, { choices: ['footwear', 'camping'] }),
    a('budget', null, { choices: ['under-50'] }),
  ];
  const profile = buildProfile({
    customerId: 'c1',
    sessions: [
      { instrument: pm, answers: pmAnswers, status: 'completed', completedAt: new Date('2025-01-02') },
      {
        instrument: nps,
        answers: [
          a('recommend', 4, { createdAt: new Date('2025-02-01') }),
          a('why', null, { text: 'too pricey', sentiment: -0.5, createdAt: new Date('2025-02-01') }),
        ],
        status: 'completed',
        completedAt: new Date('2025-02-01'),
      },
    ],
    otherSentiment: [{ at: new Date('2025-03-01'), value: 0.7, source: 'chat' }],
  });
  it('combines traits, NPS class, sentiment history and stated preferences', () => {
    expect(profile.traits).toEqual({ price: 5, loyalty: 2 });
    expect([profile.nps, profile.npsClass]).toEqual([4, 'detractor']);
    expect(profile.sentimentHistory.map((h) => h.source)).toEqual(['nps/why', 'chat']);
    expect(profile.sentiment).toBeCloseTo(0.1, 12);
    expect(profile.preferences).toEqual({ categories: ['footwear', 'camping'], budget: 'under-50' });
    expect(describeProfile(profile, { price: 'price conscious', loyalty: 'brand loyalty' })).toBe(
      'categories: footwear, camping. budget: under-50. high price conscious. low brand loyalty. detractor of the brand',
    );
  });
  it('turns profiles into features (mean-imputed) and a unit-length vector in encoder dims', async () => {
    const other = { ...profile, customerId: 'c2', traits: { price: 3 }, nps: null, sentiment: null };
    const f = profileFeatures([profile, other]);
    expect(f.names).toEqual(['nps', 'sentiment', 'traits.loyalty', 'traits.price']);
    expect(f.rows[1]).toEqual([4, profile.sentiment, 2, 3]);
    const v = (await profileVector(profile, encoder))!;
    expect(v).toHaveLength(encoder.dims);
    expect(Math.hypot(...v)).toBeCloseTo(1, 3);
  });
});

describe('themes of free-text answers (USE-lite embeddings)', () => {
  it('clusters answers into themes with representative quotes and sentiment', async () => {
    const texts = [
      'Delivery took three weeks',
      'The parcel arrived very late',
      'Shipping was slow and the courier lost my package',
      'Delivery was delayed twice',
      'Way too expensive for what it is',
      'Prices are higher than other shops',
      'Too pricey, I found it cheaper elsewhere',
      'The price is too high',
      'The jacket fell apart after one wash',
      'Poor quality stitching on the boots',
      'The zip broke within a week',
      'Material feels cheap and thin',
    ];
    const themes = await extractThemes(texts, encoder, { seed: 3, sentiment: () => -0.5 });
    expect(themes.length).toBeGreaterThanOrEqual(2);
    expect(themes.reduce((s, t) => s + t.size, 0)).toBe(12);
    for (const t of themes) {
      expect(t.quotes.length).toBeGreaterThan(0);
      expect(t.sentiment).toBe(-0.5);
    }
    // delivery and price complaints each end up together, in different themes
    const themeOf = (i: number) => themes.findIndex((t) => t.members.includes(i));
    expect(new Set([0, 1, 3].map(themeOf)).size).toBe(1);
    expect(new Set([4, 5, 7].map(themeOf)).size).toBe(1);
    expect(themeOf(0)).not.toBe(themeOf(4));
    expect(themes[themeOf(0)]!.keywords).toContain('delivery');
  });
});

describe('profiles, segments and reports in the database (PGlite)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('pglite');
    await seedDemoSurveys(db.prisma);
  });
  afterAll(async () => db.close());

  it('refreshes profiles from real sessions, saves rule and k-means segments, loads report data', async () => {
    const runner = new SurveyRunner({
      store: new PrismaSurveyStore(db.prisma),
      sentiment: (t) => (/love/.test(t) ? 0.9 : -0.4),
    });
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const id = (await db.prisma.customer.create({ data: {} })).id;
      ids.push(id);
      await runner.start(id, 'nps', 'webchat');
      await runner.reply(id, 'nps', String(i + 3), 'webchat');
      await runner.reply(id, 'nps', i % 2 ? 'love the boots' : 'slow delivery', 'webchat');
      if (i + 3 <= 6) await runner.reply(id, 'nps', 'skip', 'webchat');
      await refreshProfile(db.prisma, id, { encoder });
    }
    const stored = await db.prisma.profile.findUnique({ where: { customerId: ids[7]! } });
    expect(stored).toMatchObject({ npsClass: 'promoter', sentiment: 0.9 });
    expect(stored!.vector).toHaveLength(512);
    const fans = await saveRuleSegment(
      db.prisma,
      ZRuleSegment.parse({ name: 'Promoters', rules: [{ field: 'npsClass', op: 'eq', value: 'promoter' }] }),
    );
    expect(fans.sort()).toEqual([ids[6]!, ids[7]!].sort());
    const profiles = await loadProfiles(db.prisma);
    const f = profileFeatures(profiles, ['sentiment']);
    const seg = segmentKMeans(f.rows, f.names, { k: 2, seed: 1 });
    await saveKMeansSegments(
      db.prisma,
      'Sentiment',
      seg,
      profiles.map((p) => p.customerId),
    );
    expect(await db.prisma.segmentMember.count()).toBe(2 + 8);
    const report = await loadInstrumentResponses(db.prisma, 'nps');
    expect(report.sessions).toHaveLength(8);
    expect(report.segments.get(ids[7]!)!.sort()).toEqual(expect.arrayContaining(['Promoters']));
    await expect(loadInstrumentResponses(db.prisma, 'nope')).rejects.toMatchObject({
      code: 'SURVEY_INSTRUMENT_NOT_FOUND',
    });
  });
});
