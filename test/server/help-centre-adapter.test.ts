// The knowledge base as the dialog's help centre: answers carry the passage, title and link with a
// confidence relative to the calibrated gate; questions the dialog routed here are recorded, and
// the refused ones are what "/mkt kb unanswered" lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KbService, MemoryKbStore, seedDemoHelpCentre } from '../../kb/index.js';
import { createUseLiteEncoder, type SentenceEncoder } from '../../nlu/index.js';
import { helpCentreAdapter } from '../../server/help-centre-adapter.js';

let encoder: SentenceEncoder;
beforeAll(async () => {
  encoder = await createUseLiteEncoder();
});
afterAll(() => encoder.dispose());

describe('helpCentreAdapter over the demo help centre', () => {
  it('answers with the source link above the gate and refuses below it; records only what it is told to', async () => {
    const store = new MemoryKbStore();
    await seedDemoHelpCentre(store);
    const kb = new KbService(store, encoder);
    const centre = helpCentreAdapter(kb);
    const threshold = (await kb.gateThreshold())!;
    expect(threshold).toBeGreaterThan(0);

    const delivery = await centre.lookup('how long does delivery take?');
    expect(delivery.answer).toMatchObject({
      title: 'Shipping and delivery',
      url: 'https://northwind.example/help/shipping',
    });
    expect(delivery.answer?.text).toMatch(/working days/);
    expect(delivery.confidence).toBeGreaterThanOrEqual(0);
    // The same margin the service reports, shifted by the gate.
    const raw = await kb.lookup('how long does delivery take?');
    expect(delivery.confidence).toBeCloseTo(raw.confidence - threshold, 9);

    const football = await centre.lookup('who won the football world cup in 1998?');
    expect(football.answer).toBeNull();
    expect(football.confidence).toBeLessThan(0);

    // A lookup alone records nothing: the dialog looks every message up.
    expect(await kb.unanswered(7, 10)).toEqual([]);
    await centre.record(
      'who won the football world cup in 1998? mail me at ann@example.com',
      football,
      'webchat',
    );
    await centre.record('how long does delivery take?', delivery, 'webchat');
    const unanswered = await kb.unanswered(7, 10);
    expect(unanswered.map((q) => q.text)).toEqual([
      'who won the football world cup in 1998? mail me at [EMAIL]',
    ]);
  });
});
