// The `nlu.retrain` job: trains a new version of each domain's intent model on the shipped seed
// examples plus the reviewed examples, scores it and the active version on the same fixed
// validation rows (a stable hash split of the seed data, plus every reviewed example), swaps it in
// only when not worse, announces a swap on the version bus (every process reloads), and reports.
import type { Logger } from 'pino';
import type { VersionBus } from '../jobs/index.js';
import {
  hashExamples,
  ModelRegistry,
  normaliseExamples,
  validationMask,
  type EvalRow,
  type IntentExample,
  type RetrainResult,
  type SentenceEncoder,
} from '../nlu/index.js';
import { INTENT_DOMAINS, intentRegistryDir, modelVersionTag, type IntentDomain } from './intent-models.js';

/** Share of the seed examples in the fixed validation rows (a hash split: the same rows every night). */
export const FIXED_VALIDATION_FRACTION = 0.2;
/** Intent names that mean "not something the bot does": such rows must be refused. */
const OUT_OF_SCOPE_INTENTS = new Set(['oos', 'out_of_scope', 'nlu_fallback']);

/** What the processor needs. */
export interface NluRetrainDeps {
  dataDir: string;
  encoder: SentenceEncoder;
  seedExamples: (domain: IntentDomain) => Promise<IntentExample[]>;
  /** Fixed validation examples; default: the seed's hash split (FIXED_VALIDATION_FRACTION). */
  fixedValidation?: (domain: IntentDomain) => Promise<IntentExample[]>;
  /** Examples labelled by reviewers (none until someone reviews). */
  reviewedExamples?: (domain: IntentDomain) => Promise<IntentExample[]>;
  versions?: VersionBus;
  /** Posts the retrain report (e.g. to the Slack admin channel); the log always gets it. */
  report?: (text: string, results: ReadonlyArray<DomainRetrain | DomainUnchanged>) => Promise<void>;
  logger: Pick<Logger, 'info'>;
  seed?: number;
}

/** Payload of the job (see jobs/definitions.ts). */
export interface NluRetrainPayload {
  reason: string;
  requestedBy?: string;
  domain?: IntentDomain;
}

/** One domain's outcome. */
export interface DomainRetrain extends RetrainResult {
  domain: IntentDomain;
  trainingExamples: number;
  reviewedExamples: number;
}

/** A domain whose training data did not change since the active version: nothing to train. */
export interface DomainUnchanged {
  domain: IntentDomain;
  unchanged: true;
  activeVersion: number;
}

/** The fixed validation rows of a domain: the seed's hash split plus every reviewed example. */
export function validationRows(
  seed: readonly IntentExample[],
  reviewed: readonly IntentExample[],
  fixed?: readonly IntentExample[],
): EvalRow[] {
  const mask = validationMask(seed, FIXED_VALIDATION_FRACTION);
  return [...(fixed ?? seed.filter((_, i) => mask[i])), ...reviewed].map((e) => ({
    text: e.text,
    intent: e.intent,
    outOfScope: OUT_OF_SCOPE_INTENTS.has(e.intent),
  }));
}

/** Builds the processor. */
export function nluRetrainProcessor(
  deps: NluRetrainDeps,
): (payload: NluRetrainPayload) => Promise<{ domains: Array<DomainRetrain | DomainUnchanged> }> {
  return async (payload) => {
    const domains = payload.domain ? [payload.domain] : [...INTENT_DOMAINS];
    const results: Array<DomainRetrain | DomainUnchanged> = [];
    for (const domain of domains) {
      const seed = await deps.seedExamples(domain);
      const reviewed = (await deps.reviewedExamples?.(domain)) ?? [];
      const registry = new ModelRegistry({
        root: intentRegistryDir(deps.dataDir, domain),
        encoder: deps.encoder,
      });
      await registry.start();
      const active = registry.activeVersion ? registry.current() : undefined;
      // Training is deterministic: the same examples would give the same model again (and the
      // nightly run would cost minutes of CPU for nothing).
      if (active && active.dataHash === hashExamples(normaliseExamples([...seed, ...reviewed]))) {
        const activeVersion = registry.activeVersion!;
        await registry.stop();
        results.push({ domain, unchanged: true, activeVersion });
        continue;
      }
      const tags = (active?.params.tags as Record<string, string> | undefined) ?? {};
      const result = await registry.retrain([...seed, ...reviewed], {
        validation: validationRows(seed, reviewed, await deps.fixedValidation?.(domain)),
        trainOptions: { seed: deps.seed ?? 7, tags },
      });
      await registry.stop();
      if (result.swapped) await deps.versions?.publish('nlu.model', modelVersionTag(domain, result.version));
      results.push({
        ...result,
        domain,
        trainingExamples: seed.length + reviewed.length,
        reviewedExamples: reviewed.length,
      });
    }
    const text = retrainReport(payload, results);
    deps.logger.info({ reason: payload.reason, results }, 'nlu retrain done');
    await deps.report?.(text, results);
    return { domains: results };
  };
}

/** The human report of a retrain (one line per domain). */
export function retrainReport(
  payload: NluRetrainPayload,
  results: ReadonlyArray<DomainRetrain | DomainUnchanged>,
): string {
  const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)} %`);
  const lines = results.map((r) =>
    'unchanged' in r
      ? `• ${r.domain}: no new examples since v${r.activeVersion}, nothing trained`
      : r.swapped
        ? `• ${r.domain}: v${r.version} is live — validation ${pct(r.previousScore)} → ${pct(r.score)} on ${r.validationRows} rows (${r.reviewedExamples} reviewed examples)`
        : `• ${r.domain}: kept v${r.previousVersion} — candidate v${r.version} scored ${pct(r.score)} < ${pct(r.previousScore)} on ${r.validationRows} rows`,
  );
  const who = payload.requestedBy ? ` by ${payload.requestedBy}` : '';
  return [`NLU retrain (${payload.reason}${who})`, ...lines].join('\n');
}
