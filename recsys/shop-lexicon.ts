// General shopping English that no catalog spells out: what shoppers call things, colour names,
// and the words that carry no product meaning. Shop-independent: a synonym only takes effect when
// its target words exist in the catalog's own vocabulary (catalog-vocabulary.ts checks that).

/**
 * Shopper's word → catalog words it may mean, most specific first. Keys and targets are in the
 * normal form (lower case, singular). Multi-word keys ("coffee maker") are matched as phrases.
 */
export const SYNONYMS: Record<string, string[]> = {
  sneaker: ['running shoe', 'shoe'],
  trainer: ['running shoe', 'shoe'],
  runner: ['running shoe'],
  'running trainer': ['running shoe'],
  headphone: ['earbud', 'headphone'],
  earphone: ['earbud'],
  'ear bud': ['earbud'],
  headset: ['earbud'],
  backpack: ['daypack', 'backpack'],
  rucksack: ['daypack', 'backpack'],
  knapsack: ['daypack', 'backpack'],
  bag: ['daypack', 'bag'],
  hoodie: ['fleece', 'midlayer'],
  sweater: ['fleece', 'midlayer'],
  jumper: ['fleece', 'midlayer'],
  pullover: ['fleece', 'midlayer'],
  raincoat: ['rain jacket'],
  'rain coat': ['rain jacket'],
  anorak: ['rain jacket'],
  coat: ['parka', 'jacket'],
  'winter coat': ['parka'],
  'winter jacket': ['parka'],
  'puffer jacket': ['parka'],
  puffer: ['parka'],
  pant: ['trouser'],
  'rain pant': ['waterproof trouser'],
  overtrouser: ['waterproof trouser'],
  hat: ['beanie', 'hat'],
  'woolly hat': ['beanie'],
  toque: ['beanie'],
  mitten: ['glove'],
  cup: ['mug'],
  flask: ['bottle', 'tumbler'],
  thermo: ['tumbler'],
  thermos: ['tumbler'],
  'travel mug': ['travel tumbler', 'tumbler'],
  'coffee cup': ['mug'],
  pillow: ['cushion'],
  'pillow case': ['cushion cover'],
  'pillow cover': ['cushion cover'],
  throw: ['throw blanket', 'blanket'],
  duvet: ['blanket'],
  rug: ['blanket'],
  journal: ['notebook', 'journal'],
  notepad: ['notebook'],
  diary: ['notebook'],
  sketchbook: ['notebook'],
  poster: ['print'],
  'wall art': ['print'],
  voucher: ['gift card', 'voucher'],
  giftcard: ['gift card'],
  'gift certificate': ['gift card'],
  light: ['lamp', 'bulb'],
  'reading light': ['lamp'],
  'desk lamp': ['table lamp', 'lamp'],
  lightbulb: ['bulb'],
  'light bulb': ['bulb'],
  cord: ['cable'],
  lead: ['cable'],
  'charging cable': ['cable'],
  'charger cable': ['cable'],
  adapter: ['hub', 'charger'],
  dongle: ['hub'],
  'docking station': ['hub'],
  dock: ['hub'],
  'portable charger': ['power bank'],
  'battery pack': ['power bank'],
  battery: ['power bank'],
  powerbank: ['power bank'],
  plug: ['charger'],
  'phone charger': ['charger'],
  'phone cover': ['phone case'],
  cover: ['case', 'cover'],
  'coffee maker': ['espresso machine'],
  'coffee machine': ['espresso machine'],
  'espresso maker': ['espresso machine'],
  'coffee grinder': ['grinder'],
  'bean grinder': ['grinder'],
  coffee: ['coffee'],
  'coffee bean': ['coffee bean'],
  'plant pot': ['planter'],
  pot: ['planter'],
  'flower pot': ['planter'],
  pitcher: ['jug'],
  frother: ['frothing jug', 'jug'],
  'milk jug': ['frothing jug'],
  'milk pitcher': ['frothing jug'],
  'coffee filter': ['coffee filter'],
  'water bottle': ['water bottle'],
  canteen: ['bottle'],
  'yoga brick': ['yoga block'],
  brick: ['block'],
  'exercise band': ['resistance band'],
  'workout band': ['resistance band'],
  'exercise mat': ['yoga mat'],
  'fitness mat': ['yoga mat'],
  'workout mat': ['yoga mat'],
  shelving: ['shelf'],
  'wall shelf': ['floating shelf'],
  'laptop riser': ['laptop stand'],
  riser: ['stand'],
  earbud: ['earbud'],
  'screen guard': ['screen protector'],
  'screen protection': ['screen protector'],
  'hiking shoe': ['hiking boot'],
  'walking boot': ['hiking boot'],
  'walking shoe': ['hiking boot'],
  'trail shoe': ['trail running shoe'],
  'running shoe': ['running shoe'],
  'fleece jacket': ['fleece'],
  slipper: ['slipper'],
  houseshoe: ['slipper'],
  'house shoe': ['slipper'],
  'boot polish': ['boot waterproofing wax', 'wax'],
  'boot proofer': ['boot waterproofing wax'],
  'shoe wax': ['wax'],
  'tea kettle': ['kettle'],
  'pour over': ['pour-over'],
  pourover: ['pour-over'],
  'fountain-pen': ['fountain pen'],
  'ink bottle': ['bottled ink'],
  teabag: ['tea'],
  'tea bag': ['tea'],
  'scented candle': ['scented candle'],
  'candle light': ['candle'],
  lantern: ['lamp'],
  'midlayer jacket': ['midlayer'],
  'mid layer': ['midlayer'],
  'mid-layer': ['midlayer'],
};

/** Base colours every colour filter is expressed in; "gray" is folded into "grey". */
export const BASE_COLOURS = [
  'red',
  'orange',
  'yellow',
  'green',
  'blue',
  'purple',
  'pink',
  'brown',
  'black',
  'white',
  'grey',
  'beige',
  'gold',
  'silver',
  'copper',
  'clear',
] as const;

/**
 * Named colours (and finishes that are colours to a shopper) → the one base colour a shopper would
 * file them under: asked for "black", a charcoal mug is not what was meant.
 */
export const COLOUR_NAMES: Record<string, string[]> = {
  gray: ['grey'],
  navy: ['blue'],
  cobalt: ['blue'],
  indigo: ['blue'],
  sky: ['blue'],
  azure: ['blue'],
  turquoise: ['blue'],
  teal: ['blue'],
  olive: ['green'],
  moss: ['green'],
  sage: ['green'],
  forest: ['green'],
  mint: ['green'],
  khaki: ['beige'],
  lime: ['green'],
  burgundy: ['red'],
  oxblood: ['red'],
  crimson: ['red'],
  maroon: ['red'],
  scarlet: ['red'],
  ember: ['red'],
  wine: ['red'],
  rose: ['pink'],
  blush: ['pink'],
  coral: ['pink'],
  terracotta: ['orange'],
  rust: ['orange'],
  copper: ['copper'],
  ochre: ['yellow'],
  mustard: ['yellow'],
  lemon: ['yellow'],
  'hi-vis': ['yellow'],
  plum: ['purple'],
  lilac: ['purple'],
  lavender: ['purple'],
  violet: ['purple'],
  charcoal: ['grey'],
  graphite: ['grey'],
  slate: ['grey'],
  steel: ['silver'],
  pewter: ['grey'],
  sand: ['beige'],
  oatmeal: ['beige'],
  natural: ['beige'],
  stone: ['beige'],
  cream: ['white'],
  ivory: ['white'],
  oak: ['brown'],
  walnut: ['brown'],
  tan: ['brown'],
  chocolate: ['brown'],
  brass: ['gold'],
  transparent: ['clear'],
};

/** Attribute names whose values are colours (or colour-like finishes) to a shopper. */
export const COLOUR_ATTRIBUTES = /^(?:colou?r|glaze|finish|shade)$/i;

/** Attribute names whose values are sizes. */
export const SIZE_ATTRIBUTES = /^(?:size|shoe ?size|clothing ?size)$/i;

/** Size words and the letter sizes they mean. */
export const SIZE_WORDS: Record<string, string> = {
  'extra small': 'xs',
  small: 's',
  medium: 'm',
  large: 'l',
  'extra large': 'xl',
};

/** Words that never name, describe or constrain a product (requests, pronouns, politeness, people). */
export const FILLER = new Set(
  (
    'a an and any are as at be but by can could do does for from has have i im i’m in into is it its ' +
    'me my of on or our so some that the their them they this to up with you your we us would like ' +
    'looking look want wanted need needed buy buying get getting find finding show showing see got ' +
    'something anything thing things stuff item items product products one ones please pls thanks hi ' +
    'hello hey there what which do you sell carry have stock help good nice great new best really very ' +
    'just also maybe perhaps idea ideas recommend recommendation suggest suggestion option options ' +
    'someone somebody person people who likes loves love enjoys lover lovers fan fans friend friends dad ' +
    'mum mom mother father wife husband partner girlfriend boyfriend brother sister son daughter kid kids ' +
    'child children teen teenager grandma grandpa colleague boss nephew niece uncle aunt family he she ' +
    'him her his hers birthday christmas xmas anniversary price priced cost costs costing pay spend budget ' +
    'dollar dollars usd eur euro euros gbp pound pounds buck bucks money cheap cheaper cheapest affordable ' +
    'inexpensive expensive pricey premium luxury size sized colour color coloured colored in stock ' +
    'available kind type sort pair pairs how much many where when why will should shall may might must ' +
    'not no yes ok okay around about roughly approximately under below over above between less more than ' +
    'least most max maximum min minimum upto within tops plus only all every each other another ' +
    // common verbs, adverbs and conjunctions: never a product, and never a typo of one
    'am was were been being will while when then than there here because since until till also too ' +
    'go going goes went gone make making made keep keeping kept take taking took give giving gave ' +
    'use using used start starting started try trying tried stay staying work working worked ' +
    'bring bringing put putting let lets let’s think know knew feel feeling feels seem seems sure ' +
    'better worse bigger smaller lot lots much many few little bit quite pretty rather fairly ' +
    'still already again ever never always often usually sometimes today tomorrow now soon later ' +
    'next last first second day days week weekend month year time times morning evening night ' +
    'into onto out off over under through across along after before during without against ' +
    'everything everyone anyone anybody nobody nothing somewhere anywhere everywhere ' +
    // generic nouns for "things": they name no product of their own
    'gear kit kits equipment essentials supplies setup set-up accessories stuff goods piece pieces ' +
    'present presents gifts treat treats idea'
  ).split(/\s+/),
);

/** Words that make the search prefer low prices ("cheap boots") without a hard limit. */
export const CHEAP_WORDS = new Set(['cheap', 'cheaper', 'cheapest', 'affordable', 'inexpensive', 'budget']);

/** Words that make the search prefer high prices ("premium espresso machine"). */
export const PREMIUM_WORDS = new Set(['expensive', 'premium', 'luxury', 'pricey', 'high-end', 'fancy']);

/** Words shoppers use for gifts; they become a soft preference for products tagged as gifts. */
export const GIFT_WORDS = new Set(['gift', 'present', 'stocking-filler', 'giftable']);
