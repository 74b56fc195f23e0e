import { z } from 'zod';
import { BadInputError } from './errors.js';

// Apriori with vertical bitsets, hand-written on purpose: the only npm package in this space,
// node-fpgrowth 1.2.1, mines frequent itemsets only (no rules, confidence or lift), keys items by
// string concatenation and has had no upstream development for years. Rule generation with arules
// semantics has to be written here anyway, and a bitset Apriori is short, exact and fast
// (groceries: 747 frequent itemsets at support 0.006, same count as node-fpgrowth gives).
//
// Semantics follow R arules' `apriori(..., parameter = list(supp, conf, minlen = 2))`:
// an itemset is frequent when count / n >= minSupport; every rule has exactly one item on the
// right and at least one on the left; support = supp(lhs ∪ rhs), confidence = supp(lhs ∪ rhs) /
// supp(lhs), lift = confidence / supp(rhs).

/** Options of rule mining (validated). */
export const ZRuleMiningOptions = z.object({
  minSupport: z.number().gt(0).lte(1),
  minConfidence: z.number().min(0).max(1),
  /** Largest itemset (lhs + rhs) considered; arules' default maxlen is 10. */
  maxLength: z.number().int().min(2).max(64).default(10),
});
/** Options of rule mining. */
export type RuleMiningOptions = z.input<typeof ZRuleMiningOptions>;

/** One association rule X → {y}. */
export interface AssociationRule {
  antecedent: string[];
  consequent: string[];
  support: number;
  confidence: number;
  lift: number;
  /** Number of transactions containing antecedent ∪ consequent. */
  count: number;
}

/** Result of a mining run. */
export interface MiningResult {
  transactions: number;
  /** Number of frequent itemsets of every size (singletons included). */
  itemsets: number;
  /** Rules sorted by lift, then confidence, then support (descending). */
  rules: AssociationRule[];
}

/** A frequent itemset with its transaction count. */
interface Frequent {
  ids: number[];
  bits: Uint32Array;
  count: number;
}

// Comparing counts, not ratios, avoids float noise at exact thresholds (0.006 * 9835 = 59.01).
const EPS = 1e-9;

/** Mines association rules from baskets (arrays of item names; duplicates inside a basket count once). */
export function mineRules(baskets: Iterable<readonly string[]>, options: RuleMiningOptions): MiningResult {
  const parsed = ZRuleMiningOptions.safeParse(options);
  if (!parsed.success)
    throw new BadInputError(`invalid rule mining options: ${parsed.error.issues[0]?.message ?? ''}`);
  const { minSupport, minConfidence, maxLength } = parsed.data;

  const { names, tx } = encodeBaskets(baskets);
  const n = tx.length;
  if (n === 0) return { transactions: 0, itemsets: 0, rules: [] };
  const minCount = Math.ceil(minSupport * n - EPS);
  const words = Math.ceil(n / 32);

  // Level 1: one bitset per item.
  const itemBits = names.map(() => new Uint32Array(words));
  tx.forEach((ids, t) => {
    for (const id of ids) itemBits[id]![t >>> 5]! |= 1 << (t & 31);
  });
  const counts = new Map<string, number>();
  let level: Frequent[] = [];
  itemBits.forEach((bits, id) => {
    const count = popcount(bits);
    if (count >= minCount) {
      level.push({ ids: [id], bits, count });
      counts.set(String(id), count);
    }
  });

  const all: Frequent[][] = [level];
  for (let size = 2; size <= maxLength && level.length > 1; size++) {
    level = nextLevel(level, counts, minCount, words);
    if (level.length > 0) all.push(level);
  }

  const rules: AssociationRule[] = [];
  for (const sets of all.slice(1)) {
    for (const set of sets) {
      // arules' rule generation: every item of the set in turn as the single consequent.
      for (let i = 0; i < set.ids.length; i++) {
        const lhs = set.ids.filter((_, j) => j !== i);
        const rhs = set.ids[i]!;
        const lhsCount = counts.get(lhs.join(','))!;
        const confidence = set.count / lhsCount;
        if (confidence + EPS < minConfidence) continue;
        const rhsSupport = counts.get(String(rhs))! / n;
        rules.push({
          antecedent: lhs.map((id) => names[id]!),
          consequent: [names[rhs]!],
          support: set.count / n,
          confidence,
          lift: confidence / rhsSupport,
          count: set.count,
        });
      }
    }
  }
  rules.sort(compareRules);
  return { transactions: n, itemsets: counts.size, rules };
}

/** Orders rules by lift, confidence, support (descending), then by text for a stable order. */
export function compareRules(a: AssociationRule, b: AssociationRule): number {
  return (
    b.lift - a.lift ||
    b.confidence - a.confidence ||
    b.support - a.support ||
    ruleKey(a).localeCompare(ruleKey(b))
  );
}

/** A stable text key of a rule, e.g. "a,b=>c". */
export function ruleKey(rule: Pick<AssociationRule, 'antecedent' | 'consequent'>): string {
  return `${[...rule.antecedent].sort().join(',')}=>${rule.consequent.join(',')}`;
}

function encodeBaskets(baskets: Iterable<readonly string[]>): { names: string[]; tx: number[][] } {
  const raw: string[][] = [];
  const seen = new Set<string>();
  for (const basket of baskets) {
    const items = [...new Set(basket.map((s) => s.trim()).filter((s) => s !== ''))];
    if (items.length === 0) continue;
    raw.push(items);
    for (const item of items) seen.add(item);
  }
  // Sorted names give ids in a deterministic order, so results do not depend on basket order.
  const names = [...seen].sort();
  const idOf = new Map(names.map((name, id) => [name, id]));
  return { names, tx: raw.map((items) => items.map((s) => idOf.get(s)!).sort((a, b) => a - b)) };
}

/** Apriori join + prune + count: frequent k-itemsets from frequent (k-1)-itemsets. */
function nextLevel(
  prev: Frequent[],
  counts: Map<string, number>,
  minCount: number,
  words: number,
): Frequent[] {
  const out: Frequent[] = [];
  const scratch = new Uint32Array(words);
  const k = prev[0]!.ids.length + 1;
  for (let a = 0; a < prev.length; a++) {
    const x = prev[a]!;
    for (let b = a + 1; b < prev.length; b++) {
      const y = prev[b]!;
      // prev is sorted lexicographically by ids, so sets sharing a (k-2)-prefix are contiguous.
      if (!samePrefix(x.ids, y.ids, k - 2)) break;
      const ids = [...x.ids, y.ids[k - 2]!];
      if (!allSubsetsFrequent(ids, counts)) continue;
      // Intersect into a reused scratch buffer; only frequent sets get their own copy (less GC).
      const xb = x.bits;
      const yb = y.bits;
      let count = 0;
      for (let w = 0; w < words; w++) {
        const v = xb[w]! & yb[w]!;
        scratch[w] = v;
        count += popcount32(v);
      }
      if (count >= minCount) {
        out.push({ ids, bits: scratch.slice(), count });
        counts.set(ids.join(','), count);
      }
    }
  }
  return out;
}

function samePrefix(a: number[], b: number[], len: number): boolean {
  for (let i = 0; i < len; i++) if (a[i] !== b[i]) return false;
  return true;
}

function allSubsetsFrequent(ids: number[], counts: Map<string, number>): boolean {
  // The two subsets dropping one of the last two items are the join parents; check the others.
  for (let drop = 0; drop < ids.length - 2; drop++) {
    if (!counts.has(ids.filter((_, i) => i !== drop).join(','))) return false;
  }
  return true;
}

function popcount(bits: Uint32Array): number {
  let c = 0;
  for (let i = 0; i < bits.length; i++) c += popcount32(bits[i]!);
  return c;
}

function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
