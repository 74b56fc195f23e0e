import { describe, expect, it } from 'vitest';
import { argmax, chooseFusion, fuse } from '../../nlu/intent/calibration.js';
import { neighbourScores } from '../../nlu/intent/neighbour-vote.js';
import { NeighbourIndex } from '../../nlu/intent/oos-detector.js';

const logProbs = (...p: number[]) => Float32Array.from(p, Math.log);

describe('neighbour vote', () => {
  // 8 intents in 2-d: intent c's examples lie at angle c·45°.
  const angle = (deg: number) =>
    Float32Array.of(Math.cos((deg * Math.PI) / 180), Math.sin((deg * Math.PI) / 180));
  const classes = [0, 1, 2, 3, 4, 5, 6, 7];
  const index = NeighbourIndex.build(
    classes.map((c) => angle(c * 45)),
    classes,
    8,
    2,
  );

  it('scores the union of both heads’ top candidates by their nearest example, every other intent at the lowest of those', () => {
    const lexical = logProbs(0.3, 0.2, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05);
    const semantic = logProbs(0.05, 0.3, 0.2, 0.1, 0.1, 0.1, 0.1, 0.05);
    const q = angle(10);
    const scores = neighbourScores(index, q, lexical, semantic);
    // Candidates: lexical top 5 = 0..4 (ties by index), semantic top 5 = 1..5 → 0..5 scanned.
    expect(scores[0]).toBeCloseTo(Math.cos((10 * Math.PI) / 180), 6);
    expect(scores[1]).toBeCloseTo(Math.cos((35 * Math.PI) / 180), 6);
    expect(scores[5]).toBeCloseTo(Math.cos((215 * Math.PI) / 180), 6);
    // The farthest candidate (intent 4, 170° away) sets the floor the unproposed intents 6 and 7 get.
    expect(scores[4]).toBeCloseTo(Math.cos((170 * Math.PI) / 180), 6);
    expect(scores[6]).toBe(scores[4]);
    expect(scores[7]).toBe(scores[4]);
  });

  it('is weighted in only when it corrects validation rows, and then it decides the ranking', () => {
    // The heads prefer intent 1 by a small margin; the nearest example says intent 0.
    const lexical = logProbs(0.3, 0.4, 0.1, 0.1, 0.05, 0.02, 0.02, 0.01);
    const semantic = logProbs(0.3, 0.4, 0.1, 0.1, 0.05, 0.02, 0.02, 0.01);
    const neighbours = neighbourScores(index, angle(5), lexical, semantic);
    const right = { lexical, semantic, neighbours, label: 0 };
    const choice = chooseFusion([right, right]);
    expect(choice.neighbourWeight).toBeGreaterThan(0);
    expect(argmax(fuse(lexical, semantic, choice.weight, neighbours, choice.neighbourWeight))).toBe(0);
    // When the heads are already right (label 1), no vote is the preferred choice.
    expect(chooseFusion([{ ...right, label: 1 }]).neighbourWeight).toBe(0);
    // Rows without neighbour scores (vote switched off) never get a vote weight.
    expect(chooseFusion([{ lexical, semantic, label: 0 }]).neighbourWeight).toBe(0);
  });
});
