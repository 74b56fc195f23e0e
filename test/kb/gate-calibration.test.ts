// The confidence gate is calibrated on questions the help centre answers and on questions it does
// not cover (each held-out phrasing asked with its own page missing), so a question about a topic
// with no page is refused instead of answered from a page that shares its words. Checked on the
// demo help centre with a whole page removed: its customers' questions must be refused, the other
// pages' still answered.
import { describe, expect, it } from 'vitest';
import { calibrateOnAltQuestions, KbService, MemoryKbStore } from '../../kb/index.js';
import { useDemoHelpCentre } from './demo-help-centre.js';

const demo = useDemoHelpCentre();

async function helpCentreWithout(title: string): Promise<KbService> {
  const store = new MemoryKbStore();
  const service = new KbService(store, demo.encoder);
  await service.sync(
    'demo',
    demo.pages.filter((p) => p.title !== title),
  );
  return service;
}

describe('the gate calibrated with uncovered questions', () => {
  it('is calibrated on every held-out phrasing twice: with its page and with its page missing', async () => {
    const phrasings = demo.pages.reduce((n, p) => n + (p.altQuestions?.length ?? 0), 0);
    const gate = await calibrateOnAltQuestions(demo.encoder, demo.pages);
    expect(gate?.calibratedOn).toBe(2 * phrasings);
    // At most half the rows (the answerable ones) can be answered right.
    expect(gate!.answeredRate).toBeLessThanOrEqual(0.5);
    expect(gate!.precision).toBeGreaterThanOrEqual(gate!.targetPrecision);
  });

  it('with any one page removed, most questions about it are refused (none of them was calibrated on)', async () => {
    let asked = 0;
    let refused = 0;
    for (const page of demo.pages) {
      const kb = await helpCentreWithout(page.title);
      for (const question of page.altQuestions ?? []) {
        asked++;
        if (!(await kb.lookup(question)).answered) refused++;
      }
    }
    expect(refused / asked, `${refused} of ${asked} refused`).toBeGreaterThanOrEqual(0.8);
  });
});
