import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../random/index.js';
import { denseAsSparse, SoftmaxHead } from '../../nlu/intent/softmax-head.js';

// Prediction and training share one forward pass that picks the unrolled dense loop for rows with
// every feature and the sparse loop otherwise; both loops must compute the same logits.

const params = { epochs: 30, batchSize: 8, learningRate: 0.05, l2: 1e-6, seed: 11 };

// Three classes, each a noisy copy of its own prototype over 13 features (13: not a multiple of
// the dense loop's unroll width, so its remainder loop runs too).
function toyData(n: number): { rows: Float32Array[]; ys: number[] } {
  const random = mulberry32(5);
  const prototypes = [0, 1, 2].map(() => Float32Array.from({ length: 13 }, () => random() * 2 - 1));
  const rows: Float32Array[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = i % 3;
    rows.push(prototypes[y]!.map((v) => v + (random() - 0.5) * 0.3));
    ys.push(y);
  }
  return { rows, ys };
}

/** The same row with explicit indices that are not the dense [0..F) shape (one feature left out). */
function sparseCopy(row: Float32Array, skip: number): { indices: Int32Array; values: Float32Array } {
  const kept = [...row.keys()].filter((f) => f !== skip);
  return { indices: Int32Array.from(kept), values: Float32Array.from(kept, (f) => row[f]!) };
}

describe('SoftmaxHead', () => {
  it('learns a separable problem and scores dense and sparse inputs alike', async () => {
    const { rows, ys } = toyData(90);
    const head = await SoftmaxHead.train(denseAsSparse(rows), ys, 13, 3, params);
    const predicted = rows.map((row) => {
      const p = head.logProbs(denseAsSparse([row])[0]!);
      return p.indexOf(Math.max(...p));
    });
    expect(predicted).toEqual(ys);

    // A zero in the dense row equals leaving the feature out of the sparse one.
    for (const row of rows.slice(0, 10)) {
      const zeroed = Float32Array.from(row);
      zeroed[4] = 0;
      const dense = head.logProbs(denseAsSparse([zeroed])[0]!);
      const sparse = head.logProbs(sparseCopy(row, 4));
      for (let c = 0; c < 3; c++) expect(sparse[c]).toBeCloseTo(dense[c]!, 5);
    }
  });

  it('trains the same head from sparse rows as from dense ones', async () => {
    const { rows, ys } = toyData(60);
    // the 13th feature is never present in the sparse rows, so compare on rows without it
    const zeroed = rows.map((row) => Float32Array.from(row, (v, f) => (f === 12 ? 0 : v)));
    const fromDense = await SoftmaxHead.train(denseAsSparse(zeroed), ys, 13, 3, params);
    const fromSparse = await SoftmaxHead.train(
      rows.map((row) => sparseCopy(row, 12)),
      ys,
      13,
      3,
      params,
    );
    for (let j = 0; j < fromDense.weights.length; j++)
      expect(fromSparse.weights[j]).toBeCloseTo(fromDense.weights[j]!, 4);
    for (let c = 0; c < 3; c++) expect(fromSparse.bias[c]).toBeCloseTo(fromDense.bias[c]!, 4);
  });

  it('ignores features past the trained vocabulary', async () => {
    const { rows, ys } = toyData(30);
    const head = await SoftmaxHead.train(denseAsSparse(rows), ys, 13, 3, params);
    const row = rows[0]!;
    const known = sparseCopy(row, 0);
    const grown = {
      indices: Int32Array.from([...known.indices, 13, 40]),
      values: Float32Array.from([...known.values, 5, -5]),
    };
    expect([...head.logProbs(grown)]).toEqual([...head.logProbs(known)]);
  });
});
