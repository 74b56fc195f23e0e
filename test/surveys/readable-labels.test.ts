// Chart and recommendation texts a person can read: answer distributions labelled with the item
// text (not "pc1"), and a survey profile's strongest trait as the reason for a recommendation.
import { describe, expect, it } from 'vitest';
import { traitReason } from '../../recsys/customer-recs.js';
import { answerDistributionSpec, shippedInstrument } from '../../surveys/index.js';
import { answer as a } from './answers.js';

describe('readable labels', () => {
  it('labels answer distributions with the item text', () => {
    const inst = shippedInstrument('purchase-motivation');
    const spec = answerDistributionSpec({
      instrument: inst,
      sessions: [
        {
          sessionId: 's1',
          customerId: 'c1',
          status: 'completed',
          channel: 'webchat',
          startedAt: new Date(),
          completedAt: new Date(),
          answers: [a('pc1', 4), a('ns1', 2)],
        },
      ],
    }) as unknown as { data: { values: { item: string }[] } };
    const items = spec.data.values.map((v) => v.item);
    expect(items).toContain('I compare prices in several shops before I buy.');
    expect(items).not.toContain('pc1');
  });

  it('gives the strongest high trait as the reason, none below 3.5', () => {
    expect(traitReason({ novelty: 4.5, price: 3.8 })).toBe('you like trying new things');
    expect(traitReason({ price: 4.6, novelty: 3.6 })).toBe('you look for good value');
    expect(traitReason({ novelty: 3.2, extraversion: 5 })).toBeNull();
  });
});
