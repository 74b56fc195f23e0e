// The survey item-type registry: one module per type, the instrument schema's union made of
// their schemas, and every module able to be read, asked and simulated.
import { describe, expect, it } from 'vitest';
import { gaussian, mulberry32 } from '../../random/index.js';
import { ITEM_TYPES, itemType, ZItem } from '../../surveys/items/index.js';
import { loadShippedInstruments, optionsText, quickRepliesFor, readItemAnswer } from '../../surveys/index.js';

describe('survey item types', () => {
  it('has one module per type, and the schema union is made of exactly their schemas', () => {
    const types = ITEM_TYPES.map((t) => t.type);
    expect(new Set(types).size).toBe(types.length);
    expect(ZItem.options).toEqual(ITEM_TYPES.map((t) => t.schema));
  });

  it('reads, asks and simulates every item of the shipped instruments through its module', () => {
    const random = mulberry32(1);
    const normal = gaussian(random);
    for (const inst of loadShippedInstruments())
      for (const item of inst.items) {
        expect(itemType(item).type).toBe(item.type);
        expect(optionsText(item, inst)).not.toBe('');
        const buttons = quickRepliesFor(item, inst);
        // Every button's value reads back as an answer (or a skip) of this item.
        for (const b of buttons)
          expect(['answer', 'skip'], `${inst.id}/${item.id} ${b.value}`).toContain(
            readItemAnswer(item, inst, b.value).kind,
          );
        const simulated = itemType(item).simulate(item, {
          latent: {},
          satisfaction: 0,
          values: new Map(),
          random,
          normal,
          pick: (xs) => xs[0]!,
          comment: (kind) => kind,
        });
        if (simulated?.value != null) expect(typeof simulated.value).toBe('number');
      }
  });
});
