// Rewrites a freshly saved artifact folder's manifest.json in the format its kind used before the
// common artifact manifest (files/artifact-manifest.ts), leaving the data files as they are: the
// fixture of a folder saved by an older version, to show that it still loads.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactManifest } from '../../files/index.js';

type Legacy = (m: ArtifactManifest) => Record<string, unknown>;

const sums = (m: ArtifactManifest) => Object.fromEntries(m.files.map((f) => [f.name, f.sha256]));

const FORMATS: Record<'intent' | 'sentiment' | 'recsys', Legacy> = {
  // Intent model format 4: model fields at the top, training parameters in `params`, no metrics.json entry.
  intent: ({ params: { training, ...model }, files: _files, ...m }) => ({
    formatVersion: m.formatVersion,
    kind: 'intent-classifier',
    createdAt: m.createdAt,
    encoder: m.encoder,
    dataHash: m.dataHash,
    params: training,
    ...model,
    metrics: m.metrics,
    files: sums({ ...m, params: {}, files: _files.filter((f) => f.name !== 'metrics.json') }),
  }),
  // Sentiment head format 1: as nlu/data/sentiment-model/manifest.json is written.
  sentiment: (m) => ({
    formatVersion: m.formatVersion,
    kind: m.kind,
    createdAt: m.createdAt,
    parameters: m.params.training,
    encoder: m.encoder,
    dims: m.params.dims,
    dataHash: m.dataHash,
    trainingSize: m.params.trainingSize,
    metrics: m.metrics,
    files: { vocabulary: 'vocabulary.json', weights: 'weights.bin' },
  }),
  // Recsys artifacts: HNSW parameters in `parameters`, counts in `extra`, encoder as id and dims.
  recsys: (m) => {
    const { M, efConstruction, ef, ...extra } = m.params;
    const hnsw = Object.entries({ M, efConstruction, ef }).filter(([, v]) => v !== undefined);
    return {
      kind: m.kind,
      formatVersion: m.formatVersion,
      parameters: m.kind === 'product-index' ? Object.fromEntries(hnsw) : m.params,
      encoderId: m.encoder?.id ?? null,
      dims: m.encoder?.dims ?? null,
      dataHash: m.dataHash,
      metrics: m.metrics,
      extra: m.kind === 'product-index' ? extra : {},
      files: sums(m),
      createdAt: m.createdAt,
    };
  },
};

/** Rewrites dir/manifest.json in the old format of `kind`; returns what was written. */
export async function rewriteAsLegacy(
  dir: string,
  kind: keyof typeof FORMATS,
): Promise<Record<string, unknown>> {
  const file = join(dir, 'manifest.json');
  const current = JSON.parse(await readFile(file, 'utf8')) as ArtifactManifest;
  const legacy = FORMATS[kind](current);
  await writeFile(file, `${JSON.stringify(legacy, null, 2)}\n`);
  return legacy;
}
