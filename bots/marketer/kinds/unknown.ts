// What is left when neither a cue nor a confident intent named a kind.
import { defineKind } from './kind.js';

/** A question that could not be read. */
export interface UnknownQuestion {
  kind: 'unknown';
}

export const unknown = defineKind<UnknownQuestion>({
  kind: 'unknown',
  access: 'any',
  answer: () => ({
    text: 'Sorry, I didn\'t get that. Say "help" for the questions I answer.',
    buttons: [{ text: 'Show examples', actionId: 'mkt_ask_help', value: 'help' }],
  }),
});
