// Shapes shared by the entity extractors.

/** Where an entity was found: the matched text and its offsets (UTF-16, end exclusive). */
export interface Span {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** ISO 4217 codes the money extractor recognises. */
export type CurrencyCode = 'USD' | 'EUR' | 'GBP' | 'JPY' | 'CHF' | 'CAD' | 'AUD';

/** An amount of money ("$50", "20 euros", "forty bucks"). */
export interface MoneyEntity extends Span {
  readonly amount: number;
  readonly currency?: CurrencyCode;
}

/** A price constraint: "under $50" → { max: 50, currency: 'USD' }; bounds are inclusive. */
export interface PriceRange extends Span {
  readonly min?: number;
  readonly max?: number;
  readonly currency?: CurrencyCode;
}

/** A date range, half-open [from, to) as UTC ISO strings (`start`/`end` are text offsets). */
export interface DateRangeEntity extends Span {
  readonly from: string;
  readonly to: string;
  readonly grain: 'day' | 'week' | 'month' | 'quarter' | 'year' | 'custom';
}

/** A colour, canonicalised ("grey" → "gray"). */
export interface ColourEntity extends Span {
  readonly value: string;
}

/** A clothing or shoe size: letter ("M", "XL") or numeric with an optional system ("EU 42"). */
export interface SizeEntity extends Span {
  readonly value: string;
  readonly system?: 'letter' | 'eu' | 'us' | 'uk' | 'waist';
}
