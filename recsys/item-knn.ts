import { z } from 'zod';
import { readArtifact, sha256, writeArtifact } from './artifact.js';
import { ArtifactError, BadInputError } from './errors.js';
import type { BasketRecommender, NameOf, ScoredItem } from './types.js';

const KIND = 'item-knn';
const FORMAT = 1;

/** Options of item-kNN training. */
export const ZItemKnnOptions = z.object({
  /** Neighbours kept per item (the model's size is items × neighbours). */
  neighbours: z.number().int().min(1).max(1000).default(100),
  /**
   * Asymmetric cosine exponent: sim(i→j) = co(i,j) / (n_i^α · n_j^(1-α)). α = 0.5 is plain
   * cosine; larger α favours popular targets, which helps on skewed data such as groceries.
   */
  alpha: z.number().min(0).max(1).default(0.5),
  /** Shrinkage added to the denominator so pairs seen together once do not dominate. */
  shrink: z.number().min(0).default(0),
});
/** Options of item-kNN training. */
export type ItemKnnOptions = z.input<typeof ZItemKnnOptions>;

/** One row of the interaction matrix: a user's (or an order's) items with optional weights. */
export interface InteractionRow {
  items: readonly string[];
  /** Weight per item (e.g. view 1, cart 2, purchase 3); 1 when absent. */
  weights?: readonly number[];
}

/** Neighbour list of one item: target item ids and similarities, best first. */
interface Neighbours {
  ids: number[];
  sims: number[];
}

/** Item-based collaborative filtering on an implicit-feedback matrix. */
export class ItemKnn implements BasketRecommender {
  readonly name = 'item-knn';
  private readonly idOf: Map<string, number>;

  private constructor(
    private readonly items: string[],
    private readonly neighbours: Neighbours[],
    readonly parameters: z.infer<typeof ZItemKnnOptions>,
  ) {
    this.idOf = new Map(items.map((item, id) => [item, id]));
  }

  /** Builds the item-item similarity lists from interaction rows (baskets or user histories). */
  static train(rows: Iterable<InteractionRow | readonly string[]>, options: ItemKnnOptions = {}): ItemKnn {
    const parsed = ZItemKnnOptions.safeParse(options);
    if (!parsed.success)
      throw new BadInputError(`invalid item-kNN options: ${parsed.error.issues[0]?.message ?? ''}`);
    const opts = parsed.data;
    const idOf = new Map<string, number>();
    const norms: number[] = [];
    const co: Array<Map<number, number>> = [];
    for (const row of rows) {
      const entry: InteractionRow = isRow(row) ? row : { items: row };
      // Merge duplicate items of a row, keeping their largest weight.
      const weightOf = new Map<number, number>();
      entry.items.forEach((item, i) => {
        let id = idOf.get(item);
        if (id === undefined) {
          id = idOf.size;
          idOf.set(item, id);
          norms.push(0);
          co.push(new Map());
        }
        const w = entry.weights?.[i] ?? 1;
        weightOf.set(id, Math.max(weightOf.get(id) ?? 0, w));
      });
      const ids = [...weightOf.keys()];
      for (const a of ids) {
        const wa = weightOf.get(a)!;
        norms[a]! += wa * wa;
        const row = co[a]!;
        for (const b of ids) if (a !== b) row.set(b, (row.get(b) ?? 0) + wa * weightOf.get(b)!);
      }
    }
    const items = [...idOf.keys()];
    const { alpha, shrink, neighbours: keep } = opts;
    const neighbours = co.map((row, a): Neighbours => {
      const na = Math.sqrt(norms[a]!);
      const list = [...row].map(([b, c]) => ({
        b,
        sim: c / (Math.pow(na, 2 * alpha) * Math.pow(Math.sqrt(norms[b]!), 2 * (1 - alpha)) + shrink),
      }));
      list.sort((x, y) => y.sim - x.sim || x.b - y.b);
      const top = list.slice(0, keep);
      return { ids: top.map((x) => x.b), sims: top.map((x) => x.sim) };
    });
    return new ItemKnn(items, neighbours, opts);
  }

  /** Number of items the model knows. */
  get size(): number {
    return this.items.length;
  }

  /** Scores items by summed similarity to the basket's items; the reason names the strongest link. */
  recommend(basket: readonly string[], k: number, nameOf: NameOf = (s) => s): ScoredItem[] {
    const have = new Set<number>();
    for (const item of basket) {
      const id = this.idOf.get(item);
      if (id !== undefined) have.add(id);
    }
    const score = new Map<number, number>();
    const because = new Map<number, { from: number; sim: number }>();
    for (const a of have) {
      const { ids, sims } = this.neighbours[a]!;
      for (let i = 0; i < ids.length; i++) {
        const b = ids[i]!;
        if (have.has(b)) continue;
        const sim = sims[i]!;
        score.set(b, (score.get(b) ?? 0) + sim);
        const prev = because.get(b);
        if (!prev || sim > prev.sim) because.set(b, { from: a, sim });
      }
    }
    return [...score]
      .sort(([a, x], [b, y]) => y - x || a - b)
      .slice(0, k)
      .map(([b, s]) => ({
        item: this.items[b]!,
        score: s,
        reason: `Customers who bought ${nameOf(this.items[because.get(b)!.from]!)} also bought this`,
      }));
  }

  /** Items most similar to one item ("customers who bought this also bought"). */
  similarTo(item: string, k: number, nameOf: NameOf = (s) => s): ScoredItem[] {
    return this.idOf.has(item) ? this.recommend([item], k, nameOf) : [];
  }

  /** Writes model.json and manifest.json into `dir`. */
  async persist(dir: string): Promise<void> {
    const body = JSON.stringify({ items: this.items, neighbours: this.neighbours });
    await writeArtifact(
      dir,
      {
        kind: KIND,
        formatVersion: FORMAT,
        encoder: null,
        params: this.parameters,
        dataHash: sha256(body),
        metrics: { items: this.items.length },
      },
      { 'model.json': body },
    );
  }

  /** Reads a model written by `persist`; throws ArtifactError naming the bad file. */
  static async load(dir: string): Promise<ItemKnn> {
    const { manifest, files } = await readArtifact(dir, KIND, FORMAT, ZItemKnnOptions);
    const file = `${dir}/model.json`;
    const data = files.get('model.json');
    if (!data) throw new ArtifactError('RECSYS_ARTIFACT_MISSING', file, 'not listed in the manifest');
    const parsed = z
      .object({
        items: z.array(z.string()),
        neighbours: z.array(z.object({ ids: z.array(z.number().int()), sims: z.array(z.number()) })),
      })
      .safeParse(JSON.parse(data.toString('utf8')));
    if (!parsed.success)
      throw new ArtifactError('RECSYS_ARTIFACT_CORRUPT', file, parsed.error.issues[0]?.message ?? 'invalid');
    return new ItemKnn(parsed.data.items, parsed.data.neighbours, manifest.params);
  }
}

function isRow(row: InteractionRow | readonly string[]): row is InteractionRow {
  return !Array.isArray(row);
}
