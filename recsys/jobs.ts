import type { RuleMiningOptions } from './association-rules.js';
import { DEFAULT_SHOP_RULES, type RecsysService } from './recsys-service.js';

// Processors for the jobs declared in jobs/definitions.ts ('catalog.reindex', 'rules.mine').
// Payload types are written structurally so recsys does not depend on the jobs package; the
// composition root registers these functions with the queue.

/** Payload of 'catalog.reindex' (see jobs ZCatalogReindex). */
export interface CatalogReindexPayload {
  catalogVersion: number;
  productIds?: string[];
}

/** Payload of 'rules.mine' (see jobs ZRulesMine). */
export interface RulesMinePayload {
  minSupport?: number;
  minConfidence?: number;
}

/** The recsys job processors, keyed by job name. */
export function recsysJobProcessors(service: RecsysService): {
  'catalog.reindex': (payload: CatalogReindexPayload) => Promise<object>;
  'rules.mine': (payload: RulesMinePayload) => Promise<object>;
} {
  return {
    // With a product list the change is incremental (embed changed, markDelete removed); without
    // one the whole index is rebuilt, as the job definition says.
    'catalog.reindex': async (payload) =>
      payload.productIds ? service.syncCatalog() : service.rebuildIndex(),
    'rules.mine': async (payload) => {
      const options: RuleMiningOptions = {
        ...DEFAULT_SHOP_RULES,
        ...(payload.minSupport !== undefined ? { minSupport: payload.minSupport } : {}),
        ...(payload.minConfidence !== undefined ? { minConfidence: payload.minConfidence } : {}),
      };
      const result = await service.refreshRules(options);
      await service.retrainModels();
      return result;
    },
  };
}
