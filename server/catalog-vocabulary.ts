// The catalog's words for the entity gazetteer: product names (by SKU), categories, brands and
// product types. Types are the head nouns of product names ("Cragline Waterproof Rain Jacket,
// navy" → "Rain Jacket", "Jacket") plus everyday synonyms, so "coffee filters", "sneakers" or
// "throw blanket" are recognised as product requests (bots/dialog/routing.ts) even when the intent
// classifier has never seen the words.
import type { GazetteerEntry } from '../nlu/index.js';

/** What the vocabulary needs of a product. */
export interface VocabularyProduct {
  sku: string;
  name: string;
  category: string;
  brand?: string | null;
}

// Single words that are product heads in a shop but ordinary words in a sentence ("can I pay by
// card?", "in case", "go home"): they count only inside a longer type name ("gift card").
const AMBIGUOUS_SINGLE = new Set([
  'card',
  'case',
  'bank',
  'print',
  'stand',
  'set',
  'cover',
  'block',
  'pack',
  'map',
  'home',
  'light',
  'machine',
  'protector',
  'hub',
  'ink',
]);

// Everyday names for product types, keyed by a head noun (or two) found in product names.
const SYNONYMS: Record<string, string[]> = {
  jacket: ['coat', 'anorak', 'raincoat', 'windbreaker'],
  parka: ['winter coat', 'puffer', 'down jacket'],
  'running shoes': ['sneakers', 'trainers', 'running trainers'],
  boots: ['hiking shoes', 'walking boots'],
  earbuds: ['headphones', 'earphones', 'earbud', 'airpods'],
  daypack: ['backpack', 'rucksack', 'hiking bag'],
  beanie: ['hat', 'woolly hat', 'winter hat', 'toque'],
  mug: ['cup', 'coffee cup'],
  tumbler: ['travel mug', 'thermos', 'flask'],
  notebook: ['journal', 'notepad', 'sketchbook'],
  midlayer: ['fleece', 'sweater', 'jumper', 'hoodie', 'pullover'],
  trousers: ['pants', 'rain pants', 'overtrousers'],
  slippers: ['house shoes'],
  planter: ['plant pot', 'flower pot'],
  bulb: ['light bulb', 'lightbulb', 'led'],
  charger: ['phone charger', 'power adapter', 'usb charger'],
  'power bank': ['battery pack', 'portable charger', 'powerbank'],
  'phone case': ['phone cover', 'iphone case'],
  'laptop stand': ['laptop riser'],
  'yoga mat': ['exercise mat', 'gym mat', 'fitness mat'],
  'water bottle': ['drinks bottle', 'sports bottle'],
  'resistance bands': ['exercise bands', 'workout bands'],
  'fountain pen': ['pen', 'ink pen'],
  'gift card': ['gift voucher', 'voucher', 'gift certificate'],
  'throw blanket': ['throw', 'blanket', 'sofa blanket'],
  'cushion cover': ['pillow cover', 'pillowcase', 'cushion'],
  'table lamp': ['desk lamp', 'bedside lamp', 'lamp'],
  shelf: ['wall shelf', 'bookshelf'],
  'coffee beans': ['coffee', 'espresso beans', 'whole beans'],
  tea: ['loose tea', 'tea leaves', 'earl grey', 'green tea'],
  grinder: ['coffee mill'],
  'espresso machine': ['coffee machine', 'coffee maker', 'espresso maker'],
  kettle: ['tea kettle', 'pour over kettle'],
  dripper: ['pour over', 'pourover', 'coffee dripper'],
  jug: ['milk jug', 'frothing pitcher', 'milk pitcher'],
  socks: ['hiking socks', 'wool socks'],
  gloves: ['mittens', 'winter gloves'],
  'usb-c cable': ['charging cable', 'usb cable', 'phone cable'],
  'usb-c hub': ['usb hub', 'dock', 'docking station', 'adapter'],
  'screen protector': ['screen guard', 'tempered glass'],
  candle: ['candles'],
  'map print': ['trail map', 'poster', 'wall art'],
  'bottled ink': ['fountain pen ink', 'ink bottle'],
};

/** "Cragline Waterproof Rain Jacket, navy" with brand "Cragline" → ["Rain Jacket", "Jacket"]. */
export function typeNames(name: string, brand?: string | null): string[] {
  let base = name.split(',')[0]!.trim();
  if (brand && base.toLowerCase().startsWith(brand.toLowerCase())) base = base.slice(brand.length).trim();
  const words = base.split(/\s+/).filter(Boolean);
  const out: string[] = [];
  if (words.length >= 2) out.push(words.slice(-2).join(' '));
  const head = words.at(-1);
  if (head && !AMBIGUOUS_SINGLE.has(head.toLowerCase())) out.push(head);
  return out;
}

/** Gazetteer entries for a catalog. */
export function catalogVocabulary(products: readonly VocabularyProduct[]): GazetteerEntry[] {
  const entries = new Map<string, GazetteerEntry>();
  const add = (e: GazetteerEntry) => {
    if (!entries.has(e.id)) entries.set(e.id, e);
  };
  for (const p of products) {
    add({ id: p.sku, name: p.name, kind: 'product' });
    if (!AMBIGUOUS_SINGLE.has(p.category.toLowerCase()))
      add({ id: p.category, name: p.category, kind: 'category' });
    if (p.brand) add({ id: `brand:${p.brand}`, name: p.brand, kind: 'brand' });
    for (const type of typeNames(p.name, p.brand)) {
      const key = type.toLowerCase();
      add({ id: `type:${key}`, name: type, kind: 'type', aliases: SYNONYMS[key] ?? [] });
    }
  }
  return [...entries.values()];
}
