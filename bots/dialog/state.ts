// Dialog state persisted per conversation (Conversation.state). Validated on load so a state
// written by an older version, or edited by hand, degrades to a fresh state instead of crashing.
import { z } from 'zod';

/** Shape of the persisted dialog state. */
export const ZDialogState = z.object({
  v: z.literal(1),
  turns: z.number().int().min(0),
  /** SKUs shown in the last product reply, first is the focus for "more like this". */
  lastSkus: z.array(z.string()).max(20),
  /** The product the user last acted on (clicked, asked about). */
  focusSku: z.string().nullable(),
  /** Instrument of the survey in progress in this conversation. */
  survey: z.string().nullable(),
  /** A question awaiting yes/no (only "forget" needs confirmation). */
  pendingConfirm: z.enum(['forget']).nullable(),
  /** The two candidates offered by the last "did you mean" question. */
  disambiguation: z.array(z.string()).max(2).nullable(),
});

/** Persisted dialog state. */
export type DialogState = z.infer<typeof ZDialogState>;

/** The state of a conversation that has never spoken. */
export function initialState(): DialogState {
  return {
    v: 1,
    turns: 0,
    lastSkus: [],
    focusSku: null,
    survey: null,
    pendingConfirm: null,
    disambiguation: null,
  };
}

/** Reads stored JSON; anything that does not validate starts over (logged by the caller). */
export function parseState(raw: unknown): { state: DialogState; valid: boolean } {
  if (raw === null || raw === undefined || (typeof raw === 'object' && Object.keys(raw).length === 0)) {
    return { state: initialState(), valid: true };
  }
  const parsed = ZDialogState.safeParse(raw);
  return parsed.success ? { state: parsed.data, valid: true } : { state: initialState(), valid: false };
}
