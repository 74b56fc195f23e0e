// Runs scripted conversations end to end through Direct Line against a started chat server (real
// dialog, NLU, index, database) and checks each turn's expectations plus the invariants every
// reply must keep: no button without a title or without what it sends. Used by
// `npm run bench -- conversations` (all cases) and by test/bots/conversations.test.ts (fast subset).
import { createHash } from 'node:crypto';
import type { PrismaClient } from '../../prisma/index.js';
import { DirectLineConversation, HttpClient, type DlActivity } from '../platform/directline-client.js';
import type { ConversationCase, TurnExpect } from './conversation-cases.js';

interface CardAction {
  type: string;
  title?: string;
  text?: string;
  value?: unknown;
  displayText?: string;
}

/** A bot message as the harness reads it. */
interface BotMessage extends DlActivity {
  replyToId?: string;
  channelData?: { tag?: string };
  attachments?: Array<{
    contentType: string;
    content?: { title?: string; subtitle?: string; buttons?: CardAction[] };
  }>;
  suggestedActions?: { actions: CardAction[] };
}

/** Outcome of one case. */
export interface CaseResult {
  id: string;
  group: string;
  split: 'tune' | 'validation';
  ok: boolean;
  /** Why it failed (first failure), with the turn number. */
  failure?: string;
  /** Per-turn reply latency (ms). */
  latencies: number[];
}

/** Where to run. */
export interface RunTarget {
  url: string;
  prisma: PrismaClient;
}

const SETTLE_MS = 40;
const SILENT_WAIT_MS = 600;

/** Runs one case in a fresh conversation with a fresh customer. */
export async function runCase(c: ConversationCase, target: RunTarget, nonce: string): Promise<CaseResult> {
  const http = new HttpClient(target.url);
  // Direct Line user ids look like dl_<6-64 characters>; one fresh customer per case and run.
  const userId = `dl_cv${nonce}_${createHash('sha1').update(c.id).digest('hex').slice(0, 16)}`;
  const conv = new DirectLineConversation(http, userId);
  const latencies: number[] = [];
  const result = (failure?: string): CaseResult => ({
    id: c.id,
    group: c.group,
    split: c.split,
    ok: !failure,
    failure,
    latencies,
  });
  try {
    await conv.open();
    await conv.connectStream();
    // The greeting arrives on its own; wait for it so it is not taken as the first turn's reply.
    await conv.waitForBot(() => true, 0, 20_000, 50);
    let last: BotMessage[] = conv.botMessages() as BotMessage[];
    for (const [i, turn] of c.turns.entries()) {
      const body = activityFor(turn, last);
      if (typeof body === 'string') return result(`turn ${i + 1}: ${body}`);
      const started = performance.now();
      const id = await post(conv, body);
      const replies = await repliesTo(conv, id, turn.expect?.silent === true);
      latencies.push(performance.now() - started);
      const problem = checkInvariants(replies) ?? (turn.expect ? checkTurn(turn.expect, replies) : null);
      if (problem)
        return result(`turn ${i + 1} (${describe(turn)}): ${problem}; bot said ${summary(replies)}`);
      if (replies.length > 0) last = replies;
    }
    // The id the server issued at open(), not the label the case started with.
    return result(await checkAfter(c, target, conv.userId, conv.conversationId));
  } catch (error) {
    return result(`error: ${(error as Error).message}`);
  } finally {
    conv.closeStream();
    http.close();
  }
}

function describe(turn: ConversationCase['turns'][number]): string {
  return turn.say !== undefined
    ? JSON.stringify(turn.say.slice(0, 60))
    : turn.click
      ? `click "${turn.click}"`
      : `card ${JSON.stringify(turn.card)}`;
}

function summary(replies: BotMessage[]): string {
  return JSON.stringify(
    replies.map((r) => ({
      tag: r.channelData?.tag,
      text: r.text?.slice(0, 90),
      cards: r.attachments?.map((a) => a.content?.title),
      buttons: r.suggestedActions?.actions.map((a) => a.title),
    })),
  );
}

type Body = { text: string; value?: unknown };

function activityFor(turn: ConversationCase['turns'][number], last: BotMessage[]): Body | string {
  if (turn.say !== undefined) return { text: turn.say };
  if (turn.click !== undefined) {
    const action = last.flatMap((m) => m.suggestedActions?.actions ?? []).find((a) => a.title === turn.click);
    if (!action) return `no button "${turn.click}" in ${summary(last)}`;
    return bodyOf(action);
  }
  const [index, title] = turn.card!;
  const cards = last.flatMap((m) => m.attachments ?? []);
  const button = cards[index]?.content?.buttons?.find((b) => b.title === title);
  if (!button) return `no card ${index} with button "${title}"`;
  return bodyOf(button);
}

// What Web Chat sends for a button: imBack sends its value as text; messageBack its text and value.
function bodyOf(a: CardAction): Body {
  if (a.type === 'imBack') return { text: String(a.value ?? '') };
  return { text: a.text ?? '', value: a.value ?? undefined };
}

async function post(conv: DirectLineConversation, body: Body): Promise<string> {
  const res = await conv.http.postJson(
    `/v3/directline/conversations/${conv.conversationId}/activities`,
    {
      type: 'message',
      from: { id: conv.userId },
      text: body.text,
      ...(body.value !== undefined ? { value: body.value } : {}),
    },
    conv.token,
  );
  if (res.status !== 200) throw new Error(`post activity: HTTP ${res.status} ${res.body}`);
  return res.json<{ id: string }>().id;
}

async function repliesTo(conv: DirectLineConversation, id: string, silent: boolean): Promise<BotMessage[]> {
  const mine = () => (conv.botMessages() as BotMessage[]).filter((m) => m.replyToId === id);
  if (silent) {
    await new Promise((r) => setTimeout(r, SILENT_WAIT_MS));
    return mine();
  }
  await conv.waitForBot((m) => (m as BotMessage).replyToId === id, 0, 30_000, 20);
  // Several replies of one turn are sent together; wait until no more arrive.
  for (let n = mine().length; ;) {
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const now = mine().length;
    if (now === n) return mine();
    n = now;
  }
}

/** Invariants of every reply: buttons have a title and send something. */
export function checkInvariants(replies: BotMessage[]): string | null {
  for (const r of replies) {
    for (const a of r.suggestedActions?.actions ?? []) {
      if (!a.title?.trim()) return 'a quick reply without a title';
      const sends = a.type === 'imBack' ? String(a.value ?? '') : (a.text ?? '');
      if (!sends.trim()) return `button "${a.title}" sends empty text`;
      const v = a.value as { a?: string; text?: string } | undefined;
      if (v?.a === 'intent' && !v.text?.trim()) return `button "${a.title}" carries no customer text`;
    }
    for (const card of r.attachments ?? [])
      if (!card.content?.title?.trim()) return 'a product card without a name';
  }
  return null;
}

const list = (x: string | string[] | undefined) => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const tagMatches = (tag: string | undefined, want: string) =>
  tag !== undefined && (want.endsWith('*') ? tag.startsWith(want.slice(0, -1)) : tag === want);

function price(subtitle: string | undefined): number {
  return Number((subtitle ?? '').replace(/[^0-9.]/g, ''));
}

/** Checks one turn's expectations; returns the first problem or null. */
export function checkTurn(e: TurnExpect, replies: BotMessage[]): string | null {
  if (e.silent) return replies.length === 0 ? null : 'expected silence';
  if (replies.length === 0) return 'no reply';
  const tags = replies.map((r) => r.channelData?.tag);
  const wanted = list(e.tag);
  if (wanted.length > 0 && !wanted.some((w) => tags.some((t) => tagMatches(t, w))))
    return `expected tag ${wanted.join('|')}, got ${tags.join(',')}`;
  for (const w of list(e.notTag)) if (tags.some((t) => tagMatches(t, w))) return `unexpected tag ${w}`;
  const texts = replies.map((r) => r.text ?? '');
  if (e.text && !texts.some((t) => new RegExp(e.text!, 'i').test(t))) return `no reply matches /${e.text}/`;
  if (e.notText && texts.some((t) => new RegExp(e.notText!, 'i').test(t)))
    return `a reply matches /${e.notText}/`;
  const cards = replies.flatMap((r) => (r.attachments ?? []).map((a) => a.content ?? {}));
  if (e.noProducts && cards.length > 0) return `expected no products, got ${cards.length}`;
  if (e.buttons) {
    const titles = replies.flatMap((r) => r.suggestedActions?.actions.map((a) => a.title) ?? []);
    for (const b of e.buttons) if (!titles.includes(b)) return `no button "${b}"`;
  }
  const p = e.products;
  if (p) {
    if (cards.length < p.min) return `expected at least ${p.min} products, got ${cards.length}`;
    if (p.max !== undefined && cards.length > p.max)
      return `expected at most ${p.max} products, got ${cards.length}`;
    for (const card of cards) {
      const name = (card.title ?? '').toLowerCase();
      const sku = String((card.buttons?.[0]?.value as { sku?: string } | undefined)?.sku ?? '');
      if (p.types && !p.types.some((t) => sku.startsWith(`${t}-`)))
        return `product ${card.title} (${sku}) is not of type ${p.types.join('|')}`;
      if (p.nameAny && !p.nameAny.some((w) => name.includes(w.toLowerCase())))
        return `product ${card.title} lacks ${p.nameAny.join('|')}`;
      const cost = price(card.subtitle);
      if (p.maxPrice !== undefined && cost > p.maxPrice)
        return `product ${card.title} costs ${cost} > ${p.maxPrice}`;
      if (p.minPrice !== undefined && cost < p.minPrice)
        return `product ${card.title} costs ${cost} < ${p.minPrice}`;
    }
    const firstSku = String((cards[0]?.buttons?.[0]?.value as { sku?: string } | undefined)?.sku ?? '');
    if (p.firstTypes && !p.firstTypes.some((t) => firstSku.startsWith(`${t}-`)))
      return `first product ${cards[0]?.title} (${firstSku}) is not of type ${p.firstTypes.join('|')}`;
    const first = (cards[0]?.title ?? '').toLowerCase();
    if (p.firstAny && !p.firstAny.some((w) => first.includes(w.toLowerCase())))
      return `first product ${cards[0]?.title} lacks ${p.firstAny.join('|')}`;
  }
  return null;
}

async function checkAfter(
  c: ConversationCase,
  target: RunTarget,
  userId: string,
  conversationId: string,
): Promise<string | undefined> {
  const identity = await target.prisma.channelIdentity.findUnique({
    where: { channel_externalId: { channel: 'webchat', externalId: userId } },
    include: { customer: { include: { consents: true } } },
  });
  if (c.forgotten) return identity ? 'customer data still stored' : undefined;
  if (!identity) return 'no customer stored for the conversation';
  const customer = identity.customer;
  if (c.consent === 'unchanged' && (customer.marketingOptIn || customer.consents.length > 0))
    return 'consent changed';
  if (c.consent === 'in' && !customer.marketingOptIn) return 'consent not given';
  if (c.consent === 'out' && (customer.marketingOptIn || !customer.consents.some((x) => !x.granted)))
    return 'opt-out not recorded';
  const handoffs = await target.prisma.handoff.count({
    where: { conversation: { channel: 'webchat', externalId: conversationId } },
  });
  if (c.handoff && handoffs === 0) return 'no handoff opened';
  if (!c.handoff && handoffs > 0) return 'a handoff was opened';
  if (c.survey) {
    const sessions = await target.prisma.surveySession.count({
      where: { customerId: customer.id, instrumentId: c.survey },
    });
    if (sessions === 0) return `no ${c.survey} survey started`;
  }
  return undefined;
}

/** Runs cases with bounded concurrency. */
export async function runCases(
  cases: readonly ConversationCase[],
  target: RunTarget,
  options: { concurrency?: number; nonce?: string; progress?: (r: CaseResult) => void } = {},
): Promise<CaseResult[]> {
  const nonce = options.nonce ?? Date.now().toString(36);
  const results: CaseResult[] = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const i = next++;
      results[i] = await runCase(cases[i]!, target, nonce);
      options.progress?.(results[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, cases.length) }, worker));
  return results;
}

/** Task success overall, per split and per group. */
export function summarise(results: readonly CaseResult[]) {
  const rate = (rs: readonly CaseResult[]) => ({
    cases: rs.length,
    passed: rs.filter((r) => r.ok).length,
    taskSuccess: rs.length ? Math.round((rs.filter((r) => r.ok).length / rs.length) * 1000) / 1000 : null,
  });
  const groups = [...new Set(results.map((r) => r.group))].sort();
  return {
    overall: rate(results),
    tune: rate(results.filter((r) => r.split === 'tune')),
    validation: rate(results.filter((r) => r.split === 'validation')),
    perGroup: Object.fromEntries(
      groups.map((g) => {
        const rs = results.filter((r) => r.group === g);
        return [
          g,
          {
            tune: rate(rs.filter((r) => r.split === 'tune')),
            validation: rate(rs.filter((r) => r.split === 'validation')),
          },
        ];
      }),
    ),
  };
}
