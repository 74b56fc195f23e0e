// nlu/ seen through the bots' Nlu port.
import type { Nlu, NluDomain, NluEntity } from '../bots/index.js';
import {
  checkLanguage,
  extractEntities,
  maskPII,
  type Entities,
  type Gazetteer,
  type IntentClassifier,
  type SentimentAnalyzer,
} from '../nlu/index.js';

/** nlu/ → Nlu port: intent, sentiment, language and entities (catalog names through the gazetteer). */
export function nluAdapter(
  models: Record<NluDomain, Pick<IntentClassifier, 'process'>>,
  sentiment: SentimentAnalyzer,
  gazetteer?: Gazetteer,
): Nlu {
  return {
    maskPII,
    analyze: async (text, domain) => {
      const [prediction, feeling] = await Promise.all([
        models[domain].process(text),
        sentiment.analyze([text]),
      ]);
      const lang = checkLanguage(text);
      const top = prediction.ranking[0];
      return {
        intent: prediction.intent ?? top?.intent ?? 'out_of_scope',
        confidence: prediction.confidence,
        ranking: prediction.ranking,
        outOfScope: prediction.outOfScope,
        sentiment: feeling[0]?.score ?? 0,
        sentimentLabel: feeling[0]?.label ?? 'neutral',
        entities: toPortEntities(extractEntities(text, { gazetteer })),
        language: lang.flagged ? lang.language : lang.language === 'und' ? 'und' : 'eng',
      };
    },
  };
}

/** Maps nlu/ entities to the bots' flat entity list. Catalog names count only when every word matched. */
export function toPortEntities(found: Entities): NluEntity[] {
  const out: NluEntity[] = [];
  const range = found.priceRange;
  if (range)
    out.push({ type: 'price', text: range.text, min: range.min, max: range.max, currency: range.currency });
  // The words, not the dates: the marketer side names periods the way people say them ("last month").
  for (const d of found.dates) out.push({ type: 'period', text: d.text });
  for (const c of found.colours) out.push({ type: 'color', text: c.text, value: c.value });
  for (const z of found.sizes) out.push({ type: 'size', text: z.text, value: z.value });
  for (const n of found.numbers) out.push({ type: 'number', text: n.text, value: n.value });
  for (const m of found.catalog) {
    if (m.coverage < 1) continue;
    if (m.kind === 'product') out.push({ type: 'product', text: m.name, value: m.id });
    else if (m.kind === 'category') out.push({ type: 'category', text: m.name, value: m.id });
  }
  return out;
}
