import type { SentenceEncoder } from '../nlu/index.js';
import { kmeans, sampleDistances, silhouette } from './kmeans.js';

/** One theme of free-text answers. */
export interface Theme {
  /** The most distinctive words of the theme, as a provisional label. */
  label: string;
  keywords: string[];
  size: number;
  share: number;
  /** Indices (into the input texts) of the answers in this theme. */
  members: number[];
  /** The answers nearest the theme centre. */
  quotes: string[];
  /** Mean sentiment of the theme's answers (when a sentiment function was given). */
  sentiment: number | null;
}

/** Options of theme extraction. */
export interface ThemeOptions {
  maxThemes?: number;
  quotes?: number;
  seed?: number;
  sentiment?: (text: string) => number | Promise<number>;
}

const STOPWORDS = new Set(
  'a an the and or but if of to in on at for with from by is are was were be been it its this that these those i me my we our you your they them their he she his her not no so very too just really also than then there here what which who when where why how all any some more most can could would should will do does did have has had get got am as about into out up down over only own same such again once both each few other nor off until while s t don dont isnt wasnt im ive id'.split(
    ' ',
  ),
);

// Keywords are counted by a crude stem ("prices", "pricey" → "pric") so inflections add up; the
// label shows the most frequent surface form.
function stem(w: string): string {
  return w.length > 4 ? w.replace(/(ing|ed|es|s|y|ey)$/, '') : w;
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z\s']/g, ' ')
    .replace(/'/g, '')
    .split(/\s+/)
    .filter((w) => w.length > 2 && !STOPWORDS.has(w));
}

/** Groups free-text answers into themes: embeddings clustered by k-means (k by silhouette), with quotes. */
export async function extractThemes(
  texts: readonly string[],
  encoder: SentenceEncoder,
  opts: ThemeOptions = {},
): Promise<Theme[]> {
  const kept = texts.map((t, i) => ({ t: t.trim(), i })).filter((x) => x.t.length > 0);
  const clean = kept.map((x) => x.t);
  if (clean.length === 0) return [];
  const vectors = await encoder.embed(clean);
  const d = encoder.dims;
  const data = new Float64Array(clean.length * d);
  vectors.forEach((v, i) => data.set(v, i * d));
  const m = { data, n: clean.length, d };
  let labels: ArrayLike<number> = new Int32Array(clean.length);
  let centres: Float64Array = new Float64Array(d);
  let k = 1;
  const maxK = Math.min(opts.maxThemes ?? 6, Math.floor(clean.length / 3));
  if (maxK >= 2) {
    const all = Array.from({ length: clean.length }, (_, i) => i);
    const dist = sampleDistances(m, all);
    let best = -Infinity;
    for (let kk = 2; kk <= maxK; kk++) {
      const fit = kmeans(m, { k: kk, seed: opts.seed ?? 1, nInit: 3 });
      const s = silhouette(dist, fit.labels, kk);
      if (s > best) [best, labels, centres, k] = [s, fit.labels, fit.centres, kk];
    }
  } else {
    for (const v of vectors) for (let j = 0; j < d; j++) centres[j]! += v[j]! / vectors.length;
  }
  const sentiments = opts.sentiment ? await Promise.all(clean.map((t) => opts.sentiment!(t))) : null;
  const docFreq = new Map<string, number>();
  const surface = new Map<string, Map<string, number>>();
  for (const t of clean)
    for (const w of new Set(words(t))) {
      const st = stem(w);
      docFreq.set(st, (docFreq.get(st) ?? 0) + 1);
      const forms = surface.get(st) ?? new Map<string, number>();
      forms.set(w, (forms.get(w) ?? 0) + 1);
      surface.set(st, forms);
    }
  const display = (st: string) =>
    [...surface.get(st)!.entries()].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))[0]![0];
  const themes: Theme[] = [];
  for (let c = 0; c < k; c++) {
    const members = clean.map((_, i) => i).filter((i) => labels[i] === c);
    if (members.length === 0) continue;
    const byCloseness = members
      .map((i) => ({ i, dist: distance(data, i * d, centres, c * d, d) }))
      .sort((a, b) => a.dist - b.dist);
    const inTheme = new Map<string, number>();
    for (const i of members)
      for (const w of new Set(words(clean[i]!).map(stem))) inTheme.set(w, (inTheme.get(w) ?? 0) + 1);
    // distinctive = frequent in the theme relative to all answers (a smoothed lift)
    const keywords = [...inTheme.entries()]
      .filter(([, f]) => f >= Math.min(2, members.length))
      .map(([w, f]) => ({
        w,
        score: (f / members.length) * Math.log((1 + clean.length) / (1 + docFreq.get(w)! - f)),
      }))
      .sort((a, b) => b.score - a.score || a.w.localeCompare(b.w))
      .slice(0, 3)
      .map((x) => display(x.w));
    const sentiment = sentiments ? members.reduce((s, i) => s + sentiments[i]!, 0) / members.length : null;
    themes.push({
      label: keywords.join(', ') || clean[byCloseness[0]!.i]!.slice(0, 40),
      keywords,
      size: members.length,
      share: members.length / clean.length,
      members: members.map((i) => kept[i]!.i),
      quotes: byCloseness.slice(0, opts.quotes ?? 3).map((x) => clean[x.i]!),
      sentiment,
    });
  }
  return themes.sort((a, b) => b.size - a.size);
}

function distance(a: Float64Array, ai: number, b: Float64Array, bi: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += (a[ai + j]! - b[bi + j]!) ** 2;
  return s;
}
