// What `mkt nlu train|versions|rollback --domain customer|marketer` needs to act on the intent
// models the server serves: their registry folder, the shipped seed every version is trained on
// (and its hash, which the server checks at start), and the announcement that makes running
// processes reload at once (with Redis; without it they notice current.json within 30 s).
import { createVersionBus } from '../jobs/index.js';
import { hashExamples, type IntentExample } from '../nlu/index.js';
import type { Config } from './config.js';
import { intentRegistryDir, modelVersionTag, type IntentDomain } from './intent-models.js';
import { seedIntentExamples } from './intent-seed.js';

/** The served registry of one intent domain, as a command sees it. */
export interface ServedIntentRegistry {
  readonly domain: IntentDomain;
  /** DATA_DIR/nlu/<domain> */
  readonly root: string;
  /** the shipped training examples (bots/nlu-data) */
  seedExamples(): Promise<IntentExample[]>;
  /** the tag a version needs for the server to keep it at start instead of retraining on the seed */
  seedTags(): Promise<Record<string, string>>;
  /** Tells running processes that `version` is now active. */
  announce(version: number): Promise<void>;
}

/** The served registry of `domain` under the configured DATA_DIR. */
export function servedIntentRegistry(config: Config, domain: IntentDomain): ServedIntentRegistry {
  const seedExamples = () => seedIntentExamples(domain);
  return {
    domain,
    root: intentRegistryDir(config.dataDir, domain),
    seedExamples,
    seedTags: async () => ({ seedHash: hashExamples(await seedExamples()) }),
    announce: async (version) => {
      if (!config.REDIS_URL) return;
      const bus = await createVersionBus({ redisUrl: config.REDIS_URL });
      try {
        await bus.publish('nlu.model', modelVersionTag(domain, version));
      } finally {
        await bus.close();
      }
    },
  };
}
