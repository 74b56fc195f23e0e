// Dialog state persisted per conversation (Conversation.state). Validated on load so a state
// written by an older version, or edited by hand, degrades to a fresh state instead of crashing.
// Fields added after v1 have defaults, so states stored before them still load.
import { z } from 'zod';

/** State changes that wait for a yes/no from the customer. */
export const CONFIRMABLE = ['forget', 'opt_in', 'opt_out', 'handoff', 'contact'] as const;

/** A state change awaiting yes/no. */
export type Confirmable = (typeof CONFIRMABLE)[number];

/** One product of the last list shown, enough to resolve "the red one" or "the second one". */
export const ZShownItem = z.object({
  sku: z.string().max(100),
  name: z.string().max(300),
  price: z.number(),
});

/** A product as remembered from the last list. */
export type ShownItem = z.infer<typeof ZShownItem>;

/** Shape of the persisted dialog state. */
export const ZDialogState = z.object({
  v: z.literal(1),
  turns: z.number().int().min(0),
  /** SKUs shown in the last product reply, first is the focus for "more like this". */
  lastSkus: z.array(z.string()).max(20),
  /** The last list shown, in order (names and prices for follow-ups). */
  lastItems: z.array(ZShownItem).max(20).default([]),
  /** The last product search, so "cheaper" and "in red" refine it instead of starting over. */
  lastSearch: z
    .object({
      text: z.string().max(500),
      filters: z.object({
        minPrice: z.number().optional(),
        maxPrice: z.number().optional(),
        category: z.string().optional(),
        inStock: z.boolean().optional(),
      }),
    })
    .nullable()
    .default(null),
  /** The product the user last acted on (clicked, asked about). */
  focusSku: z.string().nullable(),
  /** Instrument of the survey in progress in this conversation. */
  survey: z.string().nullable(),
  /** A state change awaiting yes/no. */
  pendingConfirm: z.enum(CONFIRMABLE).nullable(),
  /** The two candidates offered by the last "did you mean" question. */
  disambiguation: z.array(z.string()).max(2).nullable(),
  /** Frustrated or abusive messages in a row (reset by a calm one). */
  frustration: z.number().int().min(0).default(0),
  /**
   * An order-status question waiting for the order number and e-mail; the number given so far
   * (never the e-mail: the state is not encrypted).
   */
  orderQuery: z
    .object({ number: z.string().max(40).nullable() })
    .nullable()
    .default(null),
  /** Order number / e-mail pairs that did not match in this conversation (rate limit). */
  orderFailures: z.number().int().min(0).default(0),
  /** Messages in a row the assistant did not understand (a person is brought in after a few). */
  failures: z.number().int().min(0).default(0),
});

/** Persisted dialog state. */
export type DialogState = z.infer<typeof ZDialogState>;

/** The state of a conversation that has never spoken. */
export function initialState(): DialogState {
  return {
    v: 1,
    turns: 0,
    lastSkus: [],
    lastItems: [],
    lastSearch: null,
    focusSku: null,
    survey: null,
    pendingConfirm: null,
    disambiguation: null,
    frustration: 0,
    orderQuery: null,
    orderFailures: 0,
    failures: 0,
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
