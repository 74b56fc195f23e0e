// The narrow interfaces the bots depend on. The dialog core and the channel adapters (Direct Line,
// Slack) only ever see these; `server/` adapts the real nlu/, recsys/, surveys/ entries and the
// database to them, so each adapter stays a few lines and bots/ never imports another capability.

/** Channels a conversation can live on (mirrors the Prisma `Channel` enum). */
export type ChannelName = 'webchat' | 'slack' | 'api';

/** Which intent model to ask: shoppers or marketers. */
export type NluDomain = 'customer' | 'marketer';

/** One entity found in a message, normalised so the dialog can turn it into filters. */
export interface NluEntity {
  /** e.g. "price", "number", "date", "color", "size", "category", "product", "instrument", "segment", "period". */
  type: string;
  /** The words in the message. */
  text: string;
  /** Canonical value (a SKU for products, a number, an ISO date, a colour name...). */
  value?: string | number;
  /** Lower bound for ranges ("between 20 and 30", "over 50"). */
  min?: number;
  /** Upper bound for ranges ("under 100"). */
  max?: number;
  /** ISO currency code for money. */
  currency?: string;
}

/** What the NLU says about one message. */
export interface NluResult {
  intent: string;
  confidence: number;
  /** Best first, at most five entries. */
  ranking: Array<{ intent: string; confidence: number }>;
  /** True when the classifier believes the message is outside every known intent. */
  outOfScope: boolean;
  /** Sentiment score in [-1, 1]. */
  sentiment: number;
  sentimentLabel: 'positive' | 'neutral' | 'negative';
  entities: NluEntity[];
  /** ISO 639-3 code from the language check, or "und" when the text is too short to tell. */
  language: string;
}

/** Natural-language understanding, backed by nlu/. */
export interface Nlu {
  /** Classifies a message and extracts entities, sentiment and language. Never throws on odd text. */
  analyze(text: string, domain: NluDomain): Promise<NluResult>;
  /** Replaces e-mails, phone numbers, card numbers and IBANs with placeholders (logging). */
  maskPII(text: string): string;
}

/** Filters a product search applies inside the index. */
export interface ProductFilters {
  minPrice?: number;
  maxPrice?: number;
  category?: string;
  inStock?: boolean;
}

/** A product as the bots show it, with the reason it was recommended. */
export interface ProductCard {
  sku: string;
  name: string;
  description?: string;
  category?: string;
  price: number;
  currency: string;
  imageUrl?: string;
  /** Human-readable reason ("similar to Alpine Shell", "often bought with ..."). */
  reason?: string;
  /** Units in stock, when the catalog knows. */
  stock?: number;
}

/** A product search answer: matches, or (when nothing meets the request) labelled alternatives. */
export interface SearchAnswer {
  /** `no-match`: nothing met every hard filter (type, colour, size, price...); `products` are the nearest. */
  status: 'matched' | 'no-match';
  products: ProductCard[];
  /** Said when nothing matched ("No boots under $50. The cheapest boots are:"). */
  notice?: string;
  /** Worth telling the shopper: typo corrections, a refused price. */
  notes: string[];
}

/** Product catalog and recommendations, backed by recsys/. */
export interface Catalog {
  /** Hybrid text search ("warm jacket") with filters taken from entities. */
  search(query: { text: string; filters: ProductFilters; k: number }): Promise<ProductCard[]>;
  /** Product search with query understanding: hard filters never violated, misses said so. */
  find(query: { text: string; filters: ProductFilters; k: number }): Promise<SearchAnswer>;
  /**
   * The catalog things a message names (product types, brands, categories) as entities
   * ("product_type", "brand", "category"), so the dialog can tell a product request from chat.
   */
  recognise(text: string): NluEntity[];
  /** One product by SKU, or null. */
  get(sku: string): Promise<ProductCard | null>;
  /** More like this; `cheaper` keeps only items cheaper than the reference. */
  similar(sku: string, options: { k: number; cheaper?: boolean }): Promise<ProductCard[]>;
  /** Frequently bought together (association rules). */
  boughtTogether(sku: string, k: number): Promise<ProductCard[]>;
  /** Personal recommendations for a known customer (popular items for a new one). */
  forCustomer(customerId: string, k: number): Promise<ProductCard[]>;
  /**
   * Records a shopper interaction (view, basket) that feeds the recommenders. `turnKey` (the chat
   * turn's key) makes it idempotent: the same interaction under the same key is recorded once.
   */
  recordInteraction(customerId: string, sku: string, kind: 'view' | 'cart', turnKey?: string): Promise<void>;
}

/** An answer option of a survey item, shown as a button where the channel has them. */
export interface SurveyOption {
  label: string;
  value: string;
}

/** What the survey runner wants said next. */
export type SurveyStep =
  | {
      kind: 'question';
      instrumentId: string;
      itemId: string;
      text: string;
      /** 1-based position and total, for "3 of 20" (0 and 0 for the consent question). */
      index: number;
      total: number;
      options: SurveyOption[];
      /** Shown before the first question (intro, consent). */
      preface?: string;
      /** Set when the previous answer could not be understood. */
      reask?: string;
    }
  | { kind: 'completed'; instrumentId: string; text: string }
  | { kind: 'unavailable'; instrumentId: string; text: string };

/** Conversational surveys, backed by surveys/. */
export interface Surveys {
  /** Instruments a customer may take (shipped and imported). */
  list(): Promise<Array<{ id: string; title: string; description?: string }>>;
  /** Starts a survey or resumes the customer's open session at the next unanswered item. */
  start(customerId: string, instrumentId: string, channel: ChannelName): Promise<SurveyStep>;
  /**
   * Parses and saves one answer, returns the next step (a re-ask when it was not understood).
   * `key` (the chat turn's key) makes it idempotent: the same key again saves nothing (nor records
   * the consent again) and returns the step that followed it (a resent message whose turn failed
   * before its reply).
   */
  answer(
    customerId: string,
    instrumentId: string,
    text: string,
    channel: ChannelName,
    key?: string,
  ): Promise<SurveyStep>;
  /** Pauses (abandons) the session; `start` later resumes it. `key` as in `answer`. */
  stop(customerId: string, instrumentId: string, channel: ChannelName, key?: string): Promise<void>;
}

/** The conversation as the dialog sees it after `open`. */
export interface OpenedConversation {
  conversationId: string;
  customerId: string;
  /** Raw state JSON; the dialog validates it. */
  state: unknown;
  etag: number;
  /** True while a human handles this conversation. */
  handoffOpen: boolean;
}

/** A stored chat message. */
export interface StoredMessage {
  direction: 'user' | 'bot';
  activityId?: string;
  text: string;
  intent?: string;
  confidence?: number;
  sentiment?: number;
  entities?: NluEntity[];
}

/** Conversation state and transcript persistence (database). */
export interface ConversationStore {
  /** Finds or creates the conversation, the customer and the channel identity. */
  open(ref: {
    channel: ChannelName;
    externalId: string;
    userExternalId: string;
  }): Promise<OpenedConversation>;
  /**
   * Opens the conversation (as `open`) and stores the user's message; `duplicate` is true when the
   * activity id was already stored (a retry), and then nothing new is stored. `answered` says
   * whether that stored message's turn committed its reply (false for a new message): a retry of
   * an unanswered one finishes the turn that failed half-way.
   */
  beginTurn(
    ref: { channel: ChannelName; externalId: string; userExternalId: string },
    message: StoredMessage,
  ): Promise<OpenedConversation & { duplicate: boolean; answered: boolean }>;
  /**
   * Writes the state if `etag` still matches and stores the bot's replies (plain text, in order),
   * all or nothing, marking the user's message `answering` (its activity id) answered; returns the
   * new etag. Throws StateConflictError when the etag is stale, TurnAnsweredError when that message
   * was answered already (by another process finishing the same turn); nothing is written then.
   */
  commitTurn(
    conversationId: string,
    state: unknown,
    etag: number,
    botTexts: readonly string[],
    answering?: string,
  ): Promise<number>;
  /**
   * Opens a handoff to a human, or returns the open one. `turnKey` (the chat turn's key): the turn's
   * handoff is opened once, and `beginTurn` does not count it as open for a resend of that turn.
   */
  openHandoff(conversationId: string, reason: string, turnKey?: string): Promise<{ id: string }>;
  /** Closes the conversation's open handoff (the customer went back to the assistant). */
  closeHandoff(conversationId: string): Promise<void>;
}

/** A handoff as marketers see it. */
export interface HandoffView {
  id: string;
  conversationId: string;
  channel: ChannelName;
  status: 'open' | 'claimed' | 'released';
  reason: string | null;
  claimedBy: string | null;
  createdAt: Date;
  /** The customer's name, when known (live handoff). */
  customer?: string | null;
  /** Link to the announcement's Slack thread (live handoff). */
  link?: string;
}

/** Handoff figures of a period (Prometheus and the marketer's reports). */
export interface HandoffStats {
  /** Handoffs opened since `since`. */
  opened: number;
  /** Of those closed, the share an agent answered before the close. */
  resolvedShare: number | null;
  /** Median and 95th percentile of the time to the first agent reply, in seconds. */
  firstReplySeconds: { p50: number; p95: number } | null;
  /** Open (unclaimed) and claimed right now. */
  waiting: number;
  claimed: number;
}

/** Handoff queue for marketers. */
export interface Handoffs {
  /** Handoffs not yet released, oldest first. */
  listActive(limit: number): Promise<HandoffView[]>;
  claim(id: string, by: string): Promise<HandoffView | null>;
  /** `by`: the member who released it (shown on the announcement). */
  release(id: string, by?: string): Promise<HandoffView | null>;
  /** Figures since a date (live handoff only). */
  stats?(since: Date): Promise<HandoffStats>;
  /**
   * Whether a member with `role` may read customers' names and words (the live handoff's reading
   * policy, the one the announcement and Transcript use); absent: names are not shown.
   */
  reading?(role: MemberRole): 'clear' | 'masked' | 'hidden';
}

/** Personal-data rights and marketing consent. */
export interface Privacy {
  /** Everything stored about a customer, as plain JSON. */
  exportData(customerId: string): Promise<Record<string, unknown>>;
  /** Deletes the customer and everything hanging off it. */
  forget(customerId: string): Promise<void>;
  /**
   * Records marketing opt-in or opt-out (a consent row and the flag); the current choice again is a
   * no-op, and so is the same `turnKey` (the chat turn's key) again, even from two processes at once.
   */
  setMarketingOptIn(customerId: string, optIn: boolean, source: string, turnKey?: string): Promise<void>;
}

/** A time window, inclusive start, exclusive end. */
export interface Period {
  from: Date;
  to: Date;
  /** How a person would say it: "last 30 days", "2024-Q3". */
  label: string;
}

/** A segment summary. */
export interface SegmentSummary {
  id: string;
  name: string;
  description: string;
  size: number;
  kind: string;
  /** Features the segment over-indexes on, strongest first. */
  overIndexed?: Array<{ feature: string; ratio: number }>;
}

/** Marketer analytics, backed by surveys/ (segments, NPS, CSAT, reports, charts). */
export interface MarketerAnalytics {
  listSegments(): Promise<SegmentSummary[]>;
  /** By exact or fuzzy name; null when nothing matches. */
  segment(name: string): Promise<SegmentSummary | null>;
  nps(
    period: Period,
  ): Promise<{ nps: number; promoters: number; passives: number; detractors: number; n: number }>;
  csat(period: Period): Promise<{ satisfiedShare: number; mean: number; n: number }>;
  surveyResults(instrumentId: string): Promise<{
    instrumentId: string;
    title: string;
    started: number;
    completed: number;
    scales: Array<{ name: string; mean: number; alpha?: number; n: number }>;
  } | null>;
  /** A rendered chart. */
  chart(request: ChartRequest): Promise<{ title: string; png: Uint8Array }>;
  /** Figures for the Slack App Home. */
  keyFigures(): Promise<Array<{ label: string; value: string }>>;
  /** Resolves "customer 42", an e-mail or an external ref to a customer id. */
  findCustomer(reference: string): Promise<string | null>;
}

/** The charts a marketer can ask for. */
export type ChartRequest =
  | { kind: 'nps-over-time'; period: Period }
  | { kind: 'scale-means-by-segment'; instrumentId: string }
  | { kind: 'answer-distribution'; instrumentId: string; itemId?: string };

/** Roles of Slack members (mirrors the Prisma `Role` enum). */
export type MemberRole = 'admin' | 'marketer' | 'viewer';

/** Slack members who have opened the App Home: their Home is refreshed when the queue changes. */
export interface HomeViewers {
  opened(teamId: string, userId: string): Promise<void>;
  /** Members who opened it since `since`, most recent first. */
  recent(since: Date, limit: number): Promise<Array<{ teamId: string; userId: string }>>;
}

/** Slack allow-list lookups. */
export interface SlackMembers {
  /** The member's role, or null when not allow-listed. */
  role(teamId: string, userId: string): Promise<MemberRole | null>;
}

/**
 * Idempotency keys for inbound events, claimed before processing and marked done after, so a
 * failure or a crash in between never loses the event: a failed one is released at once, and a
 * claim left by a dead process may be taken over once older than its lease.
 */
export interface EventLog {
  /** Claims the key; false when it is done or being processed (within `leaseMs`) elsewhere. */
  claim(key: string, leaseMs: number): Promise<boolean>;
  /** The event was processed: every later delivery of it is a duplicate. */
  done(key: string): Promise<void>;
  /** Processing failed: the next delivery (Slack's retry) processes it again. */
  release(key: string): Promise<void>;
}

/** The slice of a pino logger the bots use. */
export interface BotLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A help-centre passage that answers a message. */
export interface KbFound {
  /** The passage trimmed to the sentences that answer. */
  text: string;
  /** Title of the document it comes from. */
  title: string;
  /** The document's public address, when it has one (shown as a link). */
  url?: string;
  /** Stable id of the document (which source answered, for analytics and tests). */
  docId: string;
}

/** What the shop's knowledge base says about a message. */
export interface KbLookup {
  /** The answer when it clears the knowledge base's calibrated confidence gate, else null. */
  answer: KbFound | null;
  /**
   * Confidence relative to the gate (the ranking's margin minus the gate's threshold): at or above
   * 0 the knowledge base answers; -Infinity when it holds nothing.
   */
  confidence: number;
}

/** The shop's help centre (kb/): answers questions about shipping, returns, payment and so on. */
export interface HelpCentre {
  /** Looks a message up without recording it (the dialog weighs it against other intents). */
  lookup(text: string): Promise<KbLookup>;
  /**
   * The answer to show for a question routed here: the lookup's extract, or a model's answer written
   * from the passages (LLM_BASE_URL), which may refuse. Absent when answers are the extracts.
   * `onText` is told the model's text so far while it writes (shown live in web chat); the
   * returned lookup is what stands.
   */
  answer?(text: string, onText?: (soFar: string) => void): Promise<KbLookup>;
  /**
   * Records a question the dialog routed here and whether it was answered (masked by the store).
   * `turnKey` (the chat turn's key): the same turn's question is recorded once.
   */
  record(text: string, lookup: KbLookup, channel: ChannelName, turnKey?: string): Promise<void>;
}

/** Where an order is (mirrors the Prisma `OrderStatus` enum). */
export type OrderStatusName = 'placed' | 'packed' | 'shipped' | 'delivered' | 'cancelled' | 'returned';

/** One order as its customer may see it in the chat. */
export interface OrderView {
  /** The shop's order number. */
  number: string;
  status: OrderStatusName;
  placedAt: Date;
  shippedAt?: Date;
  deliveredAt?: Date;
  items: Array<{ name: string; quantity: number }>;
}

/** Order status from the shop's data; never tells a wrong pair from an unknown number. */
export interface OrderStatusLookup {
  /**
   * The order when the number and the e-mail belong together, or when it is the signed-in
   * customer's own order (then no e-mail is needed); null in every other case.
   */
  find(query: { number: string; email: string | null; customerId: string }): Promise<OrderView | null>;
  /** The signed-in customer's most recent order, or null. */
  latest(customerId: string): Promise<OrderView | null>;
}

/** A question the help centre could not answer, with how often it was asked. */
export interface UnansweredQuestionView {
  /** The question with personal data masked. */
  text: string;
  count: number;
  lastAskedAt: Date;
}

/** What marketers see of the help centre in Slack. */
export interface HelpCentreReview {
  /** Questions not answered in the last `days` days, most asked first. */
  unanswered(days: number, limit: number): Promise<UnansweredQuestionView[]>;
}
