// Simulated demo respondents for the demo shop: customers with age bands, survey sessions spread
// over the last six months (personality, purchase motivation, NPS and CSAT with comments, some
// abandoned part-way), a few orders and chat conversations. Deterministic: the same seed and day
// give the same people and answers. Pure; the data layer stores them (marked demo).
import { gaussian, mulberry32 } from '../random/index.js';
import type { AnswerRecord } from './flow.js';
import type { Instrument, Item } from './instrument.js';
import { itemType } from './items/index.js';

/** Age bands used by the demo data and the age-band charts. */
export const AGE_BANDS = ['18-24', '25-34', '35-44', '45-54', '55-64', '65+'] as const;

/** One simulated survey session. */
export interface DemoSession {
  instrumentId: string;
  status: 'completed' | 'abandoned';
  startedAt: Date;
  completedAt: Date | null;
  answers: (AnswerRecord & { createdAt: Date })[];
}

/** One simulated chat message. */
export interface DemoMessage {
  direction: 'user' | 'bot';
  text: string;
  intent: string | null;
  confidence: number | null;
  sentiment: number | null;
  at: Date;
}

/** One simulated chat conversation. */
export interface DemoConversation {
  startedAt: Date;
  messages: DemoMessage[];
  handoff: boolean;
}

/** One simulated customer. */
export interface DemoRespondent {
  ref: string;
  name: string;
  email: string;
  ageBand: (typeof AGE_BANDS)[number];
  marketingOptIn: boolean;
  sessions: DemoSession[];
  /** Orders as product categories to pick from, with their dates. */
  orders: { placedAt: Date; categories: string[] }[];
  conversations: DemoConversation[];
}

/** Options of the generator. */
export interface DemoOptions {
  count: number;
  seed: number;
  /** End of the six-month window (the seeding day). */
  now: Date;
  /** Product categories of the shop, for orders. */
  categories: readonly string[];
}

const DAY = 86_400_000;
const WINDOW_DAYS = 182;

const FIRST = [
  'Ada',
  'Ben',
  'Chloe',
  'Dev',
  'Elena',
  'Farid',
  'Grace',
  'Hugo',
  'Ines',
  'Jonas',
  'Kira',
  'Liam',
  'Maya',
  'Noah',
  'Olga',
  'Pablo',
  'Quinn',
  'Rosa',
  'Sami',
  'Tara',
  'Umar',
  'Vera',
  'Wen',
  'Yusuf',
  'Zoe',
];
const LAST = [
  'Abbott',
  'Brandt',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'Garcia',
  'Hughes',
  'Ivanova',
  'Jensen',
  'Kowalski',
  'Lindqvist',
  'Moreau',
  'Novak',
  'Okafor',
  'Petrov',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Varga',
];

// Comments by theme, written for the demo. A few carry contact details, so masking shows.
const PRAISE = [
  'Fast delivery and the parcel was well packed.',
  'Great quality, the coffee grinder works perfectly.',
  'Friendly support answered within an hour.',
  'Good prices and a clear website.',
  'The hiking boots fit perfectly and feel great.',
  'Easy returns, no questions asked.',
];
const COMPLAINTS = [
  'Delivery took almost two weeks, far too slow.',
  'Too expensive for what you get.',
  'The shoes ran small and the return was a hassle.',
  'Support never answered my e-mail, call me on 0171 555 0142.',
  'The jacket zip broke after a month, poor quality.',
  'Shipping costs are too high.',
  'My order arrived late and the box was damaged.',
  'Hard to find the right size, the size guide is confusing.',
];
const SUGGESTIONS = [
  'Cheaper shipping would help.',
  'Faster delivery, please.',
  'Better size guides for shoes.',
  'Answer e-mails faster.',
  'More discounts for loyal customers.',
];
const COMMENTS = { praise: PRAISE, complaint: COMPLAINTS, suggestion: SUGGESTIONS } as const;
const CHAT = [
  { intent: 'product_search', text: 'do you have waterproof hiking boots', sentiment: 0 },
  { intent: 'product_search', text: 'looking for a burr coffee grinder', sentiment: 0 },
  { intent: 'recommend', text: 'what would you recommend for a gift', sentiment: 0.2 },
  { intent: 'bought_together', text: 'what goes well with the espresso cups', sentiment: 0 },
  { intent: 'product_question', text: 'is the rain jacket machine washable', sentiment: 0 },
  { intent: 'cheaper', text: 'anything cheaper than that', sentiment: -0.1 },
  { intent: 'thanks', text: 'thanks, that helps', sentiment: 0.7 },
  { intent: 'feedback', text: 'my order still has not arrived, this is frustrating', sentiment: -0.7 },
  { intent: 'feedback', text: 'the delivery was late again and nobody told me', sentiment: -0.6 },
  { intent: 'feedback', text: 'shipping is way too expensive', sentiment: -0.5 },
];
const FALLBACK = ['can you book me a taxi', 'what is the meaning of life', 'sing me a song'];

/** Draws the demo respondents. Pure and deterministic for (count, seed, now, categories). */
export function generateDemoRespondents(
  instruments: readonly Instrument[],
  opts: DemoOptions,
): DemoRespondent[] {
  const random = mulberry32(opts.seed);
  const normal = gaussian(random);
  const byId = new Map(instruments.map((i) => [i.id, i]));
  // The window ends at noon *yesterday* (UTC): simulated times fall up to 7 h after a day's noon,
  // and ending today put demo sessions and chats in the future until 19:00 UTC (a run started in
  // the morning saw "new" demo conversations appear). Still deterministic for the seed and the day.
  const end =
    Date.UTC(opts.now.getUTCFullYear(), opts.now.getUTCMonth(), opts.now.getUTCDate(), 12) - DAY;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const out: DemoRespondent[] = [];
  for (let i = 0; i < opts.count; i++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const band = Math.min(AGE_BANDS.length - 1, Math.floor(Math.abs(normal() * 1.6 + 1.6)));
    const ageBand = AGE_BANDS[band]!;
    // Latent traits (z-scores); age moves novelty and intellect down, loyalty up.
    const young = (2.5 - band) / 2.5;
    const latent: Record<string, number> = {
      extraversion: normal(),
      agreeableness: normal(),
      conscientiousness: normal() - young * 0.2,
      neuroticism: normal(),
      emotional_stability: normal(),
      intellect: normal() + young * 0.6,
      price: normal() + (band === 0 || band === 5 ? 0.6 : 0),
      loyalty: normal() - young * 0.5,
      novelty: normal() + young * 0.7,
      social: normal() + young * 0.4,
    };
    // Satisfaction improves over the window, so NPS trends upwards month by month.
    const startDay = Math.floor(random() * WINDOW_DAYS);
    const at = (day: number) =>
      new Date(end - Math.max(0, WINDOW_DAYS - day) * DAY + Math.floor(random() * 8) * 3_600_000);
    const satisfaction = normal() * 1.1 + 0.25 + (startDay / WINDOW_DAYS) * 0.6;
    const sessions: DemoSession[] = [];
    const plan: [string, number][] = [
      ['nps', 0.85],
      ['csat', 0.6],
      ['purchase-motivation', 0.7],
      ['mini-ipip-20', 0.55],
    ];
    for (const [id, share] of plan) {
      const inst = byId.get(id);
      if (!inst || random() >= share) continue;
      const day = Math.min(WINDOW_DAYS, startDay + Math.floor(random() * 20));
      sessions.push(drawSession(inst, at(day), latent, satisfaction, random, normal));
    }
    const orders = Array.from({ length: Math.floor(random() * 4) }, () => ({
      placedAt: at(Math.floor(random() * WINDOW_DAYS)),
      categories: [pick(opts.categories), ...(random() < 0.4 ? [pick(opts.categories)] : [])],
    }));
    const conversations = Array.from({ length: Math.floor(random() * 3) }, () =>
      drawConversation(at(Math.floor(random() * (WINDOW_DAYS + 1))), satisfaction, random, pick),
    );
    out.push({
      ref: `demo-respondent-${String(i + 1).padStart(3, '0')}`,
      name: `${first} ${last}`,
      email: `${first}.${last}.${i + 1}@example.com`.toLowerCase(),
      ageBand,
      marketingOptIn: random() < 0.65,
      sessions,
      orders,
      conversations,
    });
  }
  return out;
}

function drawSession(
  inst: Instrument,
  startedAt: Date,
  latent: Record<string, number>,
  satisfaction: number,
  random: () => number,
  normal: () => number,
): DemoSession {
  // A quarter of the long questionnaires stop part-way (drop-off per item).
  const long = inst.items.length > 10;
  const stopAt = long && random() < 0.25 ? 2 + Math.floor(random() * (inst.items.length - 3)) : Infinity;
  const answers: DemoSession['answers'] = [];
  let t = startedAt.getTime();
  const values = new Map<string, number>();
  for (const [index, item] of inst.items.entries()) {
    if (index >= stopAt) break;
    t += 20_000 + Math.floor(random() * 40_000);
    const a = drawAnswer(item, latent, satisfaction, values, random, normal);
    if (!a) continue;
    if (a.value !== null) values.set(item.id, a.value);
    answers.push({ ...a, createdAt: new Date(t) });
  }
  const done = stopAt === Infinity;
  return {
    instrumentId: inst.id,
    status: done ? 'completed' : 'abandoned',
    startedAt,
    completedAt: done ? new Date(t) : null,
    answers,
  };
}

function drawAnswer(
  item: Item,
  latent: Record<string, number>,
  satisfaction: number,
  values: Map<string, number>,
  random: () => number,
  normal: () => number,
): AnswerRecord | null {
  const drawn = itemType(item).simulate(item, {
    latent,
    satisfaction,
    values,
    random,
    normal,
    pick: (xs) => pickFrom(xs, random),
    comment: (kind) => pickFrom(COMMENTS[kind], random),
  });
  if (!drawn) return null;
  const { value, choices = [], text = null, sentiment = null } = drawn;
  return { itemId: item.id, choices, text, skipped: false, sentiment, value };
}

function drawConversation(
  startedAt: Date,
  satisfaction: number,
  random: () => number,
  pick: <T>(xs: readonly T[]) => T,
): DemoConversation {
  const messages: DemoMessage[] = [];
  let t = startedAt.getTime();
  const turns = 1 + Math.floor(random() * 4);
  let handoff = false;
  for (let i = 0; i < turns; i++) {
    t += 30_000;
    if (random() < 0.08) {
      messages.push({
        direction: 'user',
        text: pick(FALLBACK),
        intent: null,
        confidence: 0.21,
        sentiment: 0,
        at: new Date(t),
      });
      messages.push({
        direction: 'bot',
        text: "Sorry, I can't help with that here.",
        intent: null,
        confidence: null,
        sentiment: null,
        at: new Date(t + 1000),
      });
      continue;
    }
    const pool = satisfaction < -0.3 ? CHAT : CHAT.filter((c) => c.sentiment > -0.3);
    const m = pick(pool);
    messages.push({
      direction: 'user',
      text: m.text,
      intent: m.intent,
      confidence: 0.7 + random() * 0.29,
      sentiment: m.sentiment,
      at: new Date(t),
    });
    messages.push({
      direction: 'bot',
      text: 'Here is what I found.',
      intent: null,
      confidence: null,
      sentiment: null,
      at: new Date(t + 1000),
    });
    if (m.sentiment < -0.4 && random() < 0.5) handoff = true;
  }
  if (handoff) {
    t += 30_000;
    messages.push({
      direction: 'user',
      text: 'I want to talk to a person',
      intent: 'handoff',
      confidence: 0.95,
      sentiment: -0.2,
      at: new Date(t),
    });
  }
  return { startedAt, messages, handoff };
}

function pickFrom<T>(xs: readonly T[], random: () => number): T {
  return xs[Math.floor(random() * xs.length)]!;
}
