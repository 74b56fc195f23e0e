// One turn of the dialog, channel-agnostic: classify, load state and store the user's message
// (with intent, confidence, sentiment), decide, execute, then save state with optimistic concurrency
// together with the bot's messages, all before answering. Channels call `handle` with an
// InboundMessage and render the replies.
//
// A retried message (same activity id) that was answered gets nothing. One that was stored but
// never answered (the database went away between the turn's statements) finishes its turn: the
// state is still the one before it, so the same decision is taken again, the side effects it may
// have committed are not repeated, and the reply is stored once, with the message marked answered.
// Every write of a turn carries the turn's key (conversation and activity id, `TurnInfo.key`) and
// is kept under a unique constraint on it: a basket interaction, a marketing or survey consent, a
// survey answer (the session's replyKey, written with it). A replay inserts nothing a second time.
import { StateConflictError, TurnAnsweredError } from '../errors.js';
import type { BotLogger, KbLookup, Nlu, NluResult } from '../ports.js';
import type { ReviewQueue } from '../review-ports.js';
import type { InstrumentInfo } from './actions.js';
import { decide } from './decide.js';
import { execute, turnKey, type ExecuteDeps } from './execute.js';
import { dialogPolicy, type DialogPolicy, type DialogPolicyOverrides } from './policy.js';
import { Responses } from './responses.js';
import { queueTurnForReview } from './review-hook.js';
import { parseState } from './state.js';
import type { InboundMessage, LiveReply, Reply } from './types.js';

/** Everything the engine needs. */
export interface DialogEngineOptions extends ExecuteDeps {
  nlu: Nlu;
  logger: BotLogger;
  /** Threshold overrides (config's DIALOG_POLICY); the defaults of policy.ts otherwise. */
  policy?: DialogPolicyOverrides;
  /** Where badly handled turns go for a person to label (none: nothing is queued). */
  review?: ReviewQueue;
}

/** Result of one turn. */
export interface TurnResult {
  replies: Reply[];
  intent: string | null;
  /** True when the message was a retry of one already handled. */
  duplicate: boolean;
}

// A second writer in the same conversation is rare (two tabs); one retry on fresh state is enough.
const MAX_ATTEMPTS = 2;
// Imported surveys appear without a restart, but the list is not read on every message.
const INSTRUMENTS_TTL_MS = 60_000;

/** Runs dialog turns; holds no conversation data itself, so any process can serve any turn. */
export class DialogEngine {
  private readonly policy: DialogPolicy;
  private readonly responses: Responses;
  private readonly canned: ReadonlySet<string>;
  private instruments: { list: InstrumentInfo[]; at: number } | null = null;

  constructor(private readonly options: DialogEngineOptions) {
    this.policy = dialogPolicy(options.policy);
    this.responses = options.responses ?? Responses.load(options.brandName);
    this.canned = this.responses.names();
  }

  /** Answers below this confidence are queued for review (the policy's; the marketer dialog uses it too). */
  get reviewBelowConfidence(): number {
    return this.policy.reviewBelowConfidence;
  }

  /** The greeting shown when a customer opens the chat. */
  greeting(): Reply {
    const r = this.responses.render('greet');
    return { kind: 'text', text: r.text, suggestions: r.suggestions, tag: 'reply:greet' };
  }

  /**
   * Handles one inbound message and returns the replies to send (already stored). `live` shows an
   * answer while it is being written, on channels that can (web chat); only the final reply is stored.
   */
  async handle(message: InboundMessage, live?: LiveReply): Promise<TurnResult> {
    const { store, logger, nlu } = this.options;
    const ref = {
      channel: message.channel,
      externalId: message.conversationExternalId,
      userExternalId: message.userExternalId,
    };
    // The NLU does not depend on the conversation, so it runs first and the message is stored
    // with its analysis in the same database step that reads the conversation.
    // Text over the policy's limit is answered "too long" without being analysed.
    const analysable =
      message.text.trim() !== '' && !message.action && message.text.length <= this.policy.maxMessageChars;
    // The help centre is asked alongside the NLU: routing weighs its answer against the classifier
    // and the catalog (routing.ts). A button carrying the customer's words is looked up by them.
    const kbText = message.action?.a === 'intent' ? message.action.text : analysable ? message.text : '';
    const [analysis, kb] = await Promise.all([
      analysable ? this.analyze(message.text) : null,
      this.lookUp(kbText),
    ]);
    // What the catalog recognises (product types, brands, categories) joins the entities: routing
    // treats a message that names catalog things as a product request (routing.ts).
    if (analysis) analysis.entities = [...analysis.entities, ...this.options.catalog.recognise(message.text)];
    const conv = await store.beginTurn(ref, {
      direction: 'user',
      activityId: message.activityId,
      text: message.text,
      intent: analysis?.intent,
      confidence: analysis?.confidence,
      sentiment: analysis?.sentiment,
      entities: analysis?.entities,
    });
    logger.info(
      {
        conversationId: conv.conversationId,
        channel: message.channel,
        text: nlu.maskPII(message.text),
        intent: analysis?.intent,
        confidence: analysis?.confidence,
        sentiment: analysis?.sentiment,
      },
      'user message',
    );
    const handled = { replies: [], intent: analysis?.intent ?? null, duplicate: true };
    if (conv.duplicate && conv.answered) return handled;
    if (conv.duplicate)
      logger.info(
        { conversationId: conv.conversationId },
        'resent message was never answered: finishing its turn',
      );

    const { state, valid } = parseState(conv.state);
    if (!valid)
      logger.warn(
        { conversationId: conv.conversationId },
        'stored dialog state did not validate; starting over',
      );
    const decision = decide({
      state,
      message,
      nlu: analysis,
      handoffOpen: conv.handoffOpen,
      handoffAvailable: Boolean(this.options.handoff),
      policy: this.policy,
      canned: this.canned,
      instruments: await this.surveyList(),
      ...(kb ? { kb } : {}),
    });
    const turn = {
      conversationId: conv.conversationId,
      customerId: conv.customerId,
      channel: message.channel,
      ...(message.activityId
        ? { activityId: message.activityId, key: turnKey(conv.conversationId, message.activityId) }
        : {}),
      ...(live ? { live } : {}),
    };
    const done = await execute(
      decision.action,
      decision.state,
      turn,
      { ...this.options, responses: this.responses },
      decision,
    );
    if (done.forgotten) return { replies: done.replies, intent: analysis?.intent ?? null, duplicate: false };
    try {
      await this.commit(
        ref,
        conv.conversationId,
        done.state,
        conv.etag,
        done.replies.map(replyText),
        message.activityId,
      );
    } catch (err) {
      // Another process finished this same turn first (two resends): its reply stands, not this one.
      if (err instanceof TurnAnsweredError) return handled;
      throw err;
    }
    await queueTurnForReview(
      { ...this.options, policy: this.policy },
      {
        ...turn,
        action: decision.action,
        nlu: analysis,
        button: !!message.action,
        analysable,
        text: message.text,
        replies: done.replies,
      },
    );
    return { replies: done.replies, intent: analysis?.intent ?? null, duplicate: false };
  }

  // Side effects (a survey answer, a handoff) already happened, so a conflict is not re-run: the
  // newer turn's state is overwritten by this one's, the lesser evil for a rare two-tab race.
  private async commit(
    ref: Parameters<DialogEngineOptions['store']['open']>[0],
    id: string,
    state: unknown,
    etag: number,
    botTexts: string[],
    answering: string | undefined,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.store.commitTurn(id, state, etag, botTexts, answering);
        return;
      } catch (err) {
        if (!(err instanceof StateConflictError) || attempt >= MAX_ATTEMPTS) throw err;
        etag = (await this.options.store.open(ref)).etag;
      }
    }
  }

  // The surveys a customer can start by name, refreshed every minute (imports show up).
  private async surveyList(): Promise<InstrumentInfo[]> {
    const now = Date.now();
    if (this.instruments && now - this.instruments.at < INSTRUMENTS_TTL_MS) return this.instruments.list;
    try {
      this.instruments = { list: await this.options.surveys.list(), at: now };
    } catch (err) {
      this.options.logger.warn({ err }, 'survey list unavailable; surveys by name use the defaults');
      this.instruments = { list: this.instruments?.list ?? [], at: now };
    }
    return this.instruments.list;
  }

  // Undefined without a knowledge base; a failing one counts as having no answer (a person is offered).
  private async lookUp(text: string): Promise<KbLookup | undefined> {
    const kb = this.options.kb;
    if (!kb || text.trim() === '') return kb ? { answer: null, confidence: -Infinity } : undefined;
    try {
      return await kb.lookup(text);
    } catch (err) {
      this.options.logger.error({ err }, 'knowledge base failed; shop questions get the offer of a person');
      return { answer: null, confidence: -Infinity };
    }
  }

  private async analyze(text: string): Promise<NluResult | null> {
    try {
      return await this.options.nlu.analyze(text, 'customer');
    } catch (err) {
      // An NLU failure must not silence the bot: the turn continues as "not understood".
      this.options.logger.error({ err }, 'NLU failed; answering as out of scope');
      return null;
    }
  }
}

/** Plain-text form of a reply, for the transcript. */
export function replyText(reply: Reply): string {
  if (reply.kind === 'text') return reply.text;
  return `${reply.text} ${reply.products.map((p) => `${p.name} (${p.sku})`).join(', ')}`;
}
