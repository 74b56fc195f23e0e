import type { AssociationRule } from './association-rules.js';
import type { CatalogSink } from './catalog-import.js';
import type { InteractionRow } from './item-knn.js';
import type { CatalogProduct } from './types.js';

/** Interaction kinds and the weight each carries in preference vectors and item-kNN. */
export const INTERACTION_WEIGHTS = { view: 1, like: 2, cart: 2, purchase: 3, dismiss: 0 } as const;
/** An interaction kind (mirrors the database enum). */
export type InteractionKindName = keyof typeof INTERACTION_WEIGHTS;

/** A customer's history as the recommenders see it. */
export interface CustomerHistory {
  customerId: string;
  interactions: Array<{ sku: string; kind: InteractionKindName; weight: number; at: Date }>;
  /** SKUs bought in orders or recorded as purchases. */
  purchased: string[];
  profile: { vector: number[]; traits: Record<string, unknown>; preferences: Record<string, unknown> } | null;
}

/** The persistence port of recsys; `prisma/repositories/recsys-store.ts` implements it over the database. */
export interface RecsysStore extends CatalogSink {
  catalogVersion(): Promise<number>;
  countProducts(): Promise<number>;
  /** Every active product. */
  listProducts(): Promise<CatalogProduct[]>;
  getProduct(sku: string): Promise<CatalogProduct | null>;
  /** Products changed after a date (active or not), for incremental index updates. */
  productsChangedSince(since: Date): Promise<CatalogProduct[]>;
  /** Resolves a customer by id or external reference; null when unknown. */
  findCustomerId(idOrRef: string): Promise<string | null>;
  customerHistory(customerId: string): Promise<CustomerHistory>;
  /** One basket (SKU list) per order. */
  orderBaskets(): Promise<string[][]>;
  /** One weighted row per customer (interactions and purchases), for item-kNN. */
  interactionRows(): Promise<InteractionRow[]>;
  /** `turnKey` (a chat turn's): the same interaction under the same key is recorded once. */
  recordInteraction(
    customerId: string,
    sku: string,
    kind: InteractionKindName,
    turnKey?: string,
  ): Promise<void>;
  /** Replaces the stored rule set in one transaction. */
  replaceRules(rules: readonly AssociationRule[]): Promise<void>;
  loadRules(): Promise<AssociationRule[]>;
}
