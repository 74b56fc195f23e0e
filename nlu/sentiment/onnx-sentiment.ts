// Sentiment from a local ONNX text-classification model folder (e.g. an exported DistilBERT SST-2),
// run by transformers.js; selected with NLU_SENTIMENT_MODEL and replacing the trained head.
import { basename, join } from 'node:path';
import { NluModelCorruptError } from '../errors.js';
import { assertOnnxModelFolder, loadLocalPipeline, readModelConfig } from '../onnx-encoder.js';
import {
  cleanSentimentText,
  DEFAULT_NEUTRAL_BAND,
  emptyResult,
  labelFromScore,
  type SentimentAnalyzer,
  type SentimentLabel,
  type SentimentResult,
} from './types.js';

const BATCH = 32;

/** Maps a model's label name to a polarity ("POSITIVE", "LABEL_1", "neg", "4 stars" …). */
export function polarityOfLabel(label: string, index: number, labelCount: number): SentimentLabel {
  const lower = label.toLowerCase();
  if (/neu/.test(lower)) return 'neutral';
  if (/pos/.test(lower)) return 'positive';
  if (/neg/.test(lower)) return 'negative';
  // Unnamed labels (LABEL_0, LABEL_1 …) follow the SST-2 convention: first negative, last positive.
  if (index === 0) return 'negative';
  if (index === labelCount - 1) return 'positive';
  return 'neutral';
}

/** Loads a local text-classification folder (config.json must have id2label) as a SentimentAnalyzer. */
export async function createOnnxSentimentAnalyzer(
  folder: string,
  options: { neutralBand?: number } = {},
): Promise<SentimentAnalyzer> {
  const absolute = await assertOnnxModelFolder(folder);
  const config = await readModelConfig(absolute);
  const id2label = config.id2label;
  if (typeof id2label !== 'object' || id2label === null || Object.keys(id2label).length < 2) {
    throw new NluModelCorruptError(
      join(absolute, 'config.json'),
      'id2label with at least two labels is required for a text-classification model',
      'Use a sequence-classification export (e.g. a DistilBERT SST-2 model exported with Optimum).',
    );
  }
  const labels = Object.entries(id2label as Record<string, string>).sort(([a], [b]) => Number(a) - Number(b));
  const polarity = new Map(labels.map(([, name], i) => [name, polarityOfLabel(name, i, labels.length)]));
  const neutralBand = options.neutralBand ?? DEFAULT_NEUTRAL_BAND;
  const classifier = await loadLocalPipeline('text-classification', absolute);
  return {
    id: `onnx:${basename(absolute)}`,
    async analyze(texts: readonly string[]): Promise<SentimentResult[]> {
      const cleaned = texts.map((t) => cleanSentimentText(t));
      const results: SentimentResult[] = cleaned.map(() => emptyResult());
      const todo = cleaned.map((t, i) => ({ t, i })).filter(({ t }) => t.length > 0);
      for (let start = 0; start < todo.length; start += BATCH) {
        const batch = todo.slice(start, start + BATCH);
        const output = (await classifier(
          batch.map(({ t }) => t),
          { top_k: null },
        )) as unknown as Array<Array<{ label: string; score: number }>>;
        batch.forEach(({ i }, k) => {
          const scores = output[k] ?? [];
          const mass = { positive: 0, negative: 0, neutral: 0 };
          for (const { label, score } of scores) mass[polarity.get(label) ?? 'neutral'] += score;
          const score = mass.positive - mass.negative;
          const polar = mass.positive + mass.negative;
          // A model with an explicit neutral class decides neutral itself; otherwise the band does.
          const label: SentimentLabel =
            mass.neutral > mass.positive && mass.neutral > mass.negative
              ? 'neutral'
              : labelFromScore(score, neutralBand);
          results[i] = { label, score, positiveProbability: polar > 0 ? mass.positive / polar : 0.5 };
        });
      }
      return results;
    },
    async dispose(): Promise<void> {
      await classifier.dispose();
    },
  };
}
