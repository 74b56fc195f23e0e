// The judged product-search set of `npm run bench -- search`: shoppers' requests on the demo
// catalog, each with what a shop assistant would count as relevant, written by hand. Grades come
// from the catalog's structured data by the rule in _search-judge.ts; the per-query facts here
// (which product types answer the request, which colour values count as "green") are the manual
// part. Type codes are the SKU prefixes of recsys/demo/catalog-spec.ts.

/** Query groups, reported separately. */
export type QueryGroup = 'type' | 'attribute' | 'price' | 'typo' | 'synonym' | 'vague' | 'brand' | 'no-match';

/** One judged query. */
export interface QuerySpec {
  q: string;
  group: QueryGroup;
  /** Product type code → grade: 3 what was asked for, 2 a close substitute, 1 related. */
  types: Record<string, 1 | 2 | 3>;
  /**
   * Hard constraints: a product failing one has grade 0 and counts as a violation when shown as a
   * match. `types` defaults to every graded type when the shopper named a product type (all groups
   * but `vague`), so related types are graded 0 there.
   */
  hard?: {
    types?: string[];
    /** Allowed catalog values of the colour-like attributes (colour, glaze, finish). */
    colours?: string[];
    /** Allowed values of the size attribute (products without sizes are exempt). */
    sizes?: string[];
    /** An attribute and its allowed values. */
    attribute?: { name: string; values: string[] };
    priceMin?: number;
    priceMax?: number;
    brands?: string[];
  };
  /** Soft: a grade-3 product whose name, tags or attributes have none of these words drops to 2. */
  prefer?: string[];
  /** Soft: a grade-3 product priced above the median of the grade-3 products drops to 2. */
  preferCheap?: boolean;
  /** Manual corrections of the rule's grade for single products (SKU → grade). */
  overrides?: Record<string, 0 | 1 | 2 | 3>;
  /** Nothing in the catalog satisfies the hard constraints; the right answer says so. */
  noMatch?: boolean;
}

/** Every query, in a fixed order; every 4th (index % 4 === 3) is the validation split. */
export const QUERIES: QuerySpec[] = [
  // bare product types, in the words shoppers use
  { q: 'coffee filters', group: 'type', types: { FLT: 3 } },
  { q: 'throw blanket', group: 'type', types: { THR: 3 } },
  { q: 'wall charger', group: 'type', types: { CHG: 3 } },
  { q: 'frothing jug', group: 'type', types: { JUG: 3 } },
  { q: 'do you have rain jackets?', group: 'type', types: { JKT: 3 } },
  { q: 'I need a beanie', group: 'type', types: { BNE: 3 } },
  { q: 'yoga mat', group: 'type', types: { YMT: 3 } },
  { q: 'looking for an espresso machine', group: 'type', types: { ESP: 3 } },
  { q: 'power bank', group: 'type', types: { PWR: 3 } },
  { q: 'notebooks', group: 'type', types: { NTB: 3 } },
  { q: 'scented candles', group: 'type', types: { CDL: 3 } },
  { q: 'a table lamp for my bedroom', group: 'type', types: { LMP: 3 } },
  { q: 'planters', group: 'type', types: { PLT: 3 } },
  { q: 'daypack', group: 'type', types: { BPK: 3 } },
  { q: 'fountain pen', group: 'type', types: { PEN: 3 } },
  { q: 'gift card', group: 'type', types: { GFT: 3 } },
  { q: 'phone case', group: 'type', types: { CSE: 3 } },
  { q: 'usb-c hub', group: 'type', types: { HUB: 3 } },
  { q: 'water bottle', group: 'type', types: { BTL: 3 } },
  { q: 'resistance bands', group: 'type', types: { BND: 3 } },
  { q: 'show me hiking boots', group: 'type', types: { BOT: 3 } },
  { q: 'merino socks', group: 'type', types: { SCK: 3 } },
  { q: 'gooseneck kettle', group: 'type', types: { KTL: 3 } },
  { q: 'loose leaf tea', group: 'type', types: { TEA: 3 } },
  { q: 'screen protector', group: 'type', types: { SCR: 3 } },
  { q: 'floating shelves', group: 'type', types: { SHV: 3 } },
  { q: 'led bulbs', group: 'type', types: { BLB: 3 } },
  { q: 'travel tumbler', group: 'type', types: { TUM: 3 } },
  { q: 'laptop stand', group: 'type', types: { STD: 3 } },
  { q: 'cushion covers', group: 'type', types: { CSH: 3 } },
  { q: 'map print', group: 'type', types: { MAP: 3 } },
  { q: 'bottle of ink', group: 'type', types: { INK: 3 } },
  { q: 'touchscreen gloves', group: 'type', types: { GLV: 3 } },
  { q: 'waterproof trousers', group: 'type', types: { PNT: 3 } },
  { q: 'insulated parka', group: 'type', types: { PRK: 3 } },
  { q: 'slippers', group: 'type', types: { SLP: 3 } },
  { q: 'boot wax', group: 'type', types: { WAX: 3 } },
  { q: 'coffee grinder', group: 'type', types: { GRN: 3 } },
  { q: 'coffee beans', group: 'type', types: { BNS: 3 } },
  { q: 'espresso tamper', group: 'type', types: { TMP: 3 } },
  { q: 'pour over dripper', group: 'type', types: { PRO: 3 } },
  { q: 'mugs', group: 'type', types: { MUG: 3 } },
  { q: 'wireless earbuds', group: 'type', types: { EAR: 3 } },
  { q: 'yoga block', group: 'type', types: { BLK: 3 } },
  { q: 'running jacket', group: 'type', types: { RNJ: 3 } },
  { q: 'a fleece', group: 'type', types: { FLC: 3 } },
  { q: 'usb c cable', group: 'type', types: { CBL: 3 } },
  { q: 'trail running shoes', group: 'type', types: { TRN: 3 } },
  { q: 'jacket', group: 'type', types: { JKT: 3, RNJ: 3, PRK: 2 } },
  {
    q: 'a jacket for running',
    group: 'type',
    types: { RNJ: 3, JKT: 2 },
    hard: { types: ['RNJ', 'JKT', 'PRK'] },
  },

  // attributes: colour, size, material and other variant values
  { q: 'green yoga mat', group: 'attribute', types: { YMT: 3 }, hard: { colours: ['sea green'] } },
  { q: 'navy rain jacket', group: 'attribute', types: { JKT: 3 }, hard: { colours: ['navy'] } },
  { q: 'red rain jacket', group: 'attribute', types: { JKT: 3 }, hard: { colours: ['ember red'] } },
  { q: 'black earbuds', group: 'attribute', types: { EAR: 3 }, hard: { colours: ['black'] } },
  { q: 'blue mug', group: 'attribute', types: { MUG: 3 }, hard: { colours: ['sea blue'] } },
  {
    q: 'grey fleece',
    group: 'attribute',
    types: { FLC: 3 },
    hard: { colours: ['heather grey', 'charcoal'] },
  },
  { q: 'size L waterproof trousers', group: 'attribute', types: { PNT: 3 }, hard: { sizes: ['L'] } },
  { q: 'hiking boots size 44', group: 'attribute', types: { BOT: 3 }, hard: { sizes: ['44'] } },
  { q: 'slippers in medium', group: 'attribute', types: { SLP: 3 }, hard: { sizes: ['M'] } },
  { q: 'gloves size S/M', group: 'attribute', types: { GLV: 3 }, hard: { sizes: ['S/M'] } },
  {
    q: 'ceramic pour-over dripper',
    group: 'attribute',
    types: { PRO: 3 },
    hard: { attribute: { name: 'material', values: ['ceramic'] } },
  },
  {
    q: 'cork yoga block',
    group: 'attribute',
    types: { BLK: 3 },
    hard: { attribute: { name: 'material', values: ['cork'] } },
  },
  {
    q: '2m usb-c cable',
    group: 'attribute',
    types: { CBL: 3 },
    hard: { attribute: { name: 'length', values: ['2 m'] } },
  },
  {
    q: '65W wall charger',
    group: 'attribute',
    types: { CHG: 3 },
    hard: { attribute: { name: 'power', values: ['65 W'] } },
  },
  {
    q: '30 L daypack',
    group: 'attribute',
    types: { BPK: 3 },
    hard: { attribute: { name: 'volume', values: ['30 L'] } },
  },
  {
    q: 'earl grey tea',
    group: 'attribute',
    types: { TEA: 3 },
    hard: { attribute: { name: 'blend', values: ['Earl Grey'] } },
  },
  {
    q: 'decaf coffee beans',
    group: 'attribute',
    types: { BNS: 3 },
    hard: { attribute: { name: 'roast', values: ['Decaf Swiss water'] } },
  },
  { q: 'large planter', group: 'attribute', types: { PLT: 3 }, hard: { sizes: ['large'] } },
  {
    q: 'dotted notebook',
    group: 'attribute',
    types: { NTB: 3 },
    hard: { attribute: { name: 'ruling', values: ['dotted'] } },
  },
  { q: 'brass table lamp', group: 'attribute', types: { LMP: 3 }, hard: { colours: ['brass'] } },
  { q: 'black phone case', group: 'attribute', types: { CSE: 3 }, hard: { colours: ['black'] } },
  {
    q: '8-in-1 hub',
    group: 'attribute',
    types: { HUB: 3 },
    hard: { attribute: { name: 'ports', values: ['8-in-1'] } },
  },
  {
    q: 'E27 bulb',
    group: 'attribute',
    types: { BLB: 3 },
    hard: { attribute: { name: 'fitting', values: ['E27'] } },
  },
  {
    q: 'matte black espresso machine',
    group: 'attribute',
    types: { ESP: 3 },
    hard: { colours: ['matte black'] },
  },
  { q: 'copper gooseneck kettle', group: 'attribute', types: { KTL: 3 }, hard: { colours: ['copper'] } },
  { q: 'olive parka', group: 'attribute', types: { PRK: 3 }, hard: { colours: ['olive'] } },
  { q: 'white wireless earbuds', group: 'attribute', types: { EAR: 3 }, hard: { colours: ['white'] } },
  {
    q: 'hand coffee grinder',
    group: 'attribute',
    types: { GRN: 3 },
    hard: { attribute: { name: 'type', values: ['hand'] } },
  },

  // price ranges
  { q: 'hiking boots under $150', group: 'price', types: { BOT: 3 }, hard: { priceMax: 150 } },
  { q: 'rain jacket under 120', group: 'price', types: { JKT: 3 }, hard: { priceMax: 120 } },
  {
    q: 'espresso machine between 200 and 400',
    group: 'price',
    types: { ESP: 3 },
    hard: { priceMin: 200, priceMax: 400 },
  },
  { q: 'mug under $15', group: 'price', types: { MUG: 3 }, hard: { priceMax: 15 } },
  { q: 'notebook under 15 dollars', group: 'price', types: { NTB: 3 }, hard: { priceMax: 15 } },
  { q: 'daypack over $100', group: 'price', types: { BPK: 3 }, hard: { priceMin: 100 } },
  { q: 'candle less than $20', group: 'price', types: { CDL: 3 }, hard: { priceMax: 20 } },
  { q: 'water bottle for under 25 bucks', group: 'price', types: { BTL: 3 }, hard: { priceMax: 25 } },
  { q: 'table lamp no more than $60', group: 'price', types: { LMP: 3 }, hard: { priceMax: 60 } },
  { q: 'power bank below 40', group: 'price', types: { PWR: 3 }, hard: { priceMax: 40 } },
  { q: 'cheap wireless earbuds', group: 'price', types: { EAR: 3 }, preferCheap: true },
  { q: 'throw blanket $40 to $70', group: 'price', types: { THR: 3 }, hard: { priceMin: 40, priceMax: 70 } },
  {
    q: 'green yoga mat under $65',
    group: 'price',
    types: { YMT: 3 },
    hard: { colours: ['sea green'], priceMax: 65 },
  },
  { q: 'burr grinder under $100', group: 'price', types: { GRN: 3 }, hard: { priceMax: 100 } },

  // typos
  { q: 'hedphones', group: 'typo', types: { EAR: 3 } },
  { q: 'rain jakcet', group: 'typo', types: { JKT: 3 } },
  { q: 'expresso machine', group: 'typo', types: { ESP: 3 } },
  { q: 'yoga matt', group: 'typo', types: { YMT: 3 } },
  { q: 'wool blankit', group: 'typo', types: { THR: 3 }, prefer: ['wool', 'merino', 'chunky-knit'] },
  { q: 'sneekers', group: 'typo', types: { TRN: 3 } },
  { q: 'gooseneck kettel', group: 'typo', types: { KTL: 3 } },
  { q: 'notebok', group: 'typo', types: { NTB: 3 } },
  { q: 'phone chargr', group: 'typo', types: { CHG: 3 } },
  { q: 'slipers', group: 'typo', types: { SLP: 3 } },
  { q: 'scented candel', group: 'typo', types: { CDL: 3 } },
  { q: 'fountian pen', group: 'typo', types: { PEN: 3 } },

  // synonyms
  { q: 'sneakers', group: 'synonym', types: { TRN: 3 } },
  { q: 'running trainers', group: 'synonym', types: { TRN: 3 } },
  { q: 'headphones', group: 'synonym', types: { EAR: 3 } },
  { q: 'backpack for hiking', group: 'synonym', types: { BPK: 3 } },
  { q: 'rucksack', group: 'synonym', types: { BPK: 3 } },
  { q: 'woolly hat', group: 'synonym', types: { BNE: 3 } },
  { q: 'coffee maker', group: 'synonym', types: { ESP: 3 } },
  { q: 'plant pot', group: 'synonym', types: { PLT: 3 } },
  { q: 'voucher', group: 'synonym', types: { GFT: 3 } },
  { q: 'journal', group: 'synonym', types: { NTB: 3 } },
  { q: 'raincoat', group: 'synonym', types: { JKT: 3 } },
  { q: 'portable charger', group: 'synonym', types: { PWR: 3 } },
  { q: 'mittens', group: 'synonym', types: { GLV: 3 } },
  { q: 'travel mug', group: 'synonym', types: { TUM: 3 } },
  { q: 'poster for my wall', group: 'synonym', types: { MAP: 3 } },
  { q: 'winter coat', group: 'synonym', types: { PRK: 3 } },

  // vague needs: no product type named, grades spread over the types that serve the need
  {
    q: 'something warm for winter',
    group: 'vague',
    types: { PRK: 3, BNE: 3, GLV: 3, FLC: 2, THR: 2, SLP: 2, SCK: 1 },
  },
  {
    q: 'gift for a coffee lover',
    group: 'vague',
    types: { MUG: 3, BNS: 3, GRN: 2, PRO: 2, KTL: 2, TUM: 2, JUG: 1, TMP: 1, FLT: 1, ESP: 1 },
  },
  { q: 'gift for a writer', group: 'vague', types: { PEN: 3, NTB: 3, INK: 3, GFT: 1 } },
  {
    q: 'I am going hiking in the rain',
    group: 'vague',
    types: { JKT: 3, PNT: 3, BOT: 2, BPK: 2, WAX: 1, SCK: 1 },
  },
  { q: 'cosy things for the living room', group: 'vague', types: { THR: 3, CSH: 3, CDL: 2, LMP: 2, SLP: 1 } },
  { q: 'present for a runner', group: 'vague', types: { TRN: 3, RNJ: 3, BTL: 1, SCK: 1, EAR: 1 } },
  { q: 'I want to get into yoga', group: 'vague', types: { YMT: 3, BLK: 3, BND: 1, BTL: 1 } },
  {
    q: 'make better coffee at home',
    group: 'vague',
    types: { GRN: 3, ESP: 3, BNS: 2, PRO: 2, KTL: 2, TMP: 2, JUG: 2, FLT: 1 },
  },
  { q: 'keep my phone charged while travelling', group: 'vague', types: { PWR: 3, CHG: 2, CBL: 2 } },
  { q: 'something for tea drinkers', group: 'vague', types: { TEA: 3, KTL: 2, MUG: 2 } },
  { q: 'home workout gear', group: 'vague', types: { BND: 3, YMT: 2, BLK: 1, BTL: 1 } },
  {
    q: 'desk setup for working from home',
    group: 'vague',
    types: { STD: 3, HUB: 3, LMP: 1, CBL: 1, CHG: 1 },
  },

  // brands
  { q: 'Cragline rain jacket', group: 'brand', types: { JKT: 3 }, hard: { brands: ['Cragline'] } },
  {
    q: 'anything from Hearthly',
    group: 'brand',
    types: { SLP: 3, MUG: 3, THR: 3, CDL: 3, LMP: 3 },
    hard: { brands: ['Hearthly'] },
  },
  { q: 'Bean Theory coffee beans', group: 'brand', types: { BNS: 3 }, hard: { brands: ['Bean Theory'] } },
  { q: 'Voltnest earbuds', group: 'brand', types: { EAR: 3 }, hard: { brands: ['Voltnest'] } },
  { q: 'wayfarer peak daypack', group: 'brand', types: { BPK: 3 }, hard: { brands: ['Wayfarer Peak'] } },

  // nothing fits: the right answer is "no exact match" with labelled alternatives
  { q: 'sandals under 10', group: 'no-match', types: {}, noMatch: true },
  {
    q: 'hiking boots under $50',
    group: 'no-match',
    types: { BOT: 3 },
    hard: { priceMax: 50 },
    noMatch: true,
  },
  { q: 'purple rain jacket', group: 'no-match', types: { JKT: 3 }, hard: { colours: [] }, noMatch: true },
  { q: 'bluetooth speaker', group: 'no-match', types: {}, noMatch: true },
  {
    q: 'trail running shoes size 39',
    group: 'no-match',
    types: { TRN: 3 },
    hard: { sizes: [] },
    noMatch: true,
  },
  {
    q: 'espresso machine under $100',
    group: 'no-match',
    types: { ESP: 3 },
    hard: { priceMax: 100 },
    noMatch: true,
  },
  { q: 'umbrella', group: 'no-match', types: {}, noMatch: true },
  {
    q: 'Cragline earbuds',
    group: 'no-match',
    types: { EAR: 3 },
    hard: { brands: ['Cragline'] },
    noMatch: true,
  },
];
