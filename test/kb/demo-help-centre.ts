// The demo help centre's pages and the shipped encoder, loaded once for a test file's tests.
import { afterAll, beforeAll } from 'vitest';
import { DEMO_HELP_CENTRE_DIR, importPath, type KbDocument } from '../../kb/index.js';
import { createUseLiteEncoder, type SentenceEncoder } from '../../nlu/index.js';

/** Registers the load (beforeAll) and the encoder's release (afterAll); read the fields in tests. */
export function useDemoHelpCentre(): { encoder: SentenceEncoder; pages: KbDocument[] } {
  const loaded = {} as { encoder: SentenceEncoder; pages: KbDocument[] };
  beforeAll(async () => {
    loaded.encoder = await createUseLiteEncoder();
    loaded.pages = (await importPath(DEMO_HELP_CENTRE_DIR)).documents;
  });
  afterAll(() => loaded.encoder?.dispose());
  return loaded;
}
