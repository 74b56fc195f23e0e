// The intent models the bots serve, one ModelRegistry per domain under DATA_DIR/nlu/<domain>/:
// the same versions `mkt nlu train|versions|rollback --domain` and the `nlu.retrain` job act on.
// Every process follows the active version: announcements on the version bus ("nlu.model",
// "<domain>:v<n>") reload at once, and a slow poll of current.json catches a rollback made by a
// CLI that had no bus to announce on (the embedded set-up without Redis).
import { join } from 'node:path';
import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import type { VersionBus } from '../jobs/index.js';
import {
  hashExamples,
  ModelRegistry,
  type IntentClassifier,
  type IntentExample,
  type IntentPrediction,
  type SentenceEncoder,
} from '../nlu/index.js';

/** The two intent domains of the product. */
export const INTENT_DOMAINS = ['customer', 'marketer'] as const;
/** One intent domain. */
export type IntentDomain = (typeof INTENT_DOMAINS)[number];

/** Registry folder of a domain. */
export function intentRegistryDir(dataDir: string, domain: IntentDomain): string {
  return join(dataDir, 'nlu', domain);
}

/** Version string announced on the bus for a domain's active version. */
export function modelVersionTag(domain: IntentDomain, version: number): string {
  return `${domain}:v${version}`;
}

/** Parses an announced version string; null when it is not one of ours. */
export function parseModelVersionTag(tag: string): { domain: IntentDomain; version: number } | null {
  const match = /^(customer|marketer):v(\d+)$/.exec(tag);
  return match ? { domain: match[1] as IntentDomain, version: Number(match[2]) } : null;
}

/** A model that always answers with the registry's active version (swaps apply to the next message). */
export interface LiveIntentModel {
  process(text: string): Promise<IntentPrediction>;
  current(): IntentClassifier;
}

/** The served models of one process. */
export interface ServedIntentModels {
  registries: Record<IntentDomain, ModelRegistry>;
  models: Record<IntentDomain, LiveIntentModel>;
  stop(): Promise<void>;
}

/** What starting the served models needs. */
export interface ServedIntentModelsOptions {
  dataDir: string;
  encoder: SentenceEncoder;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** The shipped training examples of a domain (the seed every version is trained on). */
  seedExamples: (domain: IntentDomain) => Promise<IntentExample[]>;
  versions?: VersionBus;
  /** How often current.json is re-read (default 30 s; 0 = never). */
  pollMs?: number;
  seed?: number;
}

/**
 * Opens both registries; a domain with no version yet, or whose active version was trained on
 * other shipped data (the code changed), gets a first/new version trained at once (forced: the
 * shipped data is the reference).
 */
export async function startServedIntentModels(
  options: ServedIntentModelsOptions,
): Promise<ServedIntentModels> {
  const { encoder, logger } = options;
  const registries = {} as Record<IntentDomain, ModelRegistry>;
  for (const domain of INTENT_DOMAINS) {
    const registry = new ModelRegistry({ root: intentRegistryDir(options.dataDir, domain), encoder });
    await registry.start();
    const seed = await options.seedExamples(domain);
    const seedHash = hashExamples(seed);
    const activeSeed = registry.activeVersion
      ? (registry.current().params.tags as Record<string, string> | undefined)?.seedHash
      : undefined;
    if (activeSeed !== seedHash) {
      const started = Date.now();
      const result = await registry.retrain(seed, {
        force: true,
        trainOptions: { seed: options.seed ?? 7, tags: { seedHash } },
      });
      logger.info(
        { domain, version: result.version, examples: seed.length, seconds: (Date.now() - started) / 1000 },
        registry.activeVersion === 1
          ? 'intent model: first version trained'
          : 'intent model: shipped data changed, retrained',
      );
      await options.versions?.publish('nlu.model', modelVersionTag(domain, result.version));
    }
    registries[domain] = registry;
  }
  const reload = async (domain: IntentDomain, why: string) => {
    const before = registries[domain].activeVersion;
    const after = await registries[domain].refresh();
    if (after !== before) logger.info({ domain, from: before, to: after, why }, 'intent model reloaded');
  };
  const off = options.versions?.subscribe('nlu.model', async (a) => {
    const tag = parseModelVersionTag(a.version);
    if (tag) await reload(tag.domain, 'announcement');
  });
  const pollMs = options.pollMs ?? 30_000;
  const timer =
    pollMs > 0
      ? setInterval(() => {
          for (const domain of INTENT_DOMAINS)
            reload(domain, 'poll').catch((err: unknown) =>
              logger.warn({ err: String(err), domain }, 'intent model reload failed'),
            );
        }, pollMs)
      : undefined;
  timer?.unref();
  const live = (domain: IntentDomain): LiveIntentModel => ({
    process: (text) => registries[domain].current().process(text),
    current: () => registries[domain].current(),
  });
  return {
    registries,
    models: { customer: live('customer'), marketer: live('marketer') },
    stop: async () => {
      off?.();
      if (timer) clearInterval(timer);
      await Promise.all(INTENT_DOMAINS.map((d) => registries[d].stop()));
    },
  };
}

/**
 * `mkt_nlu_model_version{domain}`: the version this process serves, read at scrape time, so a swap
 * or rollback shows on every process's /metrics without a restart.
 */
export function registerModelVersionGauge(
  registry: Registry,
  models: ServedIntentModels,
  prefix = 'mkt_',
): void {
  new Gauge({
    name: `${prefix}nlu_model_version`,
    help: 'Intent model version this process serves, per domain',
    labelNames: ['domain'] as const,
    registers: [registry],
    collect() {
      for (const domain of INTENT_DOMAINS) {
        const version = models.registries[domain].activeVersion;
        if (version !== null) this.set({ domain }, version);
      }
    },
  });
}
