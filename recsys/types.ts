// Domain shapes shared by the recsys cores. They are plain data: the Prisma adapter maps rows to
// them, so no core depends on the database.

/** A catalog product as the cores see it (price as a number, nulls for absent optional fields). */
export interface CatalogProduct {
  sku: string;
  name: string;
  description: string;
  category: string;
  brand: string | null;
  price: number;
  currency: string;
  tags: string[];
  attributes: Record<string, unknown>;
  stock: number;
  imageUrl: string | null;
  /** Margin share 0..1, used by the margin boost of business re-ranking. */
  margin: number | null;
  active: boolean;
}

/** Where a recommendation came from. */
export type RecommendationSource =
  'similar' | 'bought-together' | 'customer' | 'collaborative' | 'popular' | 'query';

/** One recommended product with the human-readable reason shown to the customer. */
export interface Recommendation {
  sku: string;
  name: string;
  category: string;
  brand: string | null;
  price: number;
  currency: string;
  score: number;
  reason: string;
  source: RecommendationSource;
}

/** An item with a score and the reason it was suggested (item = SKU or basket item name). */
export interface ScoredItem {
  item: string;
  score: number;
  reason: string;
}

/** Display name of an item id in reason texts (identity for basket data whose items are names). */
export type NameOf = (item: string) => string;

/** Anything that recommends items from a basket or history of items. */
export interface BasketRecommender {
  readonly name: string;
  /** Top-k items not in `basket`, best first; `nameOf` turns item ids (SKUs) into names for reasons. */
  recommend(basket: readonly string[], k: number, nameOf?: NameOf): ScoredItem[];
}

/** The text a product is embedded from: the fields a shopper would describe it by. */
export function productText(
  p: Pick<CatalogProduct, 'name' | 'brand' | 'category' | 'tags' | 'description'>,
): string {
  return [p.name, p.brand ?? '', p.category, p.tags.join(', '), p.description]
    .filter((s) => s !== '')
    .join('. ');
}

/** Formats a share as a whole percentage, e.g. 0.586 → "59%". */
export function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** Joins names as natural English: "a", "a and b", "a, b and c". */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * The part of nlu's SentenceEncoder that recsys uses (structurally identical, so any
 * SentenceEncoder can be passed; declared here to keep recsys free of deep imports).
 */
export interface TextEncoder {
  readonly id: string;
  readonly dims: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

/** Progress reporter for long work (the CLI passes a progress bar). */
export interface ProgressReporter {
  start(total: number, label?: string): void;
  update(done: number): void;
  stop(): void;
}

/** Minimal logger port (pino-compatible). */
export interface RecsysLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}
