import { describe, expect, it } from 'vitest';
import { extractEntities, Gazetteer } from '../../nlu/index.js';
import { toPortEntities } from '../../server/nlu-adapter.js';

const gazetteer = new Gazetteer([
  { id: 'OUT-001', name: 'Alpine Shell Jacket', kind: 'product' },
  { id: 'Coffee', name: 'Coffee', kind: 'category' },
]);

describe('nlu entities → bots entities', () => {
  it('turns a price range, colour, size and period into the flat entity list the dialog reads', () => {
    const entities = toPortEntities(
      extractEntities('a red jacket in size M under $100 from last month', { gazetteer }),
    );
    expect(entities).toContainEqual(expect.objectContaining({ type: 'price', max: 100, currency: 'USD' }));
    expect(entities).toContainEqual(expect.objectContaining({ type: 'color', value: 'red' }));
    expect(entities).toContainEqual(expect.objectContaining({ type: 'size', value: 'M' }));
    expect(entities).toContainEqual({ type: 'period', text: 'last month' });
  });

  it('keeps catalog names only when every word matched', () => {
    const full = toPortEntities(extractEntities('is the alpine shell jacket waterproof?', { gazetteer }));
    expect(full).toContainEqual({ type: 'product', text: 'Alpine Shell Jacket', value: 'OUT-001' });
    const partial = toPortEntities(extractEntities('any jacket?', { gazetteer }));
    expect(partial.some((e) => e.type === 'product')).toBe(false);
    expect(toPortEntities(extractEntities('good coffee beans', { gazetteer }))).toContainEqual({
      type: 'category',
      text: 'Coffee',
      value: 'Coffee',
    });
  });

  it('gives an empty list for text with nothing in it', () => {
    expect(toPortEntities(extractEntities('hello there', { gazetteer }))).toEqual([]);
  });
});
