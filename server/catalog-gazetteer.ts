// The catalog's names for the entity extractor (products and categories mentioned in a message).
import { Gazetteer } from '../nlu/index.js';
import type { PrismaClient } from '../prisma/index.js';

/** Catalog names for the entity gazetteer: products by SKU, categories by name. */
export async function catalogGazetteer(prisma: PrismaClient): Promise<Gazetteer> {
  const products = await prisma.product.findMany({
    where: { active: true },
    select: { sku: true, name: true, category: true },
  });
  const categories = [...new Set(products.map((p) => p.category))];
  return new Gazetteer([
    ...products.map((p) => ({ id: p.sku, name: p.name, kind: 'product' as const })),
    ...categories.map((c) => ({ id: c, name: c, kind: 'category' as const })),
  ]);
}
