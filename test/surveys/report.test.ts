import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  answerDistributionSpec,
  findFontFile,
  instrumentReportSpec,
  mulberry32,
  npsOverTimeSpec,
  renderChart,
  reportSummary,
  responsesCsv,
  scaleMeansBySegmentSpec,
  shippedInstrument,
  type ReportData,
} from '../../surveys/index.js';
import { answer as a } from './answers.js';
import { darkPixels, decodePng } from './png.js';

function npsData(): ReportData {
  const inst = shippedInstrument('nps');
  const random = mulberry32(4);
  const sessions = Array.from({ length: 60 }, (_, i) => {
    const at = new Date(Date.UTC(2025, i % 6, 3 + (i % 20)));
    const v = Math.min(10, Math.floor(random() * 6) + (i % 6)); // later months score higher
    return {
      sessionId: `s${i}`,
      customerId: `c${i}`,
      status: 'completed',
      channel: 'webchat',
      startedAt: at,
      completedAt: at,
      answers: [a('recommend', v, { createdAt: at }), a('why', null, { text: 'ok', createdAt: at })],
    };
  });
  return { instrument: inst, sessions };
}

function traitData(): ReportData {
  const inst = shippedInstrument('purchase-motivation');
  const random = mulberry32(9);
  const likert = inst.items.filter((i) => i.type === 'likert').map((i) => i.id);
  const sessions = Array.from({ length: 40 }, (_, i) => ({
    sessionId: `s${i}`,
    customerId: `c${i}`,
    status: i % 10 === 0 ? 'abandoned' : 'completed',
    channel: 'slack',
    startedAt: new Date(Date.UTC(2025, 0, 1)),
    completedAt: null,
    answers: [
      ...likert.map((id) => a(id, 1 + Math.floor(random() * 5))),
      a('categories', null, { choices: ['outerwear', 'running'] }),
    ],
  }));
  const segments = new Map(
    sessions.map((s, i) => [s.customerId, [i % 2 ? 'Bargain hunters' : 'Brand fans']]),
  );
  return { instrument: inst, sessions, segments };
}

describe('reports', () => {
  it('exports one CSV row per session with item values, choices and trait scores', () => {
    const rows = parse(responsesCsv(traitData()), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(40);
    expect(Object.keys(rows[0]!)).toEqual(
      expect.arrayContaining(['session_id', 'pc1', 'categories', 'score_price', 'score_social']),
    );
    expect(rows[0]!.categories).toBe('outerwear|running');
    expect(Number(rows[0]!.score_price)).toBeGreaterThanOrEqual(1);
  });

  it('summarises completion, NPS and trait reliability', () => {
    const s = reportSummary(npsData());
    expect(s.sessions).toBe(60);
    expect(s.nps!.n).toBe(60);
    expect(s.nps!.promoters + s.nps!.passives + s.nps!.detractors).toBe(60);
    const t = reportSummary(traitData());
    expect(t.abandoned).toBe(4);
    expect(Object.keys(t.traits)).toEqual(['price', 'loyalty', 'novelty', 'social']);
  });

  it('builds the three chart specs only where they apply', () => {
    expect(npsOverTimeSpec(npsData())).not.toBeNull();
    expect(scaleMeansBySegmentSpec(npsData())).toBeNull();
    const seg = scaleMeansBySegmentSpec(traitData()) as { data: { values: { segment: string }[] } };
    expect(new Set(seg.data.values.map((v) => v.segment))).toEqual(
      new Set(['Bargain hunters', 'Brand fans']),
    );
    expect(answerDistributionSpec(traitData())).not.toBeNull();
  });

  it('renders PNG charts without a browser: decoded size matches and pixels are drawn, text included', async () => {
    expect(findFontFile()).not.toBeNull(); // this machine has DejaVu Sans
    const chart = await renderChart(npsOverTimeSpec(npsData())!, { format: 'png' });
    expect(chart.warnings).toEqual([]);
    const png = decodePng(chart.png!);
    expect([png.width, png.height]).toEqual([chart.width, chart.height]);
    expect(png.width).toBeGreaterThan(480);
    expect(png.height).toBeGreaterThan(260);
    expect(darkPixels(png)).toBeGreaterThan(1000); // axes, line, labels
    expect(darkPixels(png, 0, 25)).toBeGreaterThan(50); // the title text row
    expect(chart.svg).toContain('NPS over time');
    const retina = await renderChart(npsOverTimeSpec(npsData())!, { format: 'png', scale: 2 });
    expect(decodePng(retina.png!).width).toBe(png.width * 2);
  });

  it('renders the combined report for a Likert instrument', async () => {
    const chart = await renderChart(instrumentReportSpec(traitData())!, { format: 'png' });
    const png = decodePng(chart.png!);
    expect(png.height).toBeGreaterThan(500); // two charts stacked
    expect(darkPixels(png)).toBeGreaterThan(2000);
  });

  it('fails clearly on a missing font file', async () => {
    await expect(
      renderChart(npsOverTimeSpec(npsData())!, { format: 'png', fontFile: '/nope/font.ttf' }),
    ).rejects.toMatchObject({ code: 'SURVEY_CHART_FONT_MISSING' });
  });
});
