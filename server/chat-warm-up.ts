// Start-up warm-up of the chat's read paths (see warmUpChat).
import type { Logger } from 'pino';
import { loadTrainingData, type Catalog, type Nlu } from '../bots/index.js';

/**
 * Runs the chat's read-only paths (intent, sentiment, entities, product search and similar items)
 * over `sentences` shipped training sentences once at start (CHAT_WARM_UP_SENTENCES, 400 by
 * default): right after a start every shopper otherwise waits for cold code (interpreted, not yet
 * optimised) and empty caches, and the replies of the first seconds under load were the slowest of
 * the load benchmark. A tenth of them also go through product search. Writes nothing; 0 skips it.
 */
export async function warmUpChat(
  nlu: Nlu,
  catalog: Catalog,
  logger: Logger,
  sentences: number,
): Promise<void> {
  if (sentences <= 0) return;
  const started = Date.now();
  const examples = (await loadTrainingData('customer')).map((e) => e.text);
  // Every intent's sentences, a few rounds: enough calls for the optimising compiler to step in.
  const texts = [...new Set(examples)].slice(0, sentences);
  for (const text of texts) await nlu.analyze(text, 'customer');
  for (const text of texts.slice(0, Math.ceil(texts.length / 10))) {
    const found = await catalog.search({ text, filters: {}, k: 4 });
    if (found[0]) await catalog.similar(found[0].sku, { k: 4, cheaper: false });
  }
  logger.info({ sentences: texts.length, ms: Date.now() - started }, 'chat warmed up');
}
