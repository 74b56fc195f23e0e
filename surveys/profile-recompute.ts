// Recomputing customers' profiles from their survey sessions: trait scores, their percentile
// ranks against every stored profile (the population norms), NPS class, stated preferences and
// the profile vector for recommendations. Storage is a port; the data layer implements it.
import type { SentenceEncoder } from '../nlu/index.js';
import type { Instrument } from './instrument.js';
import { buildProfile, profileVector, type Profile, type RespondentData } from './profiles.js';
import { buildNorms, percentileRank, type Norms } from './scoring.js';

/** A profile with the percentile rank (0–100) of each trait score against the stored population. */
export interface RankedProfile extends Profile {
  percentiles: Record<string, number>;
}

/** What recomputing profiles reads and writes. */
export interface ProfileRepository {
  /** Every session (with decrypted answers) of one customer. */
  respondentData(customerId: string): Promise<RespondentData>;
  /** Customers with at least one survey session or a stored profile. */
  respondents(): Promise<string[]>;
  /** Trait scores of every stored profile except `excluding`, per trait. */
  traitPopulation(excluding: readonly string[]): Promise<Record<string, number[]>>;
  /** Stores (or, for a customer with nothing left to profile, deletes) the profile. */
  save(profile: RankedProfile, vector: Float32Array | null): Promise<void>;
  remove(customerId: string): Promise<void>;
  /** Trait labels of the stored instruments, e.g. { novelty: "Novelty seeking" }. */
  traitLabels(): Promise<Record<string, string>>;
}

/** Percentile rank of each trait score in the population (which includes the score itself). Pure. */
export function rankTraits(
  traits: Record<string, number>,
  population: Record<string, readonly number[]>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [trait, score] of Object.entries(traits)) {
    const norms: Norms = buildNorms([...(population[trait] ?? []), score]);
    out[trait] = Math.round(percentileRank(norms, score) * 10) / 10;
  }
  return out;
}

/** Trait labels of instruments, first definition wins. Pure. */
export function traitLabelsOf(instruments: readonly Instrument[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const inst of instruments)
    for (const [id, t] of Object.entries(inst.traits ?? {})) labels[id] ??= t.label;
  return labels;
}

/** What one recomputation did. */
export interface RecomputeResult {
  updated: number;
  removed: number;
}

/**
 * Rebuilds the listed customers' profiles (all respondents when none are listed). A customer whose
 * sessions were all withdrawn keeps no profile. Percentiles rank against the other stored profiles
 * plus the customer's own score, so a first respondent sits at the 50th percentile.
 */
export async function recomputeProfiles(
  repo: ProfileRepository,
  customerIds: readonly string[] | undefined,
  deps: { encoder?: SentenceEncoder } = {},
): Promise<RecomputeResult> {
  const ids = customerIds && customerIds.length > 0 ? [...new Set(customerIds)] : await repo.respondents();
  const labels = await repo.traitLabels();
  // When every profile is recomputed, each ranks against all others' fresh scores.
  const fresh = new Map<string, Profile>();
  for (const id of ids) fresh.set(id, buildProfile(await repo.respondentData(id)));
  const population = await repo.traitPopulation(ids);
  for (const p of fresh.values())
    for (const [t, v] of Object.entries(p.traits)) (population[t] ??= []).push(v);
  let updated = 0;
  let removed = 0;
  for (const profile of fresh.values()) {
    if (isEmpty(profile)) {
      await repo.remove(profile.customerId);
      removed++;
      continue;
    }
    const others = withoutOne(population, profile.traits);
    const ranked: RankedProfile = { ...profile, percentiles: rankTraits(profile.traits, others) };
    const vector = deps.encoder ? await profileVector(profile, deps.encoder, labels) : null;
    await repo.save(ranked, vector);
    updated++;
  }
  return { updated, removed };
}

function isEmpty(p: Profile): boolean {
  return Object.keys(p.traits).length === 0 && p.npsClass === null && Object.keys(p.preferences).length === 0;
}

/** The population with one occurrence of each of the profile's own scores taken out. */
function withoutOne(
  population: Record<string, number[]>,
  traits: Record<string, number>,
): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [t, values] of Object.entries(population)) {
    const own = traits[t];
    const i = own === undefined ? -1 : values.indexOf(own);
    out[t] = i < 0 ? values : [...values.slice(0, i), ...values.slice(i + 1)];
  }
  return out;
}
