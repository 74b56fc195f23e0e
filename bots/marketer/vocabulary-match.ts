// Finding the names a question mentions (segments, traits, surveys, categories, periods) against
// the data's vocabulary. Pure.
import { extractDates } from '../../nlu/index.js';
import type { Period } from '../ports.js';
import type { MarketerVocabulary } from './questions.js';

/** Lower case, punctuation to spaces, single spaces. */
export function normalise(text: string): string {
  return ` ${text
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/[^a-z0-9@.+\-_&]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()} `;
}

const singular = (w: string) => w.replace(/ies$/, 'y').replace(/(?<!s)s$/, '');

/** The saved segment a question names (longest name first; singular/plural alike), or undefined. */
export function findSegment(text: string, vocab: MarketerVocabulary): string | undefined {
  // "net promoter score" names a metric, not the promoters segment.
  const t = normalise(text).replace(/ (net )?promoter score /g, ' ');
  const ts = normalise(t.split(' ').map(singular).join(' '));
  const names = [...vocab.segments].sort((a, b) => b.length - a.length);
  return names.find((name) => {
    const n = normalise(name).trim();
    const ns = n.split(' ').map(singular).join(' ');
    return t.includes(` ${n} `) || ts.includes(` ${ns} `);
  });
}

// Everyday words for the shipped instruments' traits (the Big Five's openness is the Mini-IPIP's
// intellect/imagination).
const TRAIT_SYNONYMS: Record<string, string[]> = {
  intellect: ['openness', 'open to experience', 'imagination', 'intellect', 'curiosity'],
  price: ['price consciousness', 'price conscious', 'price sensitivity', 'price'],
  novelty: ['novelty seeking', 'novelty', 'trying new things', 'new things'],
  loyalty: ['brand loyalty', 'loyalty', 'loyal'],
  social: ['social influence', 'social'],
  extraversion: ['extraversion', 'extroversion', 'extraverted', 'extroverted'],
  neuroticism: ['neuroticism', 'anxiety', 'neurotic'],
  agreeableness: ['agreeableness', 'agreeable'],
  conscientiousness: ['conscientiousness', 'conscientious'],
  emotional_stability: ['emotional stability'],
};

/** Trait ids a question names, with where they were found. */
export function findTraits(
  text: string,
  vocab: MarketerVocabulary,
): { id: string; at: number; words: string }[] {
  const t = normalise(text);
  const out: { id: string; at: number; words: string }[] = [];
  for (const [id, label] of Object.entries(vocab.traits)) {
    const phrases = [...(TRAIT_SYNONYMS[id] ?? []), label.toLowerCase(), id.replace(/_/g, ' ')].sort(
      (a, b) => b.length - a.length,
    );
    for (const p of phrases) {
      const at = t.indexOf(` ${normalise(p).trim()} `);
      if (at >= 0) {
        out.push({ id, at, words: p });
        break;
      }
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

const INSTRUMENT_ALIASES: Record<string, string[]> = {
  'mini-ipip-20': ['big-five', 'big five', 'big 5', 'personality', 'mini-ipip', 'mini ipip'],
  'ipip-bfm-50': ['ipip 50', 'ipip-50', 'long personality', '50-item'],
  'purchase-motivation': ['purchase motivation', 'purchase-motivation', 'shopping motives', 'motivation'],
  nps: ['nps survey', 'net promoter survey', 'nps'],
  csat: ['csat survey', 'satisfaction survey', 'csat'],
};

/** The instrument a question names (id, title words or an alias), or undefined. */
export function findInstrument(text: string, vocab: MarketerVocabulary): string | undefined {
  const t = normalise(text);
  const known = new Set(vocab.instruments.map((i) => i.id));
  for (const i of vocab.instruments) if (t.includes(` ${i.id} `)) return i.id;
  for (const [id, aliases] of Object.entries(INSTRUMENT_ALIASES))
    if (known.has(id) && aliases.some((a) => t.includes(` ${normalise(a).trim()} `))) return id;
  return undefined;
}

/** The catalog category a word names ("coffee" → "Coffee & Kitchen", "shoes" → "Footwear"). */
export function findCategory(text: string, vocab: MarketerVocabulary): string | undefined {
  const t = normalise(text);
  const aliases: Record<string, string[]> = { footwear: ['shoes', 'boots', 'trainers', 'sneakers'] };
  for (const c of vocab.categories) {
    const words = normalise(c)
      .trim()
      .split(' ')
      .filter((w) => w.length > 2 && w !== 'and' && w !== '&');
    const extra = aliases[c.toLowerCase()] ?? [];
    if ([...words, ...extra].some((w) => t.includes(` ${w} `) || t.includes(` ${w}s `))) return c;
  }
  return undefined;
}

const DAY = 86_400_000;
/** Month names in lower case, January first. */
export const MONTHS = Array.from({ length: 12 }, (_, m) =>
  new Intl.DateTimeFormat('en', { month: 'long', timeZone: 'UTC' })
    .format(Date.UTC(2000, m, 1))
    .toLowerCase(),
);

/** Whether the text names a period at all. */
export function mentionsPeriod(text: string, now: Date): boolean {
  const t = normalise(text);
  return (
    extractDates(text, now).length > 0 ||
    MONTHS.some((m) => t.includes(` ${m} `)) ||
    /\b(today|yesterday|week|month|quarter|year|q[1-4]|days?|ytd|\d{4})\b/.test(t)
  );
}

/**
 * The period a question names; otherwise the default (last `defaultDays` days up to the end of
 * today). Labels say what was used ("last 30 days", "this month", "Q3 2026").
 */
export function readPeriod(text: string, now: Date, defaultDays = 30): Period {
  const t = normalise(text);
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const tomorrow = new Date(today + DAY);
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  if (/ this month /.test(t)) return { from: new Date(Date.UTC(y, m, 1)), to: tomorrow, label: 'this month' };
  if (/ (this year|year to date|ytd) /.test(t))
    return { from: new Date(Date.UTC(y, 0, 1)), to: tomorrow, label: `${y} so far` };
  if (/ (last|past) (6|six) months /.test(t))
    return { from: new Date(Date.UTC(y, m - 6, 1)), to: tomorrow, label: 'last 6 months' };
  const found = extractDates(text, now)[0];
  if (found) {
    const from = new Date(found.from);
    const quarter = /^q([1-4])(\s+\d{4})?$/i.exec(found.text.trim());
    const words = found.text
      .trim()
      .toLowerCase()
      .replace(/^(for|in|during|of|over|from)\s+(the\s+)?/, '');
    const label = quarter ? `Q${quarter[1]} ${from.getUTCFullYear()}` : words;
    return { from, to: new Date(found.to), label };
  }
  const month = MONTHS.findIndex((name) => t.includes(` ${name} `));
  if (month >= 0) {
    const yy = month <= m ? y : y - 1;
    return {
      from: new Date(Date.UTC(yy, month, 1)),
      to: new Date(Date.UTC(yy, month + 1, 1)),
      label: `${MONTHS[month]} ${yy}`,
    };
  }
  const year = /\b(20\d{2})\b/.exec(t);
  if (year) {
    const yy = Number(year[1]);
    return { from: new Date(Date.UTC(yy, 0, 1)), to: new Date(Date.UTC(yy + 1, 0, 1)), label: String(yy) };
  }
  return {
    from: new Date(tomorrow.getTime() - defaultDays * DAY),
    to: tomorrow,
    label: `last ${defaultDays} days`,
  };
}
