// Reads a typed answer against its item: a rating item on its scale, any other type by its module
// (surveys/items/).
import { parseScaleAnswer } from './answer-parser.js';
import { scaleOf } from './flow.js';
import type { Instrument, Item } from './instrument.js';
import { itemType, type ItemAnswer } from './items/index.js';

export type { ItemAnswer } from './items/index.js';
export { isSkipRequest } from './items/reading.js';

/** Reads a typed answer for any item type. */
export function readItemAnswer(item: Item, instrument: Instrument, text: string): ItemAnswer {
  const trimmed = text.trim();
  const scale = scaleOf(item, instrument);
  if (scale) {
    const p = parseScaleAnswer(trimmed, scale);
    if (p.kind === 'value') return { kind: 'answer', value: p.value, choices: [], text: trimmed };
    if (p.kind === 'skip') return { kind: 'skip' };
    if (p.kind === 'out-of-range')
      return { kind: 'reask', reason: 'out-of-range', detail: `${p.value} is outside ${p.min}–${p.max}` };
    return { kind: 'reask', reason: p.reason === 'empty' ? 'unrecognised' : p.reason, detail: '' };
  }
  return itemType(item).read?.(item, trimmed) ?? { kind: 'reask', reason: 'unrecognised', detail: '' };
}
