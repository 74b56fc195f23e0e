import { z } from 'zod';
import type { SentenceEncoder } from '../nlu/index.js';
import type { AnswerRecord } from './flow.js';
import type { Instrument } from './instrument.js';
import { npsClass, scoreTraits } from './scoring.js';

/** A respondent's profile: traits, NPS class, sentiment history, stated preferences (Profile row). */
export const ZProfile = z.object({
  customerId: z.string(),
  /** Trait scores on their instrument's scale, e.g. { "price": 3.75, "extraversion": 2.5 }. */
  traits: z.record(z.string(), z.number()),
  nps: z.number().nullable(),
  npsClass: z.enum(['promoter', 'passive', 'detractor']).nullable(),
  /** Mean of the most recent sentiment scores (-1..1). */
  sentiment: z.number().nullable(),
  sentimentHistory: z.array(z.object({ at: z.string(), value: z.number(), source: z.string() })),
  /** Answers of items with a `profileKey` (choices as arrays, numbers, or text). */
  preferences: z.record(z.string(), z.union([z.array(z.string()), z.number(), z.string()])),
});
/** A profile. */
export type Profile = z.infer<typeof ZProfile>;

/** What a profile is built from: the respondent's sessions and any other sentiment signals. */
export interface RespondentData {
  customerId: string;
  sessions: { instrument: Instrument; answers: AnswerRecord[]; status: string; completedAt: Date | null }[];
  /** Sentiment of chat messages etc., from the NLU engine. */
  otherSentiment?: { at: Date; value: number; source: string }[];
}

/** How many recent sentiment scores the profile averages. */
export const RECENT_SENTIMENT = 5;

/** Combines sessions into one profile; later sessions win when two instruments score the same trait. */
export function buildProfile(data: RespondentData): Profile {
  const traits: Record<string, number> = {};
  const preferences: Profile['preferences'] = {};
  const history: Profile['sentimentHistory'] = [];
  let latestNps: { at: number; value: number } | undefined;
  const sessions = data.sessions
    .filter((s) => s.status !== 'withdrawn')
    .sort((a, b) => (a.completedAt?.getTime() ?? Infinity) - (b.completedAt?.getTime() ?? Infinity));
  for (const s of sessions) {
    for (const [trait, score] of Object.entries(scoreTraits(s.instrument, s.answers)))
      traits[trait] = score.score;
    const items = new Map(s.instrument.items.map((i) => [i.id, i]));
    for (const a of s.answers) {
      const item = items.get(a.itemId);
      if (!item || a.skipped) continue;
      const at = a.createdAt ?? s.completedAt ?? new Date(0);
      if (item.type === 'nps' && a.value !== null && (!latestNps || at.getTime() >= latestNps.at))
        latestNps = { at: at.getTime(), value: a.value };
      if (a.sentiment !== null)
        history.push({ at: at.toISOString(), value: a.sentiment, source: `${s.instrument.id}/${item.id}` });
      if (item.profileKey)
        preferences[item.profileKey] =
          item.type === 'single'
            ? a.choices[0]!
            : a.choices.length > 0
              ? a.choices
              : (a.value ?? a.text ?? '');
    }
  }
  for (const o of data.otherSentiment ?? [])
    history.push({ at: o.at.toISOString(), value: o.value, source: o.source });
  history.sort((a, b) => a.at.localeCompare(b.at));
  const recent = history.slice(-RECENT_SENTIMENT);
  return {
    customerId: data.customerId,
    traits,
    nps: latestNps?.value ?? null,
    npsClass: latestNps ? npsClass(latestNps.value) : null,
    sentiment: recent.length ? recent.reduce((s, h) => s + h.value, 0) / recent.length : null,
    sentimentHistory: history,
    preferences,
  };
}

/** Numeric features of profiles for k-means: traits, NPS and sentiment; gaps filled with the column mean. */
export function profileFeatures(
  profiles: readonly Profile[],
  names?: readonly string[],
): { names: string[]; rows: number[][] } {
  const cols = names
    ? [...names]
    : [
        ...new Set(
          profiles.flatMap((p) => [
            ...Object.keys(p.traits).map((t) => `traits.${t}`),
            ...(p.nps !== null ? ['nps'] : []),
            ...(p.sentiment !== null ? ['sentiment'] : []),
          ]),
        ),
      ].sort();
  const get = (p: Profile, c: string): number | null =>
    c === 'nps' ? p.nps : c === 'sentiment' ? p.sentiment : (p.traits[c.replace(/^traits\./, '')] ?? null);
  const means = cols.map((c) => {
    const v = profiles.map((p) => get(p, c)).filter((x): x is number => x !== null);
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0;
  });
  return { names: cols, rows: profiles.map((p) => cols.map((c, j) => get(p, c) ?? means[j]!)) };
}

/** A plain-language summary of what a profile says, used as the text behind the profile vector. */
export function describeProfile(
  p: Profile,
  traitLabels: Record<string, string> = {},
  high = 3.5,
  low = 2.5,
): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(p.preferences))
    parts.push(`${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`);
  const hi = Object.entries(p.traits)
    .filter(([, v]) => v >= high)
    .map(([t]) => traitLabels[t] ?? t);
  const lo = Object.entries(p.traits)
    .filter(([, v]) => v <= low)
    .map(([t]) => traitLabels[t] ?? t);
  if (hi.length) parts.push(`high ${hi.join(', ')}`);
  if (lo.length) parts.push(`low ${lo.join(', ')}`);
  if (p.npsClass) parts.push(`${p.npsClass} of the brand`);
  return parts.join('. ');
}

/** The profile vector for recommendations: the encoder's embedding of the profile summary (L2-normalised). */
export async function profileVector(
  p: Profile,
  encoder: SentenceEncoder,
  traitLabels?: Record<string, string>,
): Promise<Float32Array | null> {
  const text = describeProfile(p, traitLabels);
  if (!text) return null;
  const [v] = await encoder.embed([text]);
  return v ?? null;
}
