// Every threshold the dialog uses, in one validated object. The server builds it from config
// (DIALOG_POLICY, a JSON object of overrides, and SURVEY_REPEAT_DAYS); tests pass their own.
// Changing how the bot treats an uncertain classifier means editing these numbers, nowhere else.
import { z } from 'zod';

const share = z.number().min(0).max(1);

/** Shape of the dialog policy. */
export const ZDialogPolicy = z.object({
  /** Below this intent confidence the bot does not act on the classifier alone. */
  minConfidence: share,
  /** A candidate intent must reach this to be offered as a "did you mean" button. */
  offerFloor: share,
  /** During a survey, a control intent (stop, handoff...) needs this much to interrupt it. */
  surveyInterruptConfidence: share,
  /**
   * A non-product intent beats a message that names catalog things only at or above this
   * confidence ("can I return the rain jacket?" stays a question about returns, "rain jacket" a search).
   */
  clearIntentConfidence: share,
  /**
   * Consent, deletion and handoff guesses: below this the guess is ignored; at or above it the bot
   * asks a yes/no question. Only an explicit request (explicit-requests.ts) acts without asking.
   */
  stateChangeAskConfidence: share,
  /**
   * A question the classifier ranks first as a shop question (shipping, returns, payment...) goes
   * to the knowledge base at this confidence when the knowledge base has a confident answer, even
   * if it names products ("can I send my boots back?"); without an answer it needs minConfidence.
   */
  kbMinShopConfidence: share,
  /** Order number / e-mail pairs that may fail in one conversation before only a person can help. */
  orderLookupMaxFailures: z.number().int().min(1).max(100),
  /** Marketer questions in Slack below this confidence are answered "not understood". */
  marketerMinConfidence: share,
  /** An answer acted on below this intent confidence is queued for review (customer and marketer). */
  reviewBelowConfidence: share,
  /** A message at or below this sentiment counts as frustrated. */
  frustratedSentiment: z.number().min(-1).max(1),
  /** Frustrated or abusive messages in a row after which a person is offered. */
  frustrationTurnsBeforeHandoffOffer: z.number().int().min(1).max(20),
  /** With a person available: messages in a row the assistant did not understand before one is brought in. */
  failedTurnsBeforeHandoff: z.number().int().min(1).max(20),
  /** With a person available: a message at or below this sentiment brings one in at once. */
  handoffSentiment: z.number().min(-1).max(1),
  /** Longer messages are answered "too long" instead of being analysed. */
  maxMessageChars: z.number().int().min(1).max(100_000),
  /** Prices outside [0, maxPrice] in a message are not used as filters. */
  maxPrice: z.number().positive(),
  /** NPS and CSAT may be answered again after this many days. */
  surveyRepeatDays: z.number().int().min(0).max(3650),
  /** Instruments the generic intents start. */
  instruments: z.object({ personality: z.string().min(1), nps: z.string().min(1), csat: z.string().min(1) }),
});

/** Tunable thresholds and the instruments the dialog starts. */
export type DialogPolicy = z.infer<typeof ZDialogPolicy>;

/** Defaults chosen so a calibrated classifier rarely guesses and surveys are rarely interrupted. */
export const DEFAULT_POLICY: DialogPolicy = {
  minConfidence: 0.55,
  offerFloor: 0.12,
  surveyInterruptConfidence: 0.8,
  clearIntentConfidence: 0.8,
  stateChangeAskConfidence: 0.6,
  kbMinShopConfidence: 0.2,
  orderLookupMaxFailures: 3,
  marketerMinConfidence: 0.5,
  reviewBelowConfidence: 0.7,
  frustratedSentiment: -0.35,
  frustrationTurnsBeforeHandoffOffer: 2,
  failedTurnsBeforeHandoff: 2,
  handoffSentiment: -0.85,
  maxMessageChars: 1500,
  maxPrice: 100_000,
  surveyRepeatDays: 90,
  instruments: { personality: 'mini-ipip-20', nps: 'nps', csat: 'csat' },
};

/** Partial overrides as they come from configuration (instruments may be partial too). */
export const ZDialogPolicyOverrides = ZDialogPolicy.extend({
  instruments: ZDialogPolicy.shape.instruments.partial(),
})
  .partial()
  .strict();

/** Overrides as configuration gives them. */
export type DialogPolicyOverrides = z.infer<typeof ZDialogPolicyOverrides>;

/** The defaults with overrides applied; throws a zod error naming the bad field. */
export function dialogPolicy(overrides: DialogPolicyOverrides = {}): DialogPolicy {
  return ZDialogPolicy.parse({
    ...DEFAULT_POLICY,
    ...overrides,
    instruments: { ...DEFAULT_POLICY.instruments, ...overrides.instruments },
  });
}
