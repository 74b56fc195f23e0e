import { z } from 'zod';
import { readArtifact, sha256, writeArtifact } from './artifact.js';
import { ArtifactError } from './errors.js';
import { mineRules, ruleKey, type AssociationRule, type RuleMiningOptions } from './association-rules.js';
import type { BasketRecommender, NameOf, ScoredItem } from './types.js';
import { listNames, percent } from './types.js';

const KIND = 'association-rules';
const FORMAT = 1;

const ZRule = z.object({
  antecedent: z.array(z.string()).min(1),
  consequent: z.array(z.string()).length(1),
  support: z.number(),
  confidence: z.number(),
  lift: z.number(),
  count: z.number().int().default(0),
});

/** Frequently-bought-together recommender over mined association rules. */
export class RuleSet implements BasketRecommender {
  readonly name = 'association-rules';
  // Rules indexed by their alphabetically first antecedent item: a rule can only fire when that
  // item is in the basket, so a lookup per basket item finds every candidate rule.
  private readonly byFirst = new Map<string, AssociationRule[]>();

  constructor(
    readonly rules: readonly AssociationRule[],
    readonly parameters: Record<string, unknown> = {},
  ) {
    for (const rule of rules) {
      const first = [...rule.antecedent].sort()[0]!;
      const list = this.byFirst.get(first) ?? [];
      list.push(rule);
      this.byFirst.set(first, list);
    }
  }

  /** Mines rules from baskets and wraps them. */
  static train(baskets: Iterable<readonly string[]>, options: RuleMiningOptions): RuleSet {
    const result = mineRules(baskets, options);
    return new RuleSet(result.rules, { ...options, transactions: result.transactions });
  }

  /** Items implied by rules whose left side is inside the basket; best rule per item wins (confidence, then lift). */
  recommend(basket: readonly string[], k: number, nameOf: NameOf = (s) => s): ScoredItem[] {
    const have = new Set(basket);
    const best = new Map<string, AssociationRule>();
    for (const item of have) {
      for (const rule of this.byFirst.get(item) ?? []) {
        const target = rule.consequent[0]!;
        if (have.has(target) || !rule.antecedent.every((a) => have.has(a))) continue;
        const prev = best.get(target);
        if (
          !prev ||
          rule.confidence > prev.confidence ||
          (rule.confidence === prev.confidence && rule.lift > prev.lift)
        ) {
          best.set(target, rule);
        }
      }
    }
    return [...best.entries()]
      .sort(([a, x], [b, y]) => y.confidence - x.confidence || y.lift - x.lift || a.localeCompare(b))
      .slice(0, k)
      .map(([item, rule]) => ({ item, score: rule.confidence, reason: ruleReason(rule, nameOf) }));
  }

  /** Writes rules.json and manifest.json into `dir`. */
  async persist(dir: string): Promise<void> {
    const body = JSON.stringify(this.rules);
    await writeArtifact(
      dir,
      {
        kind: KIND,
        formatVersion: FORMAT,
        encoder: null,
        params: this.parameters,
        dataHash: sha256(this.rules.map(ruleKey).join('\n')),
        metrics: { count: this.rules.length },
      },
      { 'rules.json': body },
    );
  }

  /** Reads a rule set written by `persist`; throws ArtifactError naming the bad file. */
  static async load(dir: string): Promise<RuleSet> {
    const { manifest, files } = await readArtifact(dir, KIND, FORMAT, z.record(z.string(), z.unknown()));
    const data = files.get('rules.json');
    if (!data)
      throw new ArtifactError('RECSYS_ARTIFACT_MISSING', `${dir}/rules.json`, 'not listed in the manifest');
    const parsed = z.array(ZRule).safeParse(JSON.parse(data.toString('utf8')));
    if (!parsed.success)
      throw new ArtifactError(
        'RECSYS_ARTIFACT_CORRUPT',
        `${dir}/rules.json`,
        parsed.error.issues[0]?.message ?? 'invalid',
      );
    return new RuleSet(parsed.data, manifest.params);
  }
}

/** "Often bought together: 59% of orders with citrus fruit and root vegetables also had other vegetables (3.0× the usual rate)". */
export function ruleReason(
  rule: Pick<AssociationRule, 'antecedent' | 'consequent' | 'confidence' | 'lift'>,
  nameOf: NameOf = (s) => s,
): string {
  return (
    `Often bought together: ${percent(rule.confidence)} of orders with ${listNames(rule.antecedent.map(nameOf))} ` +
    `also had ${rule.consequent.map(nameOf).join(', ')} (${rule.lift.toFixed(1)}× the usual rate)`
  );
}
