import { readFileSync } from 'node:fs';
import { LineCounter, isNode, parseDocument } from 'yaml';
import { InstrumentInvalidError, SurveyError, type InstrumentIssue } from './errors.js';
import {
  ZInstrument,
  ZItem,
  ZResponseScale,
  checkInstrument,
  formatPath,
  type Instrument,
} from './instrument.js';

/** Result of validating an instrument: the instrument, or every problem with its path (nothing loaded). */
export type InstrumentValidation =
  { ok: true; instrument: Instrument } | { ok: false; issues: InstrumentIssue[] };

/** Validates an already-parsed object; structural and cross-field problems are all reported. */
export function validateInstrument(data: unknown): InstrumentValidation {
  const parsed = ZInstrument.safeParse(data);
  if (parsed.success) return { ok: true, instrument: parsed.data };
  const issues = parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
  // zod skips the refinement when the structure is broken; run the cross-field rules anyway on a
  // salvaged copy so one pass reports as much as possible.
  if (!parsed.error.issues.some((i) => i.code === 'custom')) {
    const salvaged = salvage(data);
    if (salvaged) {
      for (const e of checkInstrument(salvaged)) {
        const path = formatPath(e.path);
        // "trait has no items" may only mean its items were malformed: leave it to the next pass
        const covered =
          path.startsWith('traits.') ||
          issues.some((i) => path.startsWith(i.path) || i.path.startsWith(path));
        if (!covered) issues.push({ path, message: e.message });
      }
    }
  }
  return { ok: false, issues };
}

/** Parses JSON or YAML text (by file name) and validates it; YAML problems carry line numbers. */
export function validateInstrumentText(text: string, fileName: string): InstrumentValidation {
  const isYaml = /\.ya?ml$/i.test(fileName);
  if (!isYaml) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      return { ok: false, issues: [{ path: '', message: `not valid JSON: ${(error as Error).message}` }] };
    }
    return validateInstrument(data);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0)
    return {
      ok: false,
      issues: doc.errors.map((e) => ({ path: '', message: `YAML: ${e.message.split('\n')[0]}` })),
    };
  const result = validateInstrument(doc.toJS());
  if (result.ok) return result;
  return {
    ok: false,
    issues: result.issues.map((issue) => {
      const node = doc.getIn(pathKeys(issue.path), true);
      if (!isNode(node) || !node.range) return issue;
      const pos = lineCounter.linePos(node.range[0]);
      return { ...issue, message: `${issue.message} (line ${pos.line})` };
    }),
  };
}

// Replaces each malformed part by a neutral stand-in that keeps ids and positions, so cross-field
// rules (branch targets, trait references) can still be checked around it.
function salvage(data: unknown): Instrument | null {
  if (typeof data !== 'object' || data === null) return null;
  const raw = data as Record<string, unknown>;
  if (!Array.isArray(raw.items)) return null;
  const items = raw.items.map((it, i) => {
    const ok = ZItem.safeParse(it);
    if (ok.success) return ok.data;
    const id =
      typeof (it as { id?: unknown })?.id === 'string' ? (it as { id: string }).id : `__invalid_${i}`;
    return ZItem.parse({
      id: /^[a-z0-9][a-z0-9_-]{0,63}$/.test(id) ? id : `__invalid_${i}`,
      type: 'text',
      text: '-',
    });
  });
  const scales: Instrument['responseScales'] = {};
  if (typeof raw.responseScales === 'object' && raw.responseScales !== null)
    for (const [name, s] of Object.entries(raw.responseScales)) {
      const ok = ZResponseScale.safeParse(s);
      scales[name] = ok.success ? ok.data : { min: 0, max: 1, bipolar: true };
    }
  const traits: Instrument['traits'] = {};
  if (typeof raw.traits === 'object' && raw.traits !== null)
    for (const t of Object.keys(raw.traits)) traits[t] = { label: t };
  return {
    id: 'x',
    version: 1,
    title: 'x',
    language: 'en',
    source: { name: 'x' },
    licence: 'x',
    randomize: raw.randomize === true,
    responseScales: scales,
    traits,
    items,
  };
}

function pathKeys(path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g))
    keys.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return keys;
}

/** Reads and validates an instrument file; throws InstrumentInvalidError listing every problem. */
export function loadInstrumentFile(file: string): Instrument {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SurveyError('SURVEY_INSTRUMENT_NOT_FOUND', `cannot read instrument file ${file}`, {
      cause: error,
    });
  }
  const result = validateInstrumentText(text, file);
  if (!result.ok) throw new InstrumentInvalidError(file, result.issues);
  return result.instrument;
}
