// "look up customer ada.abbott.1@example.com": one customer's profile (admins only).
import { customerReference, EMAIL } from './customer-reference.js';
import { defineKind, missing } from './kind.js';

/** A customer to look up. */
export interface CustomerQuestion {
  kind: 'customer';
  reference: string;
}

export const customer = defineKind<CustomerQuestion>({
  kind: 'customer',
  access: 'admin',
  asked: {
    intents: ['customer_lookup'],
    cue: (t) =>
      EMAIL.test(t) || /\b(look ?up|who is|find|profile of|details (of|for|on)) (the )?customer\b/.test(t)
        ? 'customer_lookup'
        : null,
    read({ text }) {
      const reference = customerReference(text);
      return reference
        ? { kind: 'customer', reference }
        : missing('the customer (name or e-mail)', 'look up customer ada.abbott.1@example.com', []);
    },
  },
  async answer(q, { deps }) {
    const c = await deps.insights.customer(q.reference);
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
  },
});
