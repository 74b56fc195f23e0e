// Periods in marketer questions: relative ones through the NLU's date parser, short forms here.
import { describe, expect, it } from 'vitest';
import { parseMktCommand, parsePeriod } from '../../bots/channels/slack/marketer-intents.js';

const now = new Date('2026-02-10T12:00:00Z');
const day = (d: Date) => d.toISOString().slice(0, 10);
const period = (text: string, defaultDays?: number) => {
  const p = parsePeriod(text, now, defaultDays);
  return [day(p.from), day(p.to), p.label];
};

describe('parsePeriod', () => {
  it('reads relative periods and names them as asked', () => {
    expect(period('what was our NPS last month?')).toEqual(['2026-01-01', '2026-02-01', 'last month']);
    expect(period('last 7 days')).toEqual(['2026-02-04', '2026-02-11', 'last 7 days']);
    expect(period('since last year')).toEqual(['2025-01-01', '2026-02-10', 'since last year']);
  });

  it('names quarters with their year, so the label parses back to the same period', () => {
    // A quarter without a year is its latest occurrence (in February, Q4 is last year's).
    expect(period('q4')).toEqual(['2025-10-01', '2026-01-01', 'Q4 2025']);
    expect(period('Q4 2025')).toEqual(period('q4'));
    expect(period('q1 2025')).toEqual(['2025-01-01', '2025-04-01', 'Q1 2025']);
  });

  it('reads the short forms: year-month, a month name (its latest occurrence) and a year', () => {
    expect(period('2024-05')).toEqual(['2024-05-01', '2024-06-01', '2024-05']);
    expect(period('march')).toEqual(['2025-03-01', '2025-04-01', 'march 2025']);
    expect(period('january')).toEqual(['2026-01-01', '2026-02-01', 'january 2026']);
    expect(period('2024')).toEqual(['2024-01-01', '2025-01-01', '2024']);
  });

  it('falls back to the last N days', () => {
    expect(period('nps')).toEqual(['2026-01-12', '2026-02-11', 'last 30 days']);
    expect(period('', 90)).toEqual(['2025-11-13', '2026-02-11', 'last 90 days']);
    expect(parseMktCommand('nps last week', now)).toMatchObject({
      kind: 'nps',
      period: { label: 'last week' },
    });
  });
});
