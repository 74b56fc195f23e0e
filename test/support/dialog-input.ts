// The inputs the pure dialog decision takes, built the same way by every dialog test: an NLU
// result for one intent (or a ranking), and a DecisionInput over the shipped canned replies.
import { DEFAULT_POLICY, type DecisionInput } from '../../bots/dialog/decide.js';
import { Responses } from '../../bots/dialog/responses.js';
import { initialState, type DialogState } from '../../bots/dialog/state.js';
import type { NluResult } from '../../bots/ports.js';

/** Names of the canned replies in the shipped responses file. */
export const CANNED = Responses.load('Shop').names();

/** An NLU result for one intent at a confidence (or for a ranking, best first). */
export function nluResult(
  intent: string | Array<[string, number]>,
  confidence = 0.9,
  extra: Partial<NluResult> = {},
): NluResult {
  const ranking = typeof intent === 'string' ? [[intent, confidence] as [string, number]] : intent;
  return {
    intent: ranking[0]![0],
    confidence: ranking[0]![1],
    ranking: ranking.map(([name, score]) => ({ intent: name, confidence: score })),
    outOfScope: false,
    sentiment: 0,
    sentimentLabel: 'neutral',
    entities: [],
    language: 'eng',
    ...extra,
  };
}

/** One decision's input: the customer's text and its NLU result, over a fresh or given state. */
export function decisionInput(
  text: string,
  nlu: NluResult | null,
  state: Partial<DialogState> = {},
  extra: Partial<DecisionInput> = {},
): DecisionInput {
  return {
    state: { ...initialState(), ...state },
    message: { text, attachments: [] },
    nlu,
    handoffOpen: false,
    policy: DEFAULT_POLICY,
    canned: CANNED,
    ...extra,
  };
}
