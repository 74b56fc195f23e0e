// `/mkt kb unanswered [DAYS]`: the questions customers asked that the help centre could not answer
// (this week by default), most asked first, so marketers know which pages to write next.
import type { HelpCentreReview, UnansweredQuestionView } from '../ports.js';

/** A parsed `/mkt kb ...` command. */
export type KbCommand = { kind: 'unanswered'; days: number } | { kind: 'usage' };

/** Longest look-back accepted (the question log is not kept forever). */
export const MAX_UNANSWERED_DAYS = 90;
const DEFAULT_DAYS = 7;
const LIMIT = 20;

/** Reads `kb unanswered [days]`; null when the text is not a kb command. */
export function parseKbCommand(text: string): KbCommand | null {
  const words = text.trim().toLowerCase().split(/\s+/);
  if (words[0] !== 'kb') return null;
  if (words[1] !== 'unanswered' || words.length > 3) return { kind: 'usage' };
  if (words[2] === undefined) return { kind: 'unanswered', days: DEFAULT_DAYS };
  const days = Number(words[2]);
  if (!Number.isInteger(days) || days < 1 || days > MAX_UNANSWERED_DAYS) return { kind: 'usage' };
  return { kind: 'unanswered', days };
}

/** Usage of the command. */
export const KB_USAGE = `Usage: \`/mkt kb unanswered\` (this week) or \`/mkt kb unanswered DAYS\` (1-${MAX_UNANSWERED_DAYS}).`;

/** Runs a kb command and returns the message to post (Slack mrkdwn). */
export async function runKbCommand(command: KbCommand, review: HelpCentreReview): Promise<string> {
  if (command.kind === 'usage') return KB_USAGE;
  const questions = await review.unanswered(command.days, LIMIT);
  const period = command.days === DEFAULT_DAYS ? 'this week' : `in the last ${command.days} days`;
  if (questions.length === 0)
    return `Every question customers asked ${period} was answered from the help centre.`;
  return [
    `*Questions the assistant could not answer ${period}* (most asked first):`,
    ...questions.map(line),
    'Add a page or FAQ entry that answers them: `npx mkt kb import PATH`.',
  ].join('\n');
}

function line(q: UnansweredQuestionView): string {
  // Customer text, masked already: shown as a quote so Slack does not format or link it.
  const text = q.text
    .replace(/[`*_~<>]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return `• “${text}” — ${q.count}× (last ${q.lastAskedAt.toISOString().slice(0, 10)})`;
}
