// How figures are written in answers.

/** A whole number with its sign ("+12", "-3", "0"). */
export const signed = (x: number) => `${x > 0 ? '+' : ''}${Math.round(x)}`;

/** A share as a percentage with one decimal, or "–" of nothing. */
export const pct = (part: number, whole: number) =>
  whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)}%`;
