// The demo help centre follows the shipped pages while it is the knowledge base's only source (an
// upgrade that rewords or adds a page reaches a shop still on the demo), and is left alone once the
// shop has imported documents of its own.
import { describe, expect, it } from 'vitest';
import {
  DEMO_HELP_CENTRE_DIR,
  DEMO_HELP_CENTRE_ORIGIN,
  MemoryKbStore,
  seedDemoHelpCentre,
  syncDocuments,
} from '../../kb/index.js';
import { importPath } from '../../kb/import/files.js';

describe('seedDemoHelpCentre', () => {
  it('loads the shipped pages into an empty base, and nothing more when they are current', async () => {
    const store = new MemoryKbStore();
    const shipped = (await importPath(DEMO_HELP_CENTRE_DIR)).documents;
    expect(await seedDemoHelpCentre(store)).toBe(shipped.length);
    const version = await store.version();
    expect(await seedDemoHelpCentre(store)).toBe(0);
    expect(await store.version()).toBe(version);
  });

  it('brings a demo base from an older version up to the shipped pages', async () => {
    const store = new MemoryKbStore();
    await seedDemoHelpCentre(store);
    const [first, second, ...rest] = (await importPath(DEMO_HELP_CENTRE_DIR)).documents;
    // An older demo: the first page worded differently, the second missing.
    await syncDocuments(store, DEMO_HELP_CENTRE_ORIGIN, [{ ...first!, body: 'Old wording.' }, ...rest]);
    expect(await seedDemoHelpCentre(store)).toBe(2);
    const stored = new Map((await store.listDocuments()).map((d) => [d.id, d]));
    expect(stored.get(first!.id)?.body).toBe(first!.body);
    expect(stored.get(second!.id)?.body).toBe(second!.body);
  });

  it('leaves the base alone once the shop has imported its own documents', async () => {
    const store = new MemoryKbStore();
    await seedDemoHelpCentre(store);
    const [first] = (await importPath(DEMO_HELP_CENTRE_DIR)).documents;
    await syncDocuments(store, DEMO_HELP_CENTRE_ORIGIN, [{ ...first!, body: 'Shop-edited wording.' }]);
    await syncDocuments(store, 'shop-pages', [
      {
        id: 'returns',
        kind: 'markdown',
        title: 'Returns',
        source: 'https://shop.example/returns',
        body: 'Thirty days.',
      },
    ]);
    const version = await store.version();
    expect(await seedDemoHelpCentre(store)).toBe(0);
    expect(await store.version()).toBe(version);
    expect((await store.listDocuments()).find((d) => d.id === first!.id)?.body).toBe('Shop-edited wording.');
  });
});
