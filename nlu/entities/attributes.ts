// Colours and sizes, the product attributes shoppers name most.
import type { ColourEntity, SizeEntity } from './types.js';

// Canonical colour → the spellings and shades that map to it. Multi-word shades come first in the
// alternation (longest match), so "navy blue" is one colour rather than "blue".
const COLOURS: Record<string, string[]> = {
  black: ['black', 'jet black'],
  white: ['white', 'off white', 'off-white', 'ivory', 'cream'],
  gray: ['gray', 'grey', 'charcoal', 'silver', 'light gray', 'light grey', 'dark gray', 'dark grey'],
  red: ['red', 'dark red', 'burgundy', 'maroon', 'crimson', 'wine'],
  orange: ['orange', 'coral'],
  yellow: ['yellow', 'mustard', 'lemon'],
  green: ['green', 'light green', 'dark green', 'olive', 'khaki', 'mint', 'lime', 'emerald', 'forest green'],
  blue: ['blue', 'light blue', 'dark blue', 'sky blue', 'royal blue', 'turquoise', 'teal', 'cyan'],
  navy: ['navy', 'navy blue'],
  purple: ['purple', 'violet', 'lilac', 'lavender', 'plum', 'mauve'],
  pink: ['pink', 'light pink', 'hot pink', 'rose', 'fuchsia', 'magenta'],
  brown: ['brown', 'tan', 'camel', 'chocolate', 'beige', 'taupe', 'cognac'],
  gold: ['gold', 'golden'],
  multicolour: ['multicolor', 'multicolour', 'multi-colour', 'multi-color', 'rainbow'],
};

const COLOUR_OF = new Map<string, string>();
for (const [canonical, names] of Object.entries(COLOURS))
  for (const name of names) COLOUR_OF.set(name, canonical);
const COLOUR_RE = new RegExp(
  `\\b(${[...COLOUR_OF.keys()]
    .sort((a, b) => b.length - a.length)
    .map((n) => n.replace(/[-\s]/g, '[-\\s]'))
    .join('|')})\\b`,
  'gi',
);

/** Finds colour names and shades; `value` is the canonical colour (e.g. "burgundy" → "red"). */
export function extractColours(text: string): ColourEntity[] {
  const found: ColourEntity[] = [];
  for (const m of text.matchAll(COLOUR_RE)) {
    const key = m[1]!.toLowerCase().replace(/[-\s]+/g, (sep) => (sep.includes('-') ? '-' : ' '));
    const value = COLOUR_OF.get(key) ?? COLOUR_OF.get(key.replace('-', ' ')) ?? key;
    found.push({ value, text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return found;
}

const LETTER_SIZES: Record<string, string> = {
  xxs: 'XXS',
  xs: 'XS',
  s: 'S',
  m: 'M',
  l: 'L',
  xl: 'XL',
  xxl: 'XXL',
  xxxl: 'XXXL',
  '2xl': 'XXL',
  '3xl': 'XXXL',
  '4xl': 'XXXXL',
  small: 'S',
  medium: 'M',
  large: 'L',
  'extra small': 'XS',
  'extra large': 'XL',
  'x-large': 'XL',
  'xx-large': 'XXL',
  'x large': 'XL',
  'extra-large': 'XL',
  'extra-small': 'XS',
};

type Rule = {
  pattern: RegExp;
  toSize: (m: RegExpMatchArray) => Omit<SizeEntity, 'text' | 'start' | 'end'> | null;
};

const SIZE_RULES: Rule[] = [
  // "32x34", "W32 L34": waist × inseam.
  {
    pattern: /\b[Ww]?(2\d|3\d|4\d)\s?(?:x|\/|\s[Ll])\s?(2\d|3\d)\b/g,
    toSize: (m) => ({ value: `${m[1]}x${m[2]}`, system: 'waist' }),
  },
  // "EU 42", "US 9.5", "UK 8", "size 42 EU".
  {
    pattern: /\b(?:size\s+)?(EU|US|UK)\s?(\d{1,2}(?:[.,]5)?)\b|\bsize\s+(\d{1,2}(?:[.,]5)?)\s?(EU|US|UK)\b/gi,
    toSize: (m) => ({
      value: (m[2] ?? m[3]!).replace(',', '.'),
      system: (m[1] ?? m[4]!).toLowerCase() as 'eu' | 'us' | 'uk',
    }),
  },
  // "size M", "size xl", "size 42", "in a medium".
  {
    pattern:
      /\b(?:size|sz)\s*(xxs|xs|s|m|l|xl|xxl|xxxl|[234]xl|small|medium|large|extra[\s-](?:small|large)|x-large|xx-large|\d{1,2}(?:[.,]5)?)\b/gi,
    toSize: (m) => {
      const raw = m[1]!.toLowerCase();
      if (/^\d/.test(raw)) return { value: raw.replace(',', '.') };
      return { value: LETTER_SIZES[raw.replace(/\s+/g, ' ')] ?? raw.toUpperCase(), system: 'letter' };
    },
  },
  // Stand-alone letter sizes written in capitals ("XL", "M"), and spelled-out sizes.
  {
    pattern:
      /(?<![\w$€£-])(XXS|XS|XXXL|XXL|XL|[234]XL|S|M|L)(?![\w'’-])|\b(extra[\s-](?:small|large)|x-large|xx-large|small|medium|large)\b/g,
    toSize: (m) => {
      const raw = (m[1] ?? m[2]!).toLowerCase().replace(/\s+/g, ' ');
      return { value: LETTER_SIZES[raw] ?? raw.toUpperCase(), system: 'letter' };
    },
  },
];

/** Finds clothing and shoe sizes. Single letters count only in capitals or after "size". */
export function extractSizes(text: string): SizeEntity[] {
  const found: SizeEntity[] = [];
  for (const { pattern, toSize } of SIZE_RULES) {
    for (const m of text.matchAll(pattern)) {
      const end = m.index + m[0].length;
      if (found.some((f) => m.index < f.end && end > f.start)) continue;
      const size = toSize(m);
      if (size) found.push({ ...size, text: m[0], start: m.index, end });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
