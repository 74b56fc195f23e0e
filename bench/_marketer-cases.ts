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
  if (/v1:k\d+:/.test(r.upload.head)) return 'ciphertext in the CSV';
  return has(
    r,
    `${await c.truth.consentedMembers(segment)} customers who agreed to marketing`,
    `with ${await c.truth.consentedComments(segment)} survey comment`,
  );
};
const overlap = (a: string, b: string) => async (r: BotReply, c: CheckContext) =>
  has(r, `share *${await c.truth.sharedMembers(a, b)}* customers`, 'current memberships');
const mostOverlap = async (r: BotReply, c: CheckContext) => {
  const n = (await c.truth.segmentNames()).length;
  return has(r, `Segments that overlap most, of ${(n * (n - 1)) / 2} pairs`, 'Jaccard');
};
/** A segment's growth since `from`: the recorded sizes decide between "no change yet" and a chart. */
const growth =
  (segment: string, from: (c: CheckContext) => Date, label: string) =>
  async (r: BotReply, c: CheckContext) => {
    const sizes = await c.truth.recordedSizes(segment, from(c));
    if (sizes.length === 0) return has(r, `No data for ${label}`, `*${segment}*`);
    if (sizes.length === 1)
      return has(r, `*${segment}* had ${sizes[0]} customers on`, `the only size recorded ${label}`);
    return chart(r, `Size of ${segment}, ${label}`, `from ${sizes.length} daily sizes`);
  };
const since = (month: number) => (c: CheckContext) =>
  new Date(
    Date.UTC(c.now.getUTCMonth() >= month ? c.now.getUTCFullYear() : c.now.getUTCFullYear() - 1, month, 1),
  );
const sinceLabel = (month: number, now: Date) =>
  `since ${new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(since(month)({ now } as CheckContext))}`;
const ask =
  (...needles: string[]) =>
  async (r: BotReply) =>
    has(r, 'I need a bit more', '"type":"button"', ...needles);
const denied = async (r: BotReply) => has(r, 'Sorry,');

/** One case: the question, how it is sent, by whom, and its check. */
function question(
  q: string,
  via: MarketerCase['via'],
  user: MarketerCase['user'],
  check: MarketerCase['check'],
): MarketerCase {
  return { q, via, user, check };
}

/** The cases, in a fixed order (validation = every fourth). */
export const MARKETER_CASES: MarketerCase[] = [
  // Segments: size, description, list.
  question('how big is bargain hunters?', 'slash', 'UMKT', segSize('bargain hunters')),
  question('size of segment bargain hunters', 'mention', 'UMKT', segSize('bargain hunters')),
  question('how many customers are in promoters', 'dm', 'UMKT', segSize('promoters')),
  question('number of members in the detractors segment', 'slash', 'UVIEW', segSize('detractors')),
  question('how large is young explorers', 'mention', 'UADMIN', segSize('young explorers')),
  question('what is the size of the detractors segment?', 'dm', 'UMKT', segSize('detractors')),
  question('count of customers in bargain hunters', 'slash', 'UVIEW', segSize('bargain hunters')),
  question('how many people are in young explorers?', 'slash', 'UMKT', segSize('young explorers')),
  question('describe the promoters segment', 'slash', 'UMKT', async (r, c) =>
    has(r, '*promoters*', `${await c.truth.segmentSize('promoters')} customers`),
  ),
  question('tell me about young explorers', 'mention', 'UMKT', async (r, c) =>
    has(r, '*young explorers*', `${await c.truth.segmentSize('young explorers')} customers`),
  ),
  question('who are the bargain hunters?', 'dm', 'UVIEW', async (r, c) =>
    has(r, '*bargain hunters*', `${await c.truth.segmentSize('bargain hunters')} customers`),
  ),
  question('list our segments', 'slash', 'UMKT', async (r, c) =>
    has(r, ...(await c.truth.segmentNames()).map((n) => `*${n}*`)),
  ),
  question('which segments do we have?', 'mention', 'UVIEW', async (r, c) =>
    has(r, `${(await c.truth.segmentNames()).length} saved segment`),
  ),
  question('show all segments', 'dm', 'UADMIN', async (r, c) =>
    has(r, ...(await c.truth.segmentNames()).map((n) => `*${n}*`)),
  ),
  // NPS and CSAT for a period and a segment.
  question(
    'NPS this month',
    'slash',
    'UMKT',
    nps((c) => P(c).thisMonth, 'this month'),
  ),
  question(
    'what was our NPS last month?',
    'mention',
    'UMKT',
    nps((c) => P(c).lastMonth, 'last month'),
  ),
  question(
    'net promoter score over the last 30 days',
    'dm',
    'UVIEW',
    nps((c) => P(c).last30, 'last 30 days'),
  ),
  question(
    'nps',
    'slash',
    'UVIEW',
    nps((c) => P(c).last30, 'last 30 days'),
  ),
  question(
    'NPS for bargain hunters this month',
    'slash',
    'UMKT',
    nps((c) => P(c).thisMonth, 'this month', 'bargain hunters'),
  ),
  question(
    'how do young explorers rate us on NPS over the last 90 days',
    'mention',
    'UMKT',
    nps((c) => P(c).last90, 'last 90 days', 'young explorers'),
  ),
  question(
    'NPS of the promoters segment last month',
    'dm',
    'UMKT',
    nps((c) => P(c).lastMonth, 'last month', 'promoters'),
  ),
  question(
    'promoter score for detractors in the last 90 days',
    'slash',
    'UADMIN',
    nps((c) => P(c).last90, 'last 90 days', 'detractors'),
  ),
  question(
    'CSAT this month',
    'slash',
    'UMKT',
    csat((c) => P(c).thisMonth, 'this month'),
  ),
  question(
    'how satisfied were customers last month?',
    'mention',
    'UVIEW',
    csat((c) => P(c).lastMonth, 'last month'),
  ),
  question(
    'customer satisfaction over the last 90 days',
    'dm',
    'UMKT',
    csat((c) => P(c).last90, 'last 90 days'),
  ),
  question(
    'csat for bargain hunters over the last 90 days',
    'slash',
    'UMKT',
    csat((c) => P(c).last90, 'last 90 days', 'bargain hunters'),
  ),
  question(
    'what is the CSAT of young explorers last month',
    'mention',
    'UADMIN',
    csat((c) => P(c).lastMonth, 'last month', 'young explorers'),
  ),
  question(
    'satisfaction score in the last 30 days',
    'slash',
    'UMKT',
    csat((c) => P(c).last30, 'last 30 days'),
  ),
  // Trends and charts.
  question('chart NPS over the last 6 months', 'slash', 'UMKT', async (r) => chart(r, 'NPS by month')),
  question('how has NPS changed month by month?', 'mention', 'UMKT', async (r) => chart(r, 'NPS by month')),
  question('plot CSAT by month', 'dm', 'UVIEW', async (r) => chart(r, 'CSAT % satisfied by month')),
  question('NPS trend for bargain hunters', 'slash', 'UMKT', async (r) =>
    chart(r, 'NPS by month', 'bargain hunters'),
  ),
  question('graph satisfaction over time', 'mention', 'UADMIN', async (r) =>
    chart(r, 'CSAT % satisfied by month'),
  ),
  question('show me the NPS history of promoters', 'slash', 'UMKT', async (r) =>
    chart(r, 'NPS by month', 'promoters'),
  ),
  question('chart of openness by age band', 'slash', 'UMKT', async (r) =>
    chart(r, 'Mean Intellect/Imagination', 'by age band', '18-24'),
  ),
  question('price consciousness by age group', 'mention', 'UMKT', async (r) =>
    chart(r, 'Mean Price consciousness', 'by age band'),
  ),
  question('compare novelty seeking across age bands', 'dm', 'UVIEW', async (r) =>
    chart(r, 'Mean Novelty seeking', 'by age band'),
  ),
  question('mean brand loyalty per segment', 'slash', 'UMKT', async (r) =>
    chart(r, 'Mean Brand loyalty', 'by segment'),
  ),
  question('plot extraversion by age', 'mention', 'UADMIN', async (r) =>
    chart(r, 'Mean Extraversion', 'by age band'),
  ),
  // Surveys: results, completion, drop-off.
  question('results big-five', 'slash', 'UMKT', results('mini-ipip-20')),
  question('survey results of purchase-motivation', 'mention', 'UVIEW', results('purchase-motivation')),
  question('show me the results of the personality survey', 'dm', 'UMKT', results('mini-ipip-20')),
  question(
    'what is the completion rate of the purchase-motivation survey?',
    'slash',
    'UMKT',
    funnel('purchase-motivation'),
  ),
  question('where do people drop off in the big five survey', 'mention', 'UMKT', funnel('mini-ipip-20')),
  question('how many people finished the nps survey', 'dm', 'UVIEW', funnel('nps')),
  question('drop-off per question for purchase motivation', 'slash', 'UADMIN', funnel('purchase-motivation')),
  question('abandonment of the personality questionnaire', 'mention', 'UMKT', funnel('mini-ipip-20')),
  question('completion of the csat survey', 'slash', 'UMKT', funnel('csat')),
  // Products.
  question('top products bought with coffee', 'slash', 'UMKT', together(/coffee/i)),
  question('what do people buy together with hiking boots?', 'mention', 'UMKT', together(/boot/i)),
  // The demo shop sells no French press: the answer must say so, not pass a grinder off as one.
  question('what goes with the french press', 'dm', 'UVIEW', async (r) =>
    has(r, 'I can\'t find a product "french press"'),
  ),
  question('frequently bought with a rain jacket', 'slash', 'UMKT', together(/jacket/i)),
  question('which products sell alongside a yoga mat', 'mention', 'UADMIN', together(/yoga|mat/i)),
  question(
    'top products last quarter',
    'slash',
    'UMKT',
    top((c) => P(c).lastQuarter, 'last quarter'),
  ),
  question(
    'best sellers in the last 30 days',
    'mention',
    'UVIEW',
    top((c) => P(c).last30, 'last 30 days'),
  ),
  question(
    'most popular footwear products in the last 90 days',
    'dm',
    'UMKT',
    top((c) => P(c).last90, 'last 90 days', 'Footwear'),
  ),
  question(
    'what sold best this month',
    'slash',
    'UMKT',
    top((c) => P(c).thisMonth, 'this month'),
  ),
  question(
    'top selling coffee products over the last 90 days',
    'mention',
    'UMKT',
    top((c) => P(c).last90, 'last 90 days', 'Coffee & Kitchen'),
  ),
  // Chat: volumes, fallback and handoff rates.
  question(
    'conversation volume last 7 days',
    'slash',
    'UMKT',
    volume((c) => P(c).last7, 'last 7 days'),
  ),
  question(
    'how many chats did we have this month?',
    'mention',
    'UVIEW',
    volume((c) => P(c).thisMonth, 'this month'),
  ),
  question(
    'number of conversations in the last 90 days',
    'dm',
    'UMKT',
    volume((c) => P(c).last90, 'last 90 days'),
  ),
  question(
    'how busy was the chat last month',
    'slash',
    'UADMIN',
    volume((c) => P(c).lastMonth, 'last month'),
  ),
  question(
    'conversation volume',
    'mention',
    'UMKT',
    volume((c) => P(c).last30, 'last 30 days'),
  ),
  question(
    'fallback rate this month',
    'slash',
    'UMKT',
    fallback((c) => P(c).thisMonth, 'this month'),
  ),
  question(
    'how often did the bot not understand customers in the last 90 days?',
    'mention',
    'UMKT',
    fallback((c) => P(c).last90, 'last 90 days'),
  ),
  question(
    'share of messages not understood last month',
    'dm',
    'UVIEW',
    fallback((c) => P(c).lastMonth, 'last month'),
  ),
  question(
    'handoff rate in the last 30 days',
    'slash',
    'UMKT',
    handoff((c) => P(c).last30, 'last 30 days'),
  ),
  question(
    'how often do chats get escalated to a human this month',
    'mention',
    'UADMIN',
    handoff((c) => P(c).thisMonth, 'this month'),
  ),
  question(
    'what share of conversations go to an agent over the last 90 days',
    'dm',
    'UMKT',
    handoff((c) => P(c).last90, 'last 90 days'),
  ),
  question(
    'fallback and handoff rates last month',
    'slash',
    'UMKT',
    async (r, c) =>
      (await fallback((x) => P(x).lastMonth, 'last month')(r, c)) ??
      handoff((x) => P(x).lastMonth, 'last month')(r, c),
  ),
  // Comment themes with quotes (marketer and admin only).
  question('what do customers dislike most?', 'slash', 'UMKT', themes),
  question('main complaints in the last 90 days', 'mention', 'UADMIN', themes),
  question('what are people unhappy about', 'dm', 'UMKT', themes),
  question('summarise the complaint themes with quotes', 'slash', 'UMKT', themes),
  question('what do customers dislike most?', 'mention', 'UVIEW', denied),
  // Customers (admin only).
  question('look up customer ada.abbott.1@example.com', 'slash', 'UADMIN', async (r) =>
    r.text.includes("I can't find") ? has(r, "can't find") : has(r, '@example.com', 'Age band', 'Segments:'),
  ),
  question('who is demo-respondent-012?', 'dm', 'UADMIN', async (r) =>
    has(r, 'Age band', 'Marketing opt-in', 'NPS class'),
  ),
  question('show me the profile of customer demo-respondent-200', 'mention', 'UADMIN', async (r) =>
    has(r, 'Age band', 'Surveys:'),
  ),
  question('look up customer demo-respondent-012', 'slash', 'UMKT', denied),
  question('find customer demo-respondent-033', 'mention', 'UVIEW', denied),
  question('recommendations for demo-respondent-045', 'slash', 'UMKT', async (r) =>
    has(r, 'Recommendations for demo-respondent-045'),
  ),
  // Segments built in plain language (confirmed before saving), exports honouring consent.
  question(
    'create a segment called bargain lovers with everyone whose price consciousness is above 3.5',
    'slash',
    'UMKT',
    async (r, c) =>
      has(
        r,
        'segment *bargain lovers*',
        'price consciousness > 3.5',
        `*${await c.truth.traitAbove('price', 3.5)}* customers`,
        'Save segment',
      ),
  ),
  question(
    'create a segment called happy hikers with customers who are promoters and bought footwear',
    'mention',
    'UMKT',
    async (r, c) =>
      has(
        r,
        'segment *happy hikers*',
        'NPS class is promoter and bought categories includes footwear',
        `*${await c.truth.promotersWhoBought('Footwear')}* customers`,
      ),
  ),
  question(
    'make a segment named loyal fans of everyone whose brand loyalty is at least 4',
    'dm',
    'UADMIN',
    async (r) => has(r, 'segment *loyal fans*', 'brand loyalty ≥ 4', 'Save segment'),
  ),
  question(
    'create a segment called curious minds with people whose openness is above 3.8',
    'slash',
    'UMKT',
    async (r, c) =>
      has(r, 'segment *curious minds*', `*${await c.truth.traitAbove('intellect', 3.8)}* customers`),
  ),
  question('create a segment called big spenders', 'slash', 'UMKT', ask('who belongs')),
  question(
    'create a segment called night owls with everyone who likes the moon',
    'mention',
    'UMKT',
    ask('a condition I can read'),
  ),
  question(
    'create a segment called bargain lovers with everyone whose price consciousness is above 3.5',
    'slash',
    'UVIEW',
    denied,
  ),
  question('send me the promoters as a spreadsheet', 'slash', 'UMKT', exportCsv('promoters')),
  question('export bargain hunters to csv', 'mention', 'UADMIN', exportCsv('bargain hunters')),
  question('download the young explorers segment', 'dm', 'UMKT', exportCsv('young explorers')),
  question('send me the promoters as a spreadsheet', 'slash', 'UVIEW', denied),
  // Asking for more only when something required is missing, with buttons.
  question('how big is the segment?', 'slash', 'UMKT', ask('which segment', 'bargain hunters')),
  question('export a segment as csv', 'mention', 'UMKT', ask('which segment to export')),
  question('what is the completion rate?', 'dm', 'UMKT', ask('which survey', 'purchase-motivation')),
  question('what is bought together with', 'slash', 'UMKT', ask('which product')),
  // Help, greetings and the handoff queue.
  question('help', 'slash', 'UVIEW', async (r) => has(r, 'Ask me in plain English', 'Segments')),
  question('what can you do?', 'mention', 'UMKT', async (r) => has(r, 'Ask me in plain English')),
  question('are any handoffs waiting?', 'dm', 'UMKT', async (r) => has(r, 'waiting for a person')),
  // The README's own examples (its marketer section and introduction), word for word, that the
  // cases above did not already ask: a README example that fails shows up here.
  question('describe promoters', 'slash', 'UMKT', async (r, c) =>
    has(r, '*promoters*', `${await c.truth.segmentSize('promoters')} customers`),
  ),
  question('list segments', 'mention', 'UVIEW', async (r, c) =>
    has(r, ...(await c.truth.segmentNames()).map((n) => `*${n}*`)),
  ),
  question(
    'CSAT last quarter for bargain hunters',
    'dm',
    'UMKT',
    csat((c) => P(c).lastQuarter, 'last quarter', 'bargain hunters'),
  ),
  question(
    'best sellers in footwear',
    'slash',
    'UMKT',
    top((c) => P(c).last90, 'last 90 days', 'Footwear'),
  ),
  question(
    'conversation volume last week',
    'mention',
    'UMKT',
    volume((c) => lastWeek(c.now), 'last week'),
  ),
  // Overlaps and growth of segments (sizes recorded at each recomputation), and one more export.
  question(
    'how much do bargain hunters and promoters overlap?',
    'slash',
    'UMKT',
    overlap('bargain hunters', 'promoters'),
  ),
  question(
    'overlap between young explorers and bargain hunters',
    'mention',
    'UVIEW',
    overlap('young explorers', 'bargain hunters'),
  ),
  question('which segments overlap most?', 'dm', 'UMKT', mostOverlap),
  question(
    'how many customers are in both promoters and young explorers',
    'slash',
    'UADMIN',
    overlap('promoters', 'young explorers'),
  ),
  question('how has bargain hunters grown since June?', 'mention', 'UMKT', async (r, c) =>
    growth('bargain hunters', since(5), sinceLabel(5, c.now))(r, c),
  ),
  question(
    'size history of promoters over the last 6 months',
    'dm',
    'UVIEW',
    growth(
      'promoters',
      (c) => new Date(Date.UTC(c.now.getUTCFullYear(), c.now.getUTCMonth() - 6, 1)),
      'last 6 months',
    ),
  ),
  question(
    'is young explorers growing?',
    'slash',
    'UMKT',
    growth('young explorers', (c) => P(c).last182.from, 'last 182 days'),
  ),
  question('send me the detractors as a spreadsheet', 'mention', 'UMKT', exportCsv('detractors')),
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
