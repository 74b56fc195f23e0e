// "recommendations for Ada Abbott": what the recommender would show one customer.
import { customerReference } from './customer-reference.js';
import { defineKind, missing } from './kind.js';

/** Recommendations for one customer. */
export interface RecommendCustomerQuestion {
  kind: 'recommend_customer';
  customer: string;
}

export const recommendCustomer = defineKind<RecommendCustomerQuestion>({
  kind: 'recommend_customer',
  access: 'customers',
  asked: {
    intents: ['recommend_customer'],
    cue: (t) => (/\brecommend(ations|ed)? (for|to)\b/.test(t) ? 'recommend_customer' : null),
    read({ text }) {
      const reference = customerReference(text);
      return reference
        ? { kind: 'recommend_customer', customer: reference }
        : missing(
            'the customer (name, e-mail or reference)',
            'recommendations for ada.abbott.1@example.com',
            [],
          );
    },
  },
  async answer(q, { deps }) {
    const id =
      (await deps.insights.customer(q.customer))?.id ?? (await deps.analytics.findCustomer(q.customer));
    if (!id) return { text: `I can't find a customer "${q.customer}".` };
    const items = await deps.catalog.forCustomer(id, 5);
    if (items.length === 0) return { text: 'Nothing to recommend for that customer yet.' };
    return { text: `Recommendations for ${q.customer} (from their history and profile):`, products: items };
  },
});
