import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SurveyError } from './errors.js';
import type { Instrument } from './instrument.js';
import { loadInstrumentFile } from './load-instrument.js';

/** Folder of the instruments shipped with the product (inside the repo, never the shared evaluation data sets). */
export const SHIPPED_INSTRUMENTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'instruments');

/** Loads and validates every shipped instrument, sorted by id. */
export function loadShippedInstruments(dir = SHIPPED_INSTRUMENTS_DIR): Instrument[] {
  return readdirSync(dir)
    .filter((f) => /\.(json|ya?ml)$/i.test(f))
    .sort()
    .map((f) => loadInstrumentFile(join(dir, f)));
}

/** One shipped instrument by id; throws SURVEY_INSTRUMENT_NOT_FOUND listing the ids that exist. */
export function shippedInstrument(id: string, dir = SHIPPED_INSTRUMENTS_DIR): Instrument {
  const all = loadShippedInstruments(dir);
  const found = all.find((i) => i.id === id);
  if (!found)
    throw new SurveyError(
      'SURVEY_INSTRUMENT_NOT_FOUND',
      `no shipped instrument "${id}" (available: ${all.map((i) => i.id).join(', ')})`,
    );
  return found;
}
