// Deterministic generator of the demo catalog and demo orders shipped with the product:
//   npx tsx recsys/demo/generate-catalog.ts
// writes recsys/demo/catalog.json and recsys/demo/orders.json. Same output on every run (seeded).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../../random/index.js';
import type { ProductRow } from '../catalog-schema.js';
import { MISSION_WEIGHTS, PRODUCT_TYPES, type ProductType } from './catalog-spec.js';

/** Demo orders: baskets of SKUs per demo customer, plus product views. */
export interface DemoOrders {
  customers: string[];
  orders: Array<{ id: string; customer: string; placedAt: string; items: string[] }>;
  views: Array<{ customer: string; sku: string }>;
}

/** Builds the demo catalog rows (deterministic). */
export function generateCatalog(seed = 2024): ProductRow[] {
  const random = mulberry32(seed);
  const rows: ProductRow[] = [];
  for (const type of PRODUCT_TYPES) {
    // Types with several adjectives get two model lines per brand (e.g. "Packable" and "Storm-proof").
    const lines = type.adjectives.length >= 3 ? 2 : 1;
    type.brands.forEach((brand, b) => {
      for (let line = 0; line < lines; line++) {
        type.variants.values.forEach((value, v) => {
          const adjective = type.adjectives[(b * lines + line) % type.adjectives.length]!;
          const [lo, hi] = type.price;
          const base = lo + (hi - lo) * (0.1 * b + 0.15 * line + 0.75 * random());
          const price = Math.max(1, Math.round(base)) - (base > 20 ? 0.01 : 0);
          rows.push({
            sku: `${type.code}-${b + 1}${line + 1}${String(v + 1).padStart(2, '0')}`,
            name: `${brand} ${adjective} ${type.noun}, ${value}`,
            description: capitalise(
              `${type.description.replace('{adj}', adjective.toLowerCase())} ${capitalise(type.variants.name)}: ${value}.`,
            ),
            category: type.category,
            brand,
            price: Number(price.toFixed(2)),
            currency: 'USD',
            tags: [...type.tags, ...(type.variants.name === 'colour' ? [value] : [])],
            attributes: { [type.variants.name]: value },
            stock: random() < 0.06 ? 0 : 3 + Math.floor(random() * 80),
            imageUrl: undefined,
            margin: Number((0.15 + 0.4 * random()).toFixed(2)),
            active: true,
          });
        });
      }
    });
  }
  return rows;
}

/** Builds demo customers, order baskets around shopping missions, and views (deterministic). */
export function generateOrders(catalog: readonly ProductRow[], seed = 7, count = 2400): DemoOrders {
  const random = mulberry32(seed);
  const byType = new Map<string, ProductRow[]>();
  for (const row of catalog) {
    const code = row.sku.split('-')[0]!;
    byType.set(code, [...(byType.get(code) ?? []), row]);
  }
  const typesOf = (mission: string): ProductType[] =>
    PRODUCT_TYPES.filter((t) => t.missions.includes(mission));
  const missions = Object.entries(MISSION_WEIGHTS);
  const totalWeight = missions.reduce((s, [, w]) => s + w, 0);
  const pickMission = (): string => {
    let r = random() * totalWeight;
    for (const [m, w] of missions) if ((r -= w) < 0) return m;
    return missions[0]![0];
  };
  // Within a type, earlier variants sell more (a mild popularity skew, as in real shops).
  const pickProduct = (type: ProductType): ProductRow => {
    const rows = byType.get(type.code)!;
    return rows[Math.min(rows.length - 1, Math.floor(rows.length * random() * random()))]!;
  };
  const customers = Array.from({ length: 60 }, (_, i) => `demo-customer-${String(i + 1).padStart(2, '0')}`);
  // Each customer has two favourite missions, so their history has a recognisable taste.
  const tastes = customers.map(() => [pickMission(), pickMission()]);
  const orders: DemoOrders['orders'] = [];
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < count; i++) {
    const c = Math.floor(random() * customers.length);
    const mission = random() < 0.7 ? tastes[c]![Math.floor(random() * 2)]! : pickMission();
    const types = typesOf(mission);
    const size = 1 + Math.floor(-Math.log(1 - random()) * 1.6);
    const items = new Set<string>();
    for (let j = 0; j < Math.min(size, 6); j++) {
      const type =
        random() < 0.85
          ? types[Math.floor(random() * types.length)]!
          : PRODUCT_TYPES[Math.floor(random() * PRODUCT_TYPES.length)]!;
      items.add(pickProduct(type).sku);
    }
    orders.push({
      id: `demo-order-${String(i + 1).padStart(5, '0')}`,
      customer: customers[c]!,
      placedAt: new Date(start + Math.floor(random() * 300) * 86_400_000).toISOString(),
      items: [...items],
    });
  }
  const views: DemoOrders['views'] = [];
  customers.forEach((customer, c) => {
    for (let v = 0; v < 8; v++) {
      const types = typesOf(tastes[c]![v % 2]!);
      views.push({ customer, sku: pickProduct(types[Math.floor(random() * types.length)]!).sku });
    }
  });
  return { customers, orders, views };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const here = dirname(fileURLToPath(import.meta.url));
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const catalog = generateCatalog();
  const orders = generateOrders(catalog);
  writeFileSync(join(here, 'catalog.json'), `${JSON.stringify(catalog, null, 1)}\n`);
  writeFileSync(join(here, 'orders.json'), `${JSON.stringify(orders)}\n`);
  process.stderr.write(`wrote ${catalog.length} products and ${orders.orders.length} orders to ${here}\n`);
}
