// Binary evaluation figures for sentiment (labels 1 = positive, 0 = negative).

/** Accuracy and macro-averaged F1 of binary predictions. */
export interface BinaryMetrics {
  accuracy: number;
  macroF1: number;
  n: number;
}

/** Computes accuracy and macro-F1 (mean of the F1 of each class). */
export function binaryMetrics(truth: readonly number[], predicted: readonly number[]): BinaryMetrics {
  const n = truth.length;
  if (n === 0 || predicted.length !== n) return { accuracy: 0, macroF1: 0, n };
  let correct = 0;
  let f1Sum = 0;
  for (const cls of [0, 1]) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    truth.forEach((t, i) => {
      const p = predicted[i];
      if (p === cls && t === cls) tp += 1;
      else if (p === cls) fp += 1;
      else if (t === cls) fn += 1;
    });
    f1Sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  truth.forEach((t, i) => {
    if (predicted[i] === t) correct += 1;
  });
  return { accuracy: round(correct / n), macroF1: round(f1Sum / 2), n };
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
