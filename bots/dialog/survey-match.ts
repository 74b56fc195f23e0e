// Finds the survey a customer names: by id ("nps"), title ("purchase motivation") or a description
// of it ("the one about why I shop"). Pure; the instruments come from the survey store, so imported
// surveys are found the same way as shipped ones.
import type { InstrumentInfo } from './actions.js';

// Words that say a survey is wanted but not which one.
const NOISE = new Set(
  "a an the i me my we you your our to do take start begin fill out in on of for about please want would like can could let lets let's me some one short quick survey surveys questionnaire questionnaires quiz test form answer and with is it that this what which how why when where who".split(
    ' ',
  ),
);

// Everyday words for the standard instruments whose titles use jargon.
const ALIASES: Record<string, string> = {
  satisfaction: 'csat',
  satisfied: 'csat',
  feedback: 'csat',
  recommend: 'nps',
  promoter: 'nps',
  likely: 'nps',
  personality: 'personality',
};

// Four letters are enough to tell the titles apart and to join "shop" with "shopping".
const stem = (w: string) => (w.length > 4 ? w.slice(0, 4) : w.replace(/s$/, ''));

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 && !NOISE.has(w));
}

/** The instrument the text names, or null. `personality` breaks ties between personality tests. */
export function matchInstrument(
  text: string,
  instruments: readonly InstrumentInfo[],
  personality: string,
): string | null {
  const asked = words(text);
  if (asked.length === 0) return null;
  let best: { id: string; score: number } | null = null;
  for (const inst of instruments) {
    const id = inst.id.toLowerCase();
    const idWords = new Set(id.split(/[^a-z0-9]+/).map(stem));
    const title = new Set(words(inst.title).map(stem));
    const description = new Set(words(inst.description ?? '').map(stem));
    let score = 0;
    for (const w of asked) {
      const s = stem(w);
      if (w === id || ALIASES[w] === id) score += 3;
      else if (ALIASES[w] === 'personality' && (title.has(s) || inst.id === personality)) score += 1.5;
      if (idWords.has(s) || title.has(s)) score += 2;
      // A number in a description ("10 items per factor") is no name; in a title it is ("50-item").
      else if (description.has(s) && !/^\d+$/.test(w)) score += 1;
    }
    if (inst.id === personality && score > 0) score += 0.1;
    // One word of a title or description is enough: the caller knows a survey is meant.
    if (score >= 1 && (!best || score > best.score)) best = { id: inst.id, score };
  }
  return best?.id ?? null;
}

/** True when the message talks about surveys at all. */
export function mentionsSurvey(text: string): boolean {
  return /\b(?:surveys?|questionnaires?|quiz|nps|csat|personality test)\b/i.test(text);
}

/** True when the message asks which surveys there are. */
export function asksSurveyList(text: string): boolean {
  return /\b(?:which|what|list|available|any|all)\b.*\bsurveys\b|\bsurveys\b.*\b(?:available|have|there|can)\b|\blist (?:of |the )?surveys\b|^\s*surveys\s*\??$/i.test(
    text,
  );
}
