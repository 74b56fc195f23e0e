// Answers a marketer's question through the ports, within the caller's role. Every figure names
// the period and the data it was computed from; a missing chart says "no data for <period>".
// Channel-neutral: the Slack channel renders the reply as Block Kit, a PNG or a CSV upload.
import type { ChartData } from '../analytics/chart.js';
import { queueLine, statsLine } from '../handoff/queue.js';
import type { Catalog, Handoffs, MarketerAnalytics, MemberRole, ProductCard } from '../ports.js';
import type { MarketerInsights } from './ports.js';
import { QUESTION_ACCESS, type MarketerQuestion } from './questions.js';
import { describeRules } from './segment-language.js';

/** A button on a reply: `question` buttons ask that question again in the marketer's name. */
export interface ReplyButton {
  text: string;
  actionId: string;
  value: string;
  style?: 'primary' | 'danger';
}

/** What the marketer sees. */
export interface MarketerReply {
  text: string;
  fields?: Array<{ label: string; value: string }>;
  lines?: string[];
  products?: ProductCard[];
  buttons?: ReplyButton[];
  chart?: { title: string; png: Uint8Array };
  file?: { filename: string; title: string; content: string };
}

/** Ports and helpers the answers need. */
export interface MarketerAnswerDeps {
  analytics: MarketerAnalytics;
  insights: MarketerInsights;
  catalog: Catalog;
  handoffs: Handoffs;
  /** Masks e-mails, phone numbers, cards in quoted comments. */
  maskPII(text: string): string;
  renderChart(data: ChartData): Promise<Uint8Array>;
}

/** Usage lines shown by help. */
export const MARKETER_HELP = [
  '*Segments*: "list segments" · "how big is bargain hunters?" · "describe promoters" · "create a segment called bargain lovers with everyone whose price consciousness is above 3.5" · "send me the promoters as a spreadsheet"',
  '*NPS / CSAT*: "NPS this month" · "CSAT last quarter for bargain hunters" · "chart NPS over the last 6 months"',
  '*Surveys*: "results of big-five" · "completion and drop-off of the purchase-motivation survey" · "chart of openness by age band"',
  '*Products*: "top products last quarter" · "top products bought with coffee"',
  '*Chat*: "conversation volume last week" · "fallback rate this month" · "handoff rate last 30 days" · "what do customers dislike most?" · "handoffs waiting"',
  '*Customers* (admin): "look up customer ada.abbott.1@example.com" · "recommendations for Ada Abbott"',
  '*Roles* (admin): `/mkt roles list` · `/mkt roles add @user marketer` · `/mkt roles remove @user`',
];

const signed = (x: number) => `${x > 0 ? '+' : ''}${Math.round(x)}`;
const pct = (part: number, whole: number) => (whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)}%`);

function denied(role: MemberRole, need: 'customers' | 'admin'): MarketerReply {
  return {
    text:
      need === 'admin'
        ? `Sorry, that needs the admin role (yours is ${role}).`
        : `Sorry, your role (${role}) can see aggregate figures only. Ask an admin for the marketer role.`,
  };
}

/** Answers one question for a member with `role`. */
export async function answerQuestion(
  q: MarketerQuestion,
  role: MemberRole,
  deps: MarketerAnswerDeps,
): Promise<MarketerReply> {
  const need = QUESTION_ACCESS[q.kind];
  if (need === 'admin' && role !== 'admin') return denied(role, 'admin');
  if (need === 'customers' && role === 'viewer') return denied(role, 'customers');
  const { insights, analytics } = deps;
  switch (q.kind) {
    case 'help':
      return { text: 'Ask me in plain English, for example:', lines: MARKETER_HELP };
    case 'greet':
      return {
        text: 'Hi! Ask me about segments, NPS, CSAT, surveys, products or the chat. Say "help" for examples.',
      };
    case 'unknown':
      return {
        text: 'Sorry, I didn\'t get that. Say "help" for the questions I answer.',
        buttons: [{ text: 'Show examples', actionId: 'mkt_ask_help', value: 'help' }],
      };
    case 'missing':
      return {
        text: `I need a bit more: ${q.what}. For example: "${q.example}".`,
        buttons: q.choices
          .slice(0, 5)
          .map((c, i) => ({ text: c.label, actionId: `mkt_ask_${i}`, value: c.question })),
      };
    case 'segments': {
      const segments = await analytics.listSegments();
      if (segments.length === 0)
        return {
          text: 'No segments yet. Create one: "create a segment called bargain lovers with everyone whose price consciousness is above 3.5".',
        };
      return {
        text: `${segments.length} saved segment${segments.length === 1 ? '' : 's'} (sizes as of the last recomputation):`,
        lines: segments.map(
          (s) => `*${s.name}*: ${s.size} customers (${s.kind})${s.description ? `: ${s.description}` : ''}`,
        ),
        buttons: segments
          .slice(0, 5)
          .map((s) => ({ text: `Describe ${s.name}`, actionId: `mkt_segment_${s.id}`, value: s.name })),
      };
    }
    case 'segment': {
      const s = await analytics.segment(q.name);
      if (!s) return { text: `I don't know a segment called "${q.name}". Say "list segments".` };
      if (q.focus === 'size')
        return {
          text: `*${s.name}* has ${s.size} customers (saved ${s.kind} segment${s.description ? `: ${s.description}` : ''}).`,
        };
      return {
        text: `*${s.name}*: ${s.size} customers, ${s.kind} segment${s.description ? `. ${s.description}` : ''}`,
        lines: (s.overIndexed ?? [])
          .slice(0, 6)
          .map((f) => `${f.feature}: ${f.ratio.toFixed(2)}× the average`),
      };
    }
    case 'metric': {
      const r = await insights.metric(q.metric, q.period, q.segment);
      const who = q.segment ? `segment ${q.segment}` : 'all customers';
      const name = q.metric === 'nps' ? 'NPS' : 'CSAT';
      if (r.n === 0) return { text: `No ${name} answers for ${q.period.label} (${who}).` };
      const value = q.metric === 'nps' ? `*${signed(r.value)}*` : `*${r.value.toFixed(1)}%* satisfied`;
      return {
        text: `${name} for ${q.period.label} (${who}): ${value}, from ${r.n} answers to the ${name} survey.`,
        fields: [...r.parts, { label: 'Answers', value: String(r.n) }],
        buttons: [
          {
            text: `Chart ${name} over time`,
            actionId: 'mkt_ask_trend',
            value: `chart ${name} over the last 6 months${q.segment ? ` for ${q.segment}` : ''}`,
          },
        ],
      };
    }
    case 'trend': {
      const rows = await insights.trend(q.metric, q.period, q.segment);
      const name = q.metric === 'nps' ? 'NPS' : 'CSAT % satisfied';
      const who = q.segment ? `segment ${q.segment}` : 'all customers';
      if (rows.length === 0) return { text: `No data for ${q.period.label}: no ${name} answers (${who}).` };
      const n = rows.reduce((a, r) => a + (r.n ?? 0), 0);
      const title = `${name} by month, ${q.period.label} (${who}, ${n} answers)`;
      return {
        text: `${title}: ${rows.map((r) => `${r.x} ${q.metric === 'nps' ? signed(r.y) : `${r.y}%`}`).join(' · ')}`,
        chart: {
          title,
          png: await deps.renderChart({
            title,
            mark: 'line',
            xTitle: 'Month',
            yTitle: name,
            rows,
            ...(q.metric === 'nps'
              ? { yDomain: [-100, 100] as [number, number] }
              : { yDomain: [0, 100] as [number, number] }),
          }),
        },
      };
    }
    case 'trait_by': {
      const vocab = await insights.vocabulary();
      const label = vocab.traits[q.trait] ?? q.trait;
      const rows = await insights.traitBy(q.trait, q.by);
      const by = q.by === 'ageBand' ? 'age band' : 'segment';
      if (rows.length === 0)
        return { text: `No data: no stored profile has a ${label} score yet (all time).` };
      const n = rows.reduce((a, r) => a + (r.n ?? 0), 0);
      const title = `Mean ${label} (1–5) by ${by}, all stored profiles (${n} scores)`;
      return {
        text: `${title}: ${rows.map((r) => `${r.x} ${r.y.toFixed(2)} (n=${r.n})`).join(' · ')}`,
        chart: {
          title,
          png: await deps.renderChart({
            title,
            mark: 'bar',
            xTitle: by,
            yTitle: `${label} (mean)`,
            rows,
            yDomain: [1, 5],
          }),
        },
      };
    }
    case 'survey_results': {
      const r = await analytics.surveyResults(q.instrumentId);
      if (!r) return { text: `I don't know a survey called "${q.instrumentId}".` };
      // Comments are personal words: the marketer and admin roles read them, PII masked.
      const comments =
        role !== 'viewer' && insights.surveyComments
          ? await insights.surveyComments(r.instrumentId, 3)
          : null;
      return {
        text: `*${r.title}* (all time): ${r.completed} completed of ${r.started} started`,
        lines: [
          ...r.scales.map(
            (s) =>
              `${s.name}: mean ${s.mean.toFixed(2)} (n=${s.n}${s.alpha !== undefined ? `, α=${s.alpha.toFixed(2)}` : ''})`,
          ),
          ...(comments && comments.total > 0
            ? [
                `Comments: ${comments.total}; newest: ${comments.latest.map((t) => `“${deps.maskPII(t)}”`).join(' · ')}`,
              ]
            : []),
        ],
        buttons: [
          {
            text: 'Completion and drop-off',
            actionId: 'mkt_ask_funnel',
            value: `completion and drop-off of ${r.instrumentId}`,
          },
        ],
      };
    }
    case 'survey_funnel': {
      const f = await insights.surveyFunnel(q.instrumentId);
      if (!f) return { text: `I don't know a survey called "${q.instrumentId}".` };
      if (f.started === 0) return { text: `No data: nobody has started *${f.title}* yet (all time).` };
      let worst = { id: '', text: '', drop: 0 };
      f.items.forEach((item, i) => {
        const prev = i === 0 ? f.started : f.items[i - 1]!.answered;
        const drop = prev - item.answered;
        if (drop > worst.drop) worst = { id: item.id, text: item.text, drop };
      });
      return {
        text: `*${f.title}* (all time): ${f.completed} of ${f.started} sessions completed (${pct(f.completed, f.started)}), ${f.abandoned} abandoned, ${f.active} in progress.`,
        lines: [
          ...(worst.drop > 0 ? [`Biggest drop-off: ${worst.drop} respondents before "${worst.text}"`] : []),
          ...f.items.slice(0, 25).map((i) => `${i.text}: answered by ${i.answered}`),
        ],
      };
    }
    case 'bought_together': {
      const product =
        (await deps.catalog.get(q.product)) ??
        (await deps.catalog.search({ text: q.product, filters: {}, k: 1 }))[0];
      if (!product || !namesProduct(q.product, `${product.name} ${product.sku}`))
        return {
          text: `I can't find a product "${q.product}" in the catalog${product ? ` (the closest is ${product.name})` : ''}.`,
        };
      const items = await deps.catalog.boughtTogether(product.sku, 5);
      if (items.length === 0)
        return { text: `No bought-together rules for *${product.name}* yet (rules mined from all orders).` };
      return {
        text: `Most often bought with *${product.name}* (${product.sku}), from the rules mined over all orders:`,
        products: items,
      };
    }
    case 'top_products': {
      const rows = await insights.topProducts(q.period, q.category);
      const scope = q.category ? `${q.category}, ` : '';
      if (rows.length === 0) return { text: `No orders for ${scope}${q.period.label}.` };
      return {
        text: `Top products by units ordered (${scope}${q.period.label}, from orders):`,
        lines: rows.map((r, i) => `${i + 1}. ${r.name} (${r.sku}): ${r.units} units`),
      };
    }
    case 'conversations': {
      const r = await insights.conversations(q.period);
      return {
        text: `Conversations started in ${q.period.label} (all channels): *${r.conversations}*, with ${r.userMessages} customer messages from ${r.customers} customers.`,
      };
    }
    case 'rates': {
      const r = await insights.rates(q.period);
      const lines = [
        ...(q.focus !== 'handoff'
          ? [
              `Fallback rate: *${pct(r.fallbacks, r.userMessages)}* (${r.fallbacks} of ${r.userMessages} customer messages not understood)`,
            ]
          : []),
        ...(q.focus !== 'fallback'
          ? [
              `Handoff rate: *${pct(r.handoffs, r.conversations)}* (${r.handoffs} handoffs in ${r.conversations} conversations)`,
            ]
          : []),
      ];
      return { text: `Chat for ${q.period.label} (all channels):`, lines };
    }
    case 'themes': {
      const c = await insights.negativeComments(q.period);
      if (c.texts.length === 0)
        return { text: `No negative comments for ${q.period.label} (survey free text and chat).` };
      const themes = await insights.themes(c.texts);
      return {
        text: `What customers complain about, ${q.period.label} (${c.answers} free-text survey answers and ${c.messages} negative chat messages):`,
        lines: themes.map(
          (t, i) =>
            `${i + 1}. *${t.label}* (${t.size} comments): ${t.quotes.map((quote) => `“${deps.maskPII(quote)}”`).join(' ')}`,
        ),
      };
    }
    case 'customer': {
      const c = await insights.customer(q.reference);
      if (!c) return { text: `I can't find a customer "${q.reference}".` };
      return {
        text: `*${c.name ?? 'unnamed customer'}*${c.email ? ` <${c.email}>` : ''}${c.demo ? ' (demo data)' : ''}`,
        fields: [
          { label: 'Age band', value: c.ageBand ?? 'unknown' },
          { label: 'Marketing opt-in', value: c.marketingOptIn ? 'yes' : 'no' },
          { label: 'NPS class', value: c.npsClass ?? 'no answer' },
          { label: 'Orders', value: String(c.orders) },
        ],
        lines: [
          ...c.traits.map(
            (t) =>
              `${t.label}: ${t.score.toFixed(2)}${t.percentile !== null ? ` (${Math.round(t.percentile)}th percentile)` : ''}`,
          ),
          `Segments: ${c.segments.join(', ') || 'none'}`,
          `Surveys: ${c.surveys.map((s) => `${s.instrumentId} (${s.status})`).join(', ') || 'none'}`,
        ],
      };
    }
    case 'recommend_customer': {
      const id = (await insights.customer(q.customer))?.id ?? (await analytics.findCustomer(q.customer));
      if (!id) return { text: `I can't find a customer "${q.customer}".` };
      const items = await deps.catalog.forCustomer(id, 5);
      if (items.length === 0) return { text: 'Nothing to recommend for that customer yet.' };
      return { text: `Recommendations for ${q.customer} (from their history and profile):`, products: items };
    }
    case 'segment_create': {
      const vocab = await insights.vocabulary();
      const size = await insights.segmentPreview(q.rule);
      const exists = vocab.segments.some((s) => s.toLowerCase() === q.rule.name.toLowerCase());
      return {
        text: `${exists ? 'Redefine' : 'Create'} segment *${q.rule.name}*: ${describeRules(q.rule.rules, vocab.traits)}. It would hold *${size}* customers today. Save it?`,
        buttons: [
          {
            text: 'Save segment',
            actionId: 'mkt_segment_save',
            value: JSON.stringify(q.rule),
            style: 'primary',
          },
          { text: 'Cancel', actionId: 'mkt_segment_cancel', value: q.rule.name },
        ],
      };
    }
    case 'segment_export': {
      const e = await insights.segmentExport(q.name);
      if (!e) return { text: `I don't know a segment called "${q.name}".` };
      return {
        text: `*${e.name}*: ${e.rows} customers who agreed to marketing (${e.withoutConsent} without consent left out). Columns: customer_id, name, email, age_band, nps_class.`,
        file: {
          filename: `${e.name.replace(/[^a-z0-9]+/gi, '-')}.csv`,
          title: `Segment ${e.name}`,
          content: e.csv,
        },
      };
    }
    case 'roles':
      return {
        text: 'Roles are managed with `/mkt roles list`, `/mkt roles add @user marketer|viewer|admin` and `/mkt roles remove @user`.',
      };
    case 'handoffs': {
      const open = await deps.handoffs.listActive(10);
      const now = new Date();
      const stats = await deps.handoffs.stats?.(new Date(now.getTime() - 7 * 24 * 3600 * 1000));
      const figures = stats ? [statsLine(stats, 'Last 7 days')] : [];
      if (open.length === 0)
        return {
          text: 'No conversations are waiting for a person.',
          ...(figures.length ? { lines: figures } : {}),
        };
      return {
        text: `${open.length} conversation${open.length === 1 ? '' : 's'} waiting for a person:`,
        lines: [...open.map((h, i) => queueLine(h, i, now)), ...figures],
        buttons: open.slice(0, 5).flatMap((h, i) =>
          h.status === 'open'
            ? [
                {
                  text: `Claim #${i + 1}`,
                  actionId: `mkt_handoff_claim_${i}`,
                  value: h.id,
                  style: 'primary' as const,
                },
              ]
            : [{ text: `Release #${i + 1}`, actionId: `mkt_handoff_release_${i}`, value: h.id }],
        ),
      };
    }
  }
}

/** Whether the words a marketer used appear in the product found (no "closest match" passed off as it). */
function namesProduct(asked: string, name: string): boolean {
  const stem = (w: string) =>
    w
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')
      .slice(0, 5);
  const have = new Set(name.split(/[\s,/-]+/).map(stem));
  const words = asked.split(/[\s,/-]+/).filter((w) => w.length > 2 && !/^(the|and|our|for|with)$/i.test(w));
  return words.length === 0 || words.some((w) => have.has(stem(w)));
}
