import type { ItemKnn } from './item-knn.js';
import { compileProductFilter, reciprocalRankFusion } from './lexical-index.js';
import type { PopularityRecommender } from './popularity.js';
import { cosine } from './rerank.js';
import { finish, type RankOptions, type VectorDeps } from './similar.js';
import type { CustomerHistory, InteractionKindName } from './store.js';
import type { Recommendation } from './types.js';
import { listNames } from './types.js';

/** How much each interaction pulls the preference vector; a dismissal pushes it away. */
const PULL: Record<InteractionKindName, number> = { view: 1, like: 2, cart: 2, purchase: 3, dismiss: -1 };
/** Interactions lose half their pull every this many days (relative to the newest one). */
const HALF_LIFE_DAYS = 90;

/** A customer's preference vector and what it was built from. */
export interface PreferenceVector {
  vector: Float32Array | null;
  /** Which sources contributed: history, profile vector, stated interests. */
  sources: string[];
  /** Stated interests found in the survey preferences (for reasons). */
  interests: string[];
}

/**
 * Preference vector = normalised mix of (a) the recency-weighted sum of the embeddings of viewed,
 * liked, carted and bought products, (b) the survey profile vector (Profile.vector) when it has
 * the encoder's dims, (c) the embedding of interests stated in the survey (Profile.preferences).
 * History weighs most because behaviour beats declarations; profile parts steer cold starts.
 */
export async function preferenceVector(
  history: CustomerHistory,
  deps: Pick<VectorDeps, 'index' | 'encoder'>,
): Promise<PreferenceVector> {
  const dims = deps.encoder.dims;
  const parts: Array<{ v: ArrayLike<number>; w: number; source: string }> = [];
  const newest = Math.max(0, ...history.interactions.map((i) => i.at.getTime()));
  const acc = new Float32Array(dims);
  let used = 0;
  for (const i of history.interactions) {
    const v = deps.index.vectorOf(i.sku);
    if (!v) continue;
    const age = (newest - i.at.getTime()) / 86_400_000;
    const w = PULL[i.kind] * i.weight * Math.pow(0.5, age / HALF_LIFE_DAYS);
    for (let d = 0; d < dims; d++) acc[d]! += w * v[d]!;
    used++;
  }
  for (const sku of history.purchased) {
    if (history.interactions.some((i) => i.sku === sku && i.kind === 'purchase')) continue;
    const v = deps.index.vectorOf(sku);
    if (!v) continue;
    for (let d = 0; d < dims; d++) acc[d]! += PULL.purchase * v[d]!;
    used++;
  }
  if (used > 0) parts.push({ v: acc, w: 0.7, source: 'history' });
  if (history.profile && history.profile.vector.length === dims)
    parts.push({ v: history.profile.vector, w: 0.2, source: 'profile' });
  const interests = statedInterests(history.profile?.preferences ?? {});
  if (interests.length > 0) {
    const [v] = await deps.encoder.embed([interests.join(', ')]);
    parts.push({ v: v!, w: 0.3, source: 'interests' });
  }
  if (parts.length === 0) return { vector: null, sources: [], interests };
  const out = new Float32Array(dims);
  for (const { v, w } of parts) {
    const n = norm(v) || 1;
    for (let d = 0; d < dims; d++) out[d]! += (w * v[d]!) / n;
  }
  const n = norm(out);
  if (n === 0) return { vector: null, sources: [], interests };
  for (let d = 0; d < dims; d++) out[d]! /= n;
  return { vector: out, sources: parts.map((p) => p.source), interests };
}

/** Strings found in survey preferences, e.g. { interests: ["coffee", "hiking"], style: "minimal" }. */
export function statedInterests(preferences: Record<string, unknown>): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string' && v.trim() !== '' && v.length <= 80) out.push(v.trim());
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(preferences);
  return [...new Set(out)].slice(0, 20);
}

/** Survey traits that shape the list: openness (1–5) widens diversity; a budget caps price. */
export function traitAdjustments(history: CustomerHistory): { diversity: number; priceMax?: number } {
  const traits = history.profile?.traits ?? {};
  const prefs = history.profile?.preferences ?? {};
  const openness = typeof traits.openness === 'number' ? traits.openness : undefined;
  // Open customers get more varied lists (λ 0.6), conventional ones stay close to their taste (λ 0.85).
  const diversity =
    openness === undefined ? 0.75 : Math.min(0.85, Math.max(0.6, 0.85 - ((openness - 1) / 4) * 0.25));
  const budget = [prefs.budgetMax, prefs.priceMax, (prefs.budget as { max?: unknown } | undefined)?.max].find(
    (v) => typeof v === 'number',
  );
  return { diversity, ...(typeof budget === 'number' ? { priceMax: budget } : {}) };
}

/** Extra models used for a customer's list. */
export interface CustomerModels {
  knn?: ItemKnn;
  popularity?: PopularityRecommender;
}

/**
 * Recommendations for one customer: the preference vector searched in HNSW, fused (RRF) with
 * item-kNN collaborative filtering over their history; best-sellers when nothing is known.
 * Already-bought and out-of-stock products are dropped; each item says why it was chosen.
 */
export async function recommendForCustomer(
  deps: VectorDeps,
  history: CustomerHistory,
  models: CustomerModels,
  options: RankOptions = {},
): Promise<Recommendation[]> {
  const k = options.k ?? 10;
  const pool = options.candidates ?? Math.max(30, 4 * k);
  const adjust = traitAdjustments(history);
  const filters = {
    ...(adjust.priceMax !== undefined ? { priceMax: adjust.priceMax } : {}),
    ...options.filters,
    inStock: true,
  };
  const business = {
    ...options.business,
    alreadyBought: new Set([...history.purchased, ...(options.business?.alreadyBought ?? [])]),
  };
  const pref = await preferenceVector(history, deps);
  const seen = [
    ...new Set(
      history.interactions
        .filter((i) => i.kind !== 'dismiss')
        .map((i) => i.sku)
        .concat(history.purchased),
    ),
  ];
  const nameOf = (sku: string) => deps.productOf(sku)?.name ?? sku;
  const reasons = new Map<string, string>();
  const lists: string[][] = [];
  if (pref.vector) {
    const hits = deps.index.search(pref.vector, pool, { ...filters, excludeSkus: seen });
    lists.push(hits.map((h) => h.sku));
    for (const h of hits) reasons.set(h.sku, vectorReason(deps, h.sku, history, pref));
  }
  if (models.knn && seen.length > 0) {
    const cf = models.knn.recommend(seen, pool, nameOf);
    lists.push(cf.map((c) => c.item));
    for (const c of cf) if (!reasons.has(c.item) || !pref.vector) reasons.set(c.item, c.reason);
  }
  if (lists.length === 0 && models.popularity) {
    const pop = models.popularity.recommend(seen, pool);
    lists.push(pop.map((p) => p.item));
    for (const p of pop) reasons.set(p.item, p.reason);
  }
  const fused = reciprocalRankFusion(lists).map((f) => ({
    sku: f.sku,
    score: f.score,
    reason: reasons.get(f.sku) ?? 'Picked for you',
  }));
  // The preference search already applied the filters; CF and popularity candidates are checked here.
  const passes = compileProductFilter(filters);
  const inFilter = fused.filter((c) => {
    const p = deps.productOf(c.sku);
    return p !== undefined && passes(p);
  });
  return finish(deps, inFilter, 'customer', {
    ...options,
    k,
    business,
    diversity: options.diversity ?? adjust.diversity,
  });
}

/** "Because you bought X" naming the closest product in the history, else the stated interests. */
function vectorReason(
  deps: VectorDeps,
  sku: string,
  history: CustomerHistory,
  pref: PreferenceVector,
): string {
  const v = deps.index.vectorOf(sku);
  let best: { sku: string; verb: string; sim: number } | undefined;
  const verbs: Record<InteractionKindName, string> = {
    view: 'viewed',
    like: 'liked',
    cart: 'added to your cart',
    purchase: 'bought',
    dismiss: '',
  };
  const events = [
    ...history.interactions
      .filter((i) => i.kind !== 'dismiss')
      .map((i) => ({ sku: i.sku, verb: verbs[i.kind] })),
    ...history.purchased.map((s) => ({ sku: s, verb: 'bought' })),
  ];
  for (const e of events) {
    const u = deps.index.vectorOf(e.sku);
    if (!u || !v) continue;
    const sim = cosine(u, v);
    if (!best || sim > best.sim) best = { ...e, sim };
  }
  if (best && best.sim > 0.3) return `Because you ${best.verb} ${deps.productOf(best.sku)?.name ?? best.sku}`;
  if (pref.interests.length > 0)
    return `Matches the interests you told us about: ${listNames(pref.interests.slice(0, 3))}`;
  const trait = traitReason(history.profile?.traits ?? {});
  return trait ? `Because ${trait}` : 'Picked for your profile';
}

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

// What a high survey trait score (1–5 scales) says about a customer, in their own terms.
const TRAIT_REASONS: ReadonlyArray<readonly [string, string]> = [
  ['novelty', 'you like trying new things'],
  ['intellect', 'you are curious about new ideas'],
  ['openness', 'you are curious about new ideas'],
  ['price', 'you look for good value'],
  ['loyalty', 'you stick with brands you trust'],
  ['social', 'you like what your friends recommend'],
];

/** The reason a survey profile gives, from its strongest trait at 3.5 or above; null without one. */
export function traitReason(traits: Record<string, unknown>): string | null {
  let best: { reason: string; score: number } | null = null;
  for (const [trait, reason] of TRAIT_REASONS) {
    const score = traits[trait];
    if (typeof score === 'number' && score >= 3.5 && (!best || score > best.score)) best = { reason, score };
  }
  return best?.reason ?? null;
}
