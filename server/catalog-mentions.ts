// recsys's reading of a message (RecsysService.understand) as the entities the dialog routes on:
// product types, brands and categories the message names. A type recognised only by a head noun
// that is also an everyday word ("can I pay by card?" → gift card) is left out: it would turn a
// question into a search.
import type { NluEntity } from '../bots/index.js';
import type { ProductQuery } from '../recsys/index.js';

// Head nouns of demo-catalog types that are ordinary words in a sentence.
const EVERYDAY_HEADS = new Set([
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
  'order',
  'light',
  'hub',
  'machine',
  'protector',
]);

/** Entities for the catalog things a parsed query names. */
export function catalogMentions(q: ProductQuery): NluEntity[] {
  const out: NluEntity[] = [];
  const corrected = new Set(q.corrections.map((c) => c.to.toLowerCase()));
  for (const t of q.types) {
    if (t.how === 'head' && EVERYDAY_HEADS.has(t.said.toLowerCase())) continue;
    // A type read through a typo correction ("posted" → poster) is only a guess.
    const guess = corrected.has(t.said.toLowerCase());
    out.push({ type: guess ? 'product_type_guess' : 'product_type', text: t.said, value: t.key });
  }
  for (const b of q.brands) out.push({ type: 'brand', text: b, value: b });
  for (const c of q.categories) out.push({ type: 'category', text: c, value: c });
  const known = [...q.soft, ...q.uses];
  if (out.length === 0 && known.length > 0) {
    // A short message made only of words the catalog uses ("fleece", "warm socks") is about
    // products; in a longer one they are a hint the dialog weighs against the classifier.
    const short = q.text.trim().split(/\s+/).length <= 3 && q.unknown.length === 0;
    out.push({ type: short ? 'catalog_word' : 'catalog_hint', text: known.join(' ') });
  }
  return out;
}
