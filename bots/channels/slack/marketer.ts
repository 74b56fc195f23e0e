// Answers marketer requests through the ports (analytics, catalog, handoffs) and the caller's role.
// Returns a channel-neutral answer; blocks.ts renders it as Block Kit.
import type { Catalog, Handoffs, MarketerAnalytics, MemberRole, ProductCard } from '../../ports.js';
import { MKT_USAGE, type MarketerRequest } from './marketer-intents.js';

/** A button on a marketer answer. */
export interface AnswerButton {
  text: string;
  actionId: string;
  value: string;
  style?: 'primary' | 'danger';
}

/** What the marketer sees. */
export interface MarketerAnswer {
  text: string;
  fields?: Array<{ label: string; value: string }>;
  lines?: string[];
  products?: ProductCard[];
  buttons?: AnswerButton[];
  chart?: { title: string; png: Uint8Array };
}

/** Ports the marketer side needs. */
export interface MarketerDeps {
  analytics: MarketerAnalytics;
  catalog: Catalog;
  handoffs: Handoffs;
}

// Customer-level data (one person's recommendations, taking over a chat) needs more than "viewer".
const CUSTOMER_LEVEL: ReadonlySet<MarketerRequest['kind']> = new Set(['recommend_customer']);

/** True when the role may see customer-level data. Pure. */
export function canSeeCustomers(role: MemberRole): boolean {
  return role === 'admin' || role === 'marketer';
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Answers one request. */
export async function answerMarketer(
  request: MarketerRequest,
  role: MemberRole,
  deps: MarketerDeps,
): Promise<MarketerAnswer> {
  if (CUSTOMER_LEVEL.has(request.kind) && !canSeeCustomers(role)) {
    return {
      text: 'Sorry, your role (viewer) can see aggregate figures only. Ask an admin for the marketer role.',
    };
  }
  switch (request.kind) {
    case 'help':
      return { text: 'Here is what I can do:', lines: MKT_USAGE };
    case 'greet':
      return {
        text: 'Hi! Ask me about segments, NPS, CSAT, survey results, charts or recommendations. Try `/mkt help`.',
      };
    case 'missing':
      return { text: `I need a bit more: ${request.usage}` };
    case 'unknown':
      return { text: "Sorry, I didn't get that. Try `/mkt help` for what I can answer." };
    case 'segments': {
      const segments = await deps.analytics.listSegments();
      if (segments.length === 0)
        return { text: 'No segments yet. Create one with `mkt segments` on the server.' };
      return {
        text: `${segments.length} segment${segments.length === 1 ? '' : 's'}:`,
        lines: segments.map(
          (s) => `*${s.name}* — ${s.size} customers (${s.kind})${s.description ? `: ${s.description}` : ''}`,
        ),
        buttons: segments
          .slice(0, 5)
          .map((s) => ({ text: `Describe ${s.name}`, actionId: `mkt_segment_${s.id}`, value: s.name })),
      };
    }
    case 'segment': {
      const s = await deps.analytics.segment(request.name);
      if (!s) return { text: `I don't know a segment called "${request.name}". Try \`/mkt segments\`.` };
      if (request.focus === 'size') return { text: `*${s.name}* has ${s.size} customers.` };
      return {
        text: `*${s.name}* (${s.size} customers, ${s.kind})${s.description ? `\n${s.description}` : ''}`,
        lines: (s.overIndexed ?? [])
          .slice(0, 6)
          .map((f) => `${f.feature}: ${f.ratio.toFixed(2)}× the average`),
      };
    }
    case 'nps': {
      const r = await deps.analytics.nps(request.period);
      if (r.n === 0) return { text: `No NPS answers in ${request.period.label}.` };
      return {
        text: `NPS for ${request.period.label}: *${Math.round(r.nps)}*`,
        fields: [
          { label: 'Promoters', value: String(r.promoters) },
          { label: 'Passives', value: String(r.passives) },
          { label: 'Detractors', value: String(r.detractors) },
          { label: 'Answers', value: String(r.n) },
        ],
        buttons: [{ text: 'Chart NPS over time', actionId: 'mkt_chart_nps', value: request.period.label }],
      };
    }
    case 'csat': {
      const r = await deps.analytics.csat(request.period);
      if (r.n === 0) return { text: `No CSAT answers in ${request.period.label}.` };
      return {
        text: `CSAT for ${request.period.label}: *${pct(r.satisfiedShare)}* satisfied`,
        fields: [
          { label: 'Mean (1–5)', value: r.mean.toFixed(2) },
          { label: 'Answers', value: String(r.n) },
        ],
      };
    }
    case 'survey_results': {
      const r = await deps.analytics.surveyResults(request.instrumentId);
      if (!r) return { text: `I don't know a survey called "${request.instrumentId}".` };
      return {
        text: `*${r.title}*: ${r.completed} completed of ${r.started} started`,
        lines: r.scales.map(
          (s) =>
            `${s.name}: mean ${s.mean.toFixed(2)} (n=${s.n}${s.alpha !== undefined ? `, α=${s.alpha.toFixed(2)}` : ''})`,
        ),
        buttons: [{ text: 'Chart by segment', actionId: 'mkt_chart_means', value: r.instrumentId }],
      };
    }
    case 'chart': {
      const chart = await deps.analytics.chart(request.chart);
      return { text: chart.title, chart };
    }
    case 'bought_together': {
      const product =
        (await deps.catalog.get(request.product)) ??
        (await deps.catalog.search({ text: request.product, filters: {}, k: 1 }))[0];
      if (!product) return { text: `I can't find a product "${request.product}".` };
      const items = await deps.catalog.boughtTogether(product.sku, 5);
      if (items.length === 0) return { text: `No bought-together rules for *${product.name}* yet.` };
      return { text: `Often bought with *${product.name}* (${product.sku}):`, products: items };
    }
    case 'recommend_customer': {
      const customerId = await deps.analytics.findCustomer(request.customer);
      if (!customerId) return { text: `I can't find a customer "${request.customer}".` };
      const items = await deps.catalog.forCustomer(customerId, 5);
      if (items.length === 0) return { text: 'Nothing to recommend for that customer yet.' };
      return { text: `Recommendations for ${request.customer}:`, products: items };
    }
    case 'handoffs': {
      const open = await deps.handoffs.listActive(10);
      if (open.length === 0) return { text: 'No conversations are waiting for a person.' };
      return {
        text: `${open.length} conversation${open.length === 1 ? '' : 's'} waiting for a person:`,
        lines: open.map(
          (h) =>
            `${h.status === 'claimed' ? `claimed by <@${h.claimedBy}>` : '*open*'} · ${h.channel} · since ${h.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC${h.reason ? ` · ${h.reason}` : ''}`,
        ),
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
