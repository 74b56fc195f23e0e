// The marketer benchmark's questions, written for this project: plain English as marketers ask
// it, each with a check against the database's own figures (bench/_marketer-truth.ts). Every
// fourth case is held out as the validation split (the wording was not tuned on it).
import { periods, type Truth, type TruthPeriod } from './_marketer-truth.js';

/** What the bot posted for one question. */
export interface BotReply {
  /** Message text, or the upload's initial comment. */
  text: string;
  /** Block Kit JSON as a string ('' for uploads). */
  blocks: string;
  upload?: { title: string; png: boolean; head: string };
}

/** What a check sees. */
export interface CheckContext {
  truth: Truth;
  now: Date;
}

/** One question and its expectation; the check returns null when the answer is right. */
export interface MarketerCase {
  q: string;
  via: 'slash' | 'mention' | 'dm';
  user: 'UADMIN' | 'UMKT' | 'UVIEW';
  check: (r: BotReply, c: CheckContext) => Promise<string | null>;
}

const has = (r: BotReply, ...needles: string[]): string | null => {
  const all = `${r.text}\n${r.blocks}`;
  const missing = needles.filter((n) => !all.includes(n));
  return missing.length
    ? `missing ${missing.map((m) => JSON.stringify(m)).join(', ')} in ${JSON.stringify(r.text.slice(0, 300))}`
    : null;
};
const signed = (x: number) => `${x > 0 ? '+' : ''}${x}`;
const chart = (r: BotReply, ...needles: string[]) =>
  !r.upload?.png ? `no PNG uploaded (${JSON.stringify(r.text.slice(0, 200))})` : has(r, ...needles);
const P = (c: CheckContext) => periods(c.now);

const segSize = (name: string) => async (r: BotReply, c: CheckContext) =>
  has(r, `has ${await c.truth.segmentSize(name)} customers`);
const nps =
  (pick: (c: CheckContext) => TruthPeriod, label: string, segment?: string) =>
  async (r: BotReply, c: CheckContext) => {
    const t = await c.truth.nps(pick(c), segment);
    return has(r, `NPS for ${label}`, `*${signed(t.nps)}*`, `from ${t.n} answers`);
  };
const csat =
  (pick: (c: CheckContext) => TruthPeriod, label: string, segment?: string) =>
  async (r: BotReply, c: CheckContext) => {
    const t = await c.truth.csat(pick(c), segment);
    return has(r, `CSAT for ${label}`, `*${t.share}%*`, `from ${t.n} answers`);
  };
const funnel = (id: string) => async (r: BotReply, c: CheckContext) => {
  const s = await c.truth.sessions(id);
  return has(r, `${s.completed} of ${s.started} sessions completed`);
};
const results = (id: string) => async (r: BotReply, c: CheckContext) => {
  const s = await c.truth.sessions(id);
  return has(r, `${s.completed} completed of ${s.started} started`);
};
const volume =
  (pick: (c: CheckContext) => TruthPeriod, label: string) => async (r: BotReply, c: CheckContext) =>
    has(r, `Conversations started in ${label}`, `*${await c.truth.conversations(pick(c))}*`);
const fallback =
  (pick: (c: CheckContext) => TruthPeriod, label: string) => async (r: BotReply, c: CheckContext) =>
    has(r, `Chat for ${label}`, `Fallback rate: *${await c.truth.fallbackRate(pick(c))}%*`);
const handoff =
  (pick: (c: CheckContext) => TruthPeriod, label: string) => async (r: BotReply, c: CheckContext) =>
    has(r, `Chat for ${label}`, `Handoff rate: *${await c.truth.handoffRate(pick(c))}%*`);
const top =
  (pick: (c: CheckContext) => TruthPeriod, label: string, category?: string) =>
  async (r: BotReply, c: CheckContext) =>
    has(
      r,
      `${category ? `${category}, ` : ''}${label}`,
      `1. `,
      `: ${await c.truth.topUnits(pick(c), category)} units`,
    );
const together = (word: RegExp) => async (r: BotReply) =>
  !/Most often bought with \*([^*]+)\*/.test(r.text)
    ? `no bought-together answer: ${JSON.stringify(r.text.slice(0, 200))}`
    : word.test(/Most often bought with \*([^*]+)\*/.exec(r.text)![1]!)
      ? (r.blocks.match(/\\u00b7|·/g) ?? []).length >= 1
        ? null
        : 'no products listed'
      : `wrong product: ${/Most often bought with \*([^*]+)\*/.exec(r.text)![1]}`;
const themes = async (r: BotReply) =>
  has(r, 'What customers complain about', '“') ??
  (/\b555 0142\b|@example\.com/.test(r.blocks) ? 'unmasked personal data in quotes' : null);
const exportCsv = (segment: string) => async (r: BotReply, c: CheckContext) => {
  if (!r.upload) return `no file uploaded (${JSON.stringify(r.text.slice(0, 200))})`;
  // The upload is multipart: the file's bytes follow its part headers.
  if (!r.upload.head.includes('\r\ncustomer_id,name,email,age_band,nps_class,comments\n'))
    return `CSV columns: ${r.upload.head.slice(0, 200)}`;
  return has(r, `${await c.truth.consentedMembers(segment)} customers who agreed to marketing`);
};
const ask =
  (...needles: string[]) =>
  async (r: BotReply) =>
    has(r, 'I need a bit more', '"type":"button"', ...needles);
const denied = async (r: BotReply) => has(r, 'Sorry,');

/** The cases, in a fixed order (validation = every fourth). */
export const MARKETER_CASES: MarketerCase[] = [
  // Segments: size, description, list.
  { q: 'how big is bargain hunters?', via: 'slash', user: 'UMKT', check: segSize('bargain hunters') },
  { q: 'size of segment bargain hunters', via: 'mention', user: 'UMKT', check: segSize('bargain hunters') },
  { q: 'how many customers are in promoters', via: 'dm', user: 'UMKT', check: segSize('promoters') },
  {
    q: 'number of members in the detractors segment',
    via: 'slash',
    user: 'UVIEW',
    check: segSize('detractors'),
  },
  { q: 'how large is young explorers', via: 'mention', user: 'UADMIN', check: segSize('young explorers') },
  { q: 'what is the size of the detractors segment?', via: 'dm', user: 'UMKT', check: segSize('detractors') },
  {
    q: 'count of customers in bargain hunters',
    via: 'slash',
    user: 'UVIEW',
    check: segSize('bargain hunters'),
  },
  {
    q: 'how many people are in young explorers?',
    via: 'slash',
    user: 'UMKT',
    check: segSize('young explorers'),
  },
  {
    q: 'describe the promoters segment',
    via: 'slash',
    user: 'UMKT',
    check: async (r, c) => has(r, '*promoters*', `${await c.truth.segmentSize('promoters')} customers`),
  },
  {
    q: 'tell me about young explorers',
    via: 'mention',
    user: 'UMKT',
    check: async (r, c) =>
      has(r, '*young explorers*', `${await c.truth.segmentSize('young explorers')} customers`),
  },
  {
    q: 'who are the bargain hunters?',
    via: 'dm',
    user: 'UVIEW',
    check: async (r, c) =>
      has(r, '*bargain hunters*', `${await c.truth.segmentSize('bargain hunters')} customers`),
  },
  {
    q: 'list our segments',
    via: 'slash',
    user: 'UMKT',
    check: async (r, c) => has(r, ...(await c.truth.segmentNames()).map((n) => `*${n}*`)),
  },
  {
    q: 'which segments do we have?',
    via: 'mention',
    user: 'UVIEW',
    check: async (r, c) => has(r, `${(await c.truth.segmentNames()).length} saved segment`),
  },
  {
    q: 'show all segments',
    via: 'dm',
    user: 'UADMIN',
    check: async (r, c) => has(r, ...(await c.truth.segmentNames()).map((n) => `*${n}*`)),
  },
  // NPS and CSAT for a period and a segment.
  { q: 'NPS this month', via: 'slash', user: 'UMKT', check: nps((c) => P(c).thisMonth, 'this month') },
  {
    q: 'what was our NPS last month?',
    via: 'mention',
    user: 'UMKT',
    check: nps((c) => P(c).lastMonth, 'last month'),
  },
  {
    q: 'net promoter score over the last 30 days',
    via: 'dm',
    user: 'UVIEW',
    check: nps((c) => P(c).last30, 'last 30 days'),
  },
  { q: 'nps', via: 'slash', user: 'UVIEW', check: nps((c) => P(c).last30, 'last 30 days') },
  {
    q: 'NPS for bargain hunters this month',
    via: 'slash',
    user: 'UMKT',
    check: nps((c) => P(c).thisMonth, 'this month', 'bargain hunters'),
  },
  {
    q: 'how do young explorers rate us on NPS over the last 90 days',
    via: 'mention',
    user: 'UMKT',
    check: nps((c) => P(c).last90, 'last 90 days', 'young explorers'),
  },
  {
    q: 'NPS of the promoters segment last month',
    via: 'dm',
    user: 'UMKT',
    check: nps((c) => P(c).lastMonth, 'last month', 'promoters'),
  },
  {
    q: 'promoter score for detractors in the last 90 days',
    via: 'slash',
    user: 'UADMIN',
    check: nps((c) => P(c).last90, 'last 90 days', 'detractors'),
  },
  { q: 'CSAT this month', via: 'slash', user: 'UMKT', check: csat((c) => P(c).thisMonth, 'this month') },
  {
    q: 'how satisfied were customers last month?',
    via: 'mention',
    user: 'UVIEW',
    check: csat((c) => P(c).lastMonth, 'last month'),
  },
  {
    q: 'customer satisfaction over the last 90 days',
    via: 'dm',
    user: 'UMKT',
    check: csat((c) => P(c).last90, 'last 90 days'),
  },
  {
    q: 'csat for bargain hunters over the last 90 days',
    via: 'slash',
    user: 'UMKT',
    check: csat((c) => P(c).last90, 'last 90 days', 'bargain hunters'),
  },
  {
    q: 'what is the CSAT of young explorers last month',
    via: 'mention',
    user: 'UADMIN',
    check: csat((c) => P(c).lastMonth, 'last month', 'young explorers'),
  },
  {
    q: 'satisfaction score in the last 30 days',
    via: 'slash',
    user: 'UMKT',
    check: csat((c) => P(c).last30, 'last 30 days'),
  },
  // Trends and charts.
  {
    q: 'chart NPS over the last 6 months',
    via: 'slash',
    user: 'UMKT',
    check: async (r) => chart(r, 'NPS by month'),
  },
  {
    q: 'how has NPS changed month by month?',
    via: 'mention',
    user: 'UMKT',
    check: async (r) => chart(r, 'NPS by month'),
  },
  {
    q: 'plot CSAT by month',
    via: 'dm',
    user: 'UVIEW',
    check: async (r) => chart(r, 'CSAT % satisfied by month'),
  },
  {
    q: 'NPS trend for bargain hunters',
    via: 'slash',
    user: 'UMKT',
    check: async (r) => chart(r, 'NPS by month', 'bargain hunters'),
  },
  {
    q: 'graph satisfaction over time',
    via: 'mention',
    user: 'UADMIN',
    check: async (r) => chart(r, 'CSAT % satisfied by month'),
  },
  {
    q: 'show me the NPS history of promoters',
    via: 'slash',
    user: 'UMKT',
    check: async (r) => chart(r, 'NPS by month', 'promoters'),
  },
  {
    q: 'chart of openness by age band',
    via: 'slash',
    user: 'UMKT',
    check: async (r) => chart(r, 'Mean Intellect/Imagination', 'by age band', '18-24'),
  },
  {
    q: 'price consciousness by age group',
    via: 'mention',
    user: 'UMKT',
    check: async (r) => chart(r, 'Mean Price consciousness', 'by age band'),
  },
  {
    q: 'compare novelty seeking across age bands',
    via: 'dm',
    user: 'UVIEW',
    check: async (r) => chart(r, 'Mean Novelty seeking', 'by age band'),
  },
  {
    q: 'mean brand loyalty per segment',
    via: 'slash',
    user: 'UMKT',
    check: async (r) => chart(r, 'Mean Brand loyalty', 'by segment'),
  },
  {
    q: 'plot extraversion by age',
    via: 'mention',
    user: 'UADMIN',
    check: async (r) => chart(r, 'Mean Extraversion', 'by age band'),
  },
  // Surveys: results, completion, drop-off.
  { q: 'results big-five', via: 'slash', user: 'UMKT', check: results('mini-ipip-20') },
  {
    q: 'survey results of purchase-motivation',
    via: 'mention',
    user: 'UVIEW',
    check: results('purchase-motivation'),
  },
  {
    q: 'show me the results of the personality survey',
    via: 'dm',
    user: 'UMKT',
    check: results('mini-ipip-20'),
  },
  {
    q: 'what is the completion rate of the purchase-motivation survey?',
    via: 'slash',
    user: 'UMKT',
    check: funnel('purchase-motivation'),
  },
  {
    q: 'where do people drop off in the big five survey',
    via: 'mention',
    user: 'UMKT',
    check: funnel('mini-ipip-20'),
  },
  { q: 'how many people finished the nps survey', via: 'dm', user: 'UVIEW', check: funnel('nps') },
  {
    q: 'drop-off per question for purchase motivation',
    via: 'slash',
    user: 'UADMIN',
    check: funnel('purchase-motivation'),
  },
  {
    q: 'abandonment of the personality questionnaire',
    via: 'mention',
    user: 'UMKT',
    check: funnel('mini-ipip-20'),
  },
  { q: 'completion of the csat survey', via: 'slash', user: 'UMKT', check: funnel('csat') },
  // Products.
  { q: 'top products bought with coffee', via: 'slash', user: 'UMKT', check: together(/coffee/i) },
  {
    q: 'what do people buy together with hiking boots?',
    via: 'mention',
    user: 'UMKT',
    check: together(/boot/i),
  },
  // The demo shop sells no French press: the answer must say so, not pass a grinder off as one.
  {
    q: 'what goes with the french press',
    via: 'dm',
    user: 'UVIEW',
    check: async (r) => has(r, 'I can\'t find a product "french press"'),
  },
  { q: 'frequently bought with a rain jacket', via: 'slash', user: 'UMKT', check: together(/jacket/i) },
  {
    q: 'which products sell alongside a yoga mat',
    via: 'mention',
    user: 'UADMIN',
    check: together(/yoga|mat/i),
  },
  {
    q: 'top products last quarter',
    via: 'slash',
    user: 'UMKT',
    check: top((c) => P(c).lastQuarter, 'last quarter'),
  },
  {
    q: 'best sellers in the last 30 days',
    via: 'mention',
    user: 'UVIEW',
    check: top((c) => P(c).last30, 'last 30 days'),
  },
  {
    q: 'most popular footwear products in the last 90 days',
    via: 'dm',
    user: 'UMKT',
    check: top((c) => P(c).last90, 'last 90 days', 'Footwear'),
  },
  {
    q: 'what sold best this month',
    via: 'slash',
    user: 'UMKT',
    check: top((c) => P(c).thisMonth, 'this month'),
  },
  {
    q: 'top selling coffee products over the last 90 days',
    via: 'mention',
    user: 'UMKT',
    check: top((c) => P(c).last90, 'last 90 days', 'Coffee & Kitchen'),
  },
  // Chat: volumes, fallback and handoff rates.
  {
    q: 'conversation volume last 7 days',
    via: 'slash',
    user: 'UMKT',
    check: volume((c) => P(c).last7, 'last 7 days'),
  },
  {
    q: 'how many chats did we have this month?',
    via: 'mention',
    user: 'UVIEW',
    check: volume((c) => P(c).thisMonth, 'this month'),
  },
  {
    q: 'number of conversations in the last 90 days',
    via: 'dm',
    user: 'UMKT',
    check: volume((c) => P(c).last90, 'last 90 days'),
  },
  {
    q: 'how busy was the chat last month',
    via: 'slash',
    user: 'UADMIN',
    check: volume((c) => P(c).lastMonth, 'last month'),
  },
  {
    q: 'conversation volume',
    via: 'mention',
    user: 'UMKT',
    check: volume((c) => P(c).last30, 'last 30 days'),
  },
  {
    q: 'fallback rate this month',
    via: 'slash',
    user: 'UMKT',
    check: fallback((c) => P(c).thisMonth, 'this month'),
  },
  {
    q: 'how often did the bot not understand customers in the last 90 days?',
    via: 'mention',
    user: 'UMKT',
    check: fallback((c) => P(c).last90, 'last 90 days'),
  },
  {
    q: 'share of messages not understood last month',
    via: 'dm',
    user: 'UVIEW',
    check: fallback((c) => P(c).lastMonth, 'last month'),
  },
  {
    q: 'handoff rate in the last 30 days',
    via: 'slash',
    user: 'UMKT',
    check: handoff((c) => P(c).last30, 'last 30 days'),
  },
  {
    q: 'how often do chats get escalated to a human this month',
    via: 'mention',
    user: 'UADMIN',
    check: handoff((c) => P(c).thisMonth, 'this month'),
  },
  {
    q: 'what share of conversations go to an agent over the last 90 days',
    via: 'dm',
    user: 'UMKT',
    check: handoff((c) => P(c).last90, 'last 90 days'),
  },
  {
    q: 'fallback and handoff rates last month',
    via: 'slash',
    user: 'UMKT',
    check: async (r, c) =>
      (await fallback((x) => P(x).lastMonth, 'last month')(r, c)) ??
      handoff((x) => P(x).lastMonth, 'last month')(r, c),
  },
  // Comment themes with quotes (marketer and admin only).
  { q: 'what do customers dislike most?', via: 'slash', user: 'UMKT', check: themes },
  { q: 'main complaints in the last 90 days', via: 'mention', user: 'UADMIN', check: themes },
  { q: 'what are people unhappy about', via: 'dm', user: 'UMKT', check: themes },
  { q: 'summarise the complaint themes with quotes', via: 'slash', user: 'UMKT', check: themes },
  { q: 'what do customers dislike most?', via: 'mention', user: 'UVIEW', check: denied },
  // Customers (admin only).
  {
    q: 'look up customer ada.abbott.1@example.com',
    via: 'slash',
    user: 'UADMIN',
    check: async (r) =>
      r.text.includes("I can't find")
        ? has(r, "can't find")
        : has(r, '@example.com', 'Age band', 'Segments:'),
  },
  {
    q: 'who is demo-respondent-012?',
    via: 'dm',
    user: 'UADMIN',
    check: async (r) => has(r, 'Age band', 'Marketing opt-in', 'NPS class'),
  },
  {
    q: 'show me the profile of customer demo-respondent-200',
    via: 'mention',
    user: 'UADMIN',
    check: async (r) => has(r, 'Age band', 'Surveys:'),
  },
  { q: 'look up customer demo-respondent-012', via: 'slash', user: 'UMKT', check: denied },
  { q: 'find customer demo-respondent-033', via: 'mention', user: 'UVIEW', check: denied },
  {
    q: 'recommendations for demo-respondent-045',
    via: 'slash',
    user: 'UMKT',
    check: async (r) => has(r, 'Recommendations for demo-respondent-045'),
  },
  // Segments built in plain language (confirmed before saving), exports honouring consent.
  {
    q: 'create a segment called bargain lovers with everyone whose price consciousness is above 3.5',
    via: 'slash',
    user: 'UMKT',
    check: async (r, c) =>
      has(
        r,
        'segment *bargain lovers*',
        'price consciousness > 3.5',
        `*${await c.truth.traitAbove('price', 3.5)}* customers`,
        'Save segment',
      ),
  },
  {
    q: 'create a segment called happy hikers with customers who are promoters and bought footwear',
    via: 'mention',
    user: 'UMKT',
    check: async (r, c) =>
      has(
        r,
        'segment *happy hikers*',
        'NPS class is promoter and bought categories includes footwear',
        `*${await c.truth.promotersWhoBought('Footwear')}* customers`,
      ),
  },
  {
    q: 'make a segment named loyal fans of everyone whose brand loyalty is at least 4',
    via: 'dm',
    user: 'UADMIN',
    check: async (r) => has(r, 'segment *loyal fans*', 'brand loyalty ≥ 4', 'Save segment'),
  },
  {
    q: 'create a segment called curious minds with people whose openness is above 3.8',
    via: 'slash',
    user: 'UMKT',
    check: async (r, c) =>
      has(r, 'segment *curious minds*', `*${await c.truth.traitAbove('intellect', 3.8)}* customers`),
  },
  { q: 'create a segment called big spenders', via: 'slash', user: 'UMKT', check: ask('who belongs') },
  {
    q: 'create a segment called night owls with everyone who likes the moon',
    via: 'mention',
    user: 'UMKT',
    check: ask('a condition I can read'),
  },
  {
    q: 'create a segment called bargain lovers with everyone whose price consciousness is above 3.5',
    via: 'slash',
    user: 'UVIEW',
    check: denied,
  },
  { q: 'send me the promoters as a spreadsheet', via: 'slash', user: 'UMKT', check: exportCsv('promoters') },
  { q: 'export bargain hunters to csv', via: 'mention', user: 'UADMIN', check: exportCsv('bargain hunters') },
  { q: 'download the young explorers segment', via: 'dm', user: 'UMKT', check: exportCsv('young explorers') },
  { q: 'send me the promoters as a spreadsheet', via: 'slash', user: 'UVIEW', check: denied },
  // Asking for more only when something required is missing, with buttons.
  {
    q: 'how big is the segment?',
    via: 'slash',
    user: 'UMKT',
    check: ask('which segment', 'bargain hunters'),
  },
  { q: 'export a segment as csv', via: 'mention', user: 'UMKT', check: ask('which segment to export') },
  {
    q: 'what is the completion rate?',
    via: 'dm',
    user: 'UMKT',
    check: ask('which survey', 'purchase-motivation'),
  },
  { q: 'what is bought together with', via: 'slash', user: 'UMKT', check: ask('which product') },
  // Help, greetings and the handoff queue.
  {
    q: 'help',
    via: 'slash',
    user: 'UVIEW',
    check: async (r) => has(r, 'Ask me in plain English', 'Segments'),
  },
  {
    q: 'what can you do?',
    via: 'mention',
    user: 'UMKT',
    check: async (r) => has(r, 'Ask me in plain English'),
  },
  {
    q: 'are any handoffs waiting?',
    via: 'dm',
    user: 'UMKT',
    check: async (r) => has(r, 'waiting for a person'),
  },
  // The README's own examples (its marketer section and introduction), word for word, that the
  // cases above did not already ask: a README example that fails shows up here.
  {
    q: 'describe promoters',
    via: 'slash',
    user: 'UMKT',
    check: async (r, c) => has(r, '*promoters*', `${await c.truth.segmentSize('promoters')} customers`),
  },
  {
    q: 'list segments',
    via: 'mention',
    user: 'UVIEW',
    check: async (r, c) => has(r, ...(await c.truth.segmentNames()).map((n) => `*${n}*`)),
  },
  {
    q: 'CSAT last quarter for bargain hunters',
    via: 'dm',
    user: 'UMKT',
    check: csat((c) => P(c).lastQuarter, 'last quarter', 'bargain hunters'),
  },
  {
    q: 'best sellers in footwear',
    via: 'slash',
    user: 'UMKT',
    // product rankings default to the last 90 days (orders are sparser than answers)
    check: top((c) => P(c).last90, 'last 90 days', 'Footwear'),
  },
  {
    q: 'conversation volume last week',
    via: 'mention',
    user: 'UMKT',
    check: volume((c) => lastWeek(c.now), 'last week'),
  },
];

/** The calendar week before this one, Monday to Monday (UTC). */
function lastWeek(now: Date): TruthPeriod {
  const DAY = 86_400_000;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const monday = today - ((now.getUTCDay() + 6) % 7) * DAY;
  return { from: new Date(monday - 7 * DAY), to: new Date(monday) };
}

/** Whether case `i` is in the validation split. */
export const isValidation = (i: number): boolean => i % 4 === 3;
