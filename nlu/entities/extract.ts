// One call that runs every entity extractor on a message; never throws on odd input.
import { extractColours, extractSizes } from './attributes.js';
import { extractDates } from './dates.js';
import type { Gazetteer, GazetteerMatch } from './gazetteer.js';
import { extractMoney, extractPriceRanges } from './money.js';
import { extractNumbers, type NumberEntity } from './numbers.js';
import type { ColourEntity, DateRangeEntity, MoneyEntity, PriceRange, SizeEntity } from './types.js';

/** Everything found in one message. */
export interface Entities {
  readonly money: MoneyEntity[];
  /** The price constraint of the message, if any (the first one when several). */
  readonly priceRange: PriceRange | null;
  readonly numbers: NumberEntity[];
  readonly dates: DateRangeEntity[];
  readonly colours: ColourEntity[];
  readonly sizes: SizeEntity[];
  /** Catalog names (products, categories, brands) when a gazetteer is given. */
  readonly catalog: GazetteerMatch[];
}

/** Dependencies and context of extraction. */
export interface ExtractOptions {
  /** The catalog dictionary; omitted → no catalog matches. */
  gazetteer?: Gazetteer;
  /** Reference time for relative dates (default: now). */
  now?: Date;
}

// Messages are cut before extraction: entities live in the first lines of a chat message, and
// regular expressions over 100 kB would add latency for nothing.
const MAX_CHARS = 2_000;

/** The empty result. */
export function noEntities(): Entities {
  return { money: [], priceRange: null, numbers: [], dates: [], colours: [], sizes: [], catalog: [] };
}

/** Extracts money, price ranges, numbers, dates, colours, sizes and catalog names from `text`. */
export function extractEntities(text: unknown, options: ExtractOptions = {}): Entities {
  if (typeof text !== 'string') return noEntities();
  // eslint-disable-next-line no-control-regex
  const clean = text.slice(0, MAX_CHARS).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ');
  if (!clean.trim()) return noEntities();
  try {
    const priceRanges = extractPriceRanges(clean);
    return {
      money: extractMoney(clean),
      priceRange: priceRanges[0] ?? null,
      numbers: extractNumbers(clean),
      dates: extractDates(clean, options.now ?? new Date()),
      colours: extractColours(clean),
      sizes: extractSizes(clean),
      catalog: options.gazetteer?.match(clean) ?? [],
    };
  } catch {
    // The extractors are pure and tested, but a message must never fail because of one of them.
    return noEntities();
  }
}
