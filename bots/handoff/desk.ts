// The handoff desk: opens, relays and closes live handoffs between a customer and a person in
// Slack. Every relayed message is stored before it is sent (the database is the outbox of both
// directions), so a crash or a restart loses nothing: customer messages not yet posted are posted
// by `sweep`, agent messages not yet on a stream are replayed by `resume` when the customer's
// conversation is next served.
import type { BotLogger, MemberRole } from '../ports.js';
import { announcementView } from './announcement.js';
import { isWithinHours, type BusinessHours } from './hours.js';
import type {
  AnnouncementView,
  CustomerStreams,
  HandoffRecord,
  HandoffRepository,
  HandoffSlack,
  HandoffTranscript,
  PersonalDataView,
  RelayBus,
  RelayMessage,
} from './ports.js';
import { transcriptView, type TranscriptView } from './transcript.js';

/** A notice to the customer, from responses.yml. */
export interface NoticeText {
  text: string;
  /** Quick replies (the dialog's Suggestion: title, text, optional button action). */
  suggestions?: Array<{ title: string; text: string; action?: unknown }>;
}

/** What the desk needs. */
export interface HandoffDeskOptions {
  repo: HandoffRepository;
  slack: HandoffSlack;
  bus: RelayBus;
  streams: CustomerStreams;
  /** SLACK_HANDOFF_CHANNEL. */
  slackChannel: string;
  maskPII(text: string): string;
  /** What a member's role may read of customers' words (the server's role table). */
  personalData(role: MemberRole): PersonalDataView;
  /** Told every transcript request (who, which handoff, what they were shown): the audit trail. */
  onTranscriptRead?: (read: { reader: string; handoffId: string; view: PersonalDataView }) => Promise<void>;
  /** The assistant's wording of a notice ("handoff_closed", "handoff_claimed"). */
  notice(name: string, vars?: Record<string, string>): NoticeText;
  logger: BotLogger;
  now?: () => Date;
  /** HANDOFF_HOURS: outside them the customer is told nobody is in and may leave a message. */
  hours?: BusinessHours;
  /** HANDOFF_WAIT_MINUTES: unclaimed for longer, the customer is told and may leave a message. */
  waitMinutes?: number;
  /** Told the seconds from opening to the first agent reply (Prometheus histogram). */
  onFirstReply?: (seconds: number) => void;
}

const EMAIL = /[\w.+-]+@[\w-]+\.[\w.-]+/;
// The announcement quotes the last few; the Transcript button shows up to this many.
const ANNOUNCEMENT_CONTEXT = 8;
const TRANSCRIPT_MESSAGES = 400;

/** Outcome of an agent's thread message. */
export type AgentReplyOutcome = 'delivered' | 'duplicate' | 'not_a_handoff' | 'closed';

/** Live handoffs between customers and people in Slack. */
export class HandoffDesk {
  private readonly now: () => Date;
  private readonly unsubscribe: () => void;
  private readonly queueListeners = new Set<() => void>();

  constructor(private readonly opts: HandoffDeskOptions) {
    this.now = opts.now ?? (() => new Date());
    this.unsubscribe = opts.bus.subscribe((m) => this.onRelayed(m));
  }

  /** True when a person is expected to answer now (within HANDOFF_HOURS, or none configured). */
  staffed(at = this.now()): boolean {
    return !this.opts.hours || isWithinHours(this.opts.hours, at);
  }

  /** What a member with `role` may read of customers' words. */
  reading(role: MemberRole): PersonalDataView {
    return this.opts.personalData(role);
  }

  /**
   * The full transcript of a handoff's conversation as a member with `role` may read it:
   * 'hidden' when the role may read no customer's words, null when the handoff is gone.
   */
  async transcript(
    handoffId: string,
    role: MemberRole | null,
    reader: string,
  ): Promise<TranscriptView | 'hidden' | null> {
    const view = role ? this.reading(role) : 'hidden';
    await this.opts.onTranscriptRead?.({ reader, handoffId, view });
    if (view === 'hidden') return 'hidden';
    const transcript = await this.opts.repo.transcript(handoffId, TRANSCRIPT_MESSAGES);
    return transcript && transcriptView(transcript, view, this.opts.maskPII);
  }

  /** Calls `listener` when a handoff opens, is claimed or closed here (the App Home refreshes). */
  onQueueChange(listener: () => void): () => void {
    this.queueListeners.add(listener);
    return () => this.queueListeners.delete(listener);
  }

  /**
   * Announces a handoff the dialog has just opened (idempotent: announced once). Outside business
   * hours it is announced all the same (the message waits in the thread) and `open` is false.
   */
  async opened(handoffId: string): Promise<{ open: boolean; hours: string }> {
    const open = this.staffed();
    const hours = this.opts.hours?.text ?? '';
    const transcript = await this.opts.repo.transcript(handoffId, ANNOUNCEMENT_CONTEXT);
    if (!transcript || transcript.record.slackTs) return { open, hours };
    this.queueChanged();
    const view = this.view(transcript.record, transcript);
    const posted = await this.opts.slack.announce(this.opts.slackChannel, view);
    await this.opts.repo.setAnnouncement(handoffId, posted.channel, posted.ts);
    if (!open)
      await this.opts.slack.postInThread(
        posted.channel,
        posted.ts,
        `Arrived outside business hours (${hours}); the customer was asked to leave a message and, if they like, an e-mail address.`,
      );
    return { open, hours };
  }

  /**
   * The customer said yes to being e-mailed about this handoff: the consent is recorded and the
   * address (from their last messages) is shown in the thread. False when no address was found.
   */
  async contactConsent(conversationId: string, source: string): Promise<boolean> {
    const record = await this.opts.repo.activeFor(conversationId);
    if (!record) return false;
    const texts = await this.opts.repo.customerTexts(record.id, 5);
    const email = texts.map((t) => EMAIL.exec(t)?.[0]).find(Boolean);
    if (!email) return false;
    // Said once in the thread: a resent "yes" finds the consent recorded and adds nothing.
    if (await this.opts.repo.recordContactConsent(record.id, source, this.now()))
      await this.postThread(
        record,
        `The customer agreed to be e-mailed about this request at ${email} (consent recorded).`,
      );
    return true;
  }

  /** A customer message while a person has the conversation: stored, then posted in the thread. */
  async customerMessage(conversationId: string, text: string, eventKey: string): Promise<void> {
    const record = await this.opts.repo.activeFor(conversationId);
    if (!record) return;
    const stored = await this.opts.repo.addMessage(record.id, { direction: 'customer', text, eventKey });
    if (!stored || !record.slackChannel || !record.slackTs) return; // the sweep posts it once announced
    await this.postCustomer(stored.id, record, text);
  }

  /** True when the Slack message is a handoff announcement (its thread relays to a customer). */
  async isHandoffThread(slackChannel: string, threadTs: string): Promise<boolean> {
    return (await this.opts.repo.byThread(slackChannel, threadTs)) !== null;
  }

  /** An allowed member's message in an announcement's thread: stored, then sent to the customer. */
  async agentReply(input: {
    slackChannel: string;
    threadTs: string;
    user: string;
    text: string;
    /** The Slack message ts: Slack's retries and duplicate events carry the same. */
    messageTs: string;
  }): Promise<AgentReplyOutcome> {
    const receivedAt = Date.now();
    const record = await this.opts.repo.byThread(input.slackChannel, input.threadTs);
    if (!record) return 'not_a_handoff';
    if (record.status === 'released') return 'closed';
    const author = await this.opts.slack.displayName(input.user);
    const stored = await this.opts.repo.addMessage(record.id, {
      direction: 'agent',
      author,
      text: input.text,
      eventKey: `slack:${input.messageTs}`,
    });
    if (!stored) return 'duplicate';
    // Writing in the thread takes the conversation: the queue shows who has it, and the customer
    // reads who joined before the first words.
    if (record.status === 'open') await this.claim(record.id, input.user);
    await this.send({
      messageId: stored.id,
      handoffId: record.id,
      channel: record.channel,
      conversationExternalId: record.conversationExternalId,
      direction: 'agent',
      author,
      text: input.text,
      receivedAt,
    });
    const at = this.now();
    if (await this.opts.repo.noteReply(record.id, at))
      this.opts.onFirstReply?.((at.getTime() - record.createdAt.getTime()) / 1000);
    return 'delivered';
  }

  /**
   * A message from another inbox (the admin API) as a named agent: sent to the customer like a
   * thread reply, and shown in the Slack thread so the team there sees it. `key` is the caller's
   * idempotency key.
   */
  async replyAs(
    handoffId: string,
    message: { author: string; text: string; key: string },
  ): Promise<'delivered' | 'duplicate' | 'closed' | 'not_found'> {
    const receivedAt = Date.now();
    const record = await this.opts.repo.get(handoffId);
    if (!record) return 'not_found';
    if (record.status === 'released') return 'closed';
    const stored = await this.opts.repo.addMessage(record.id, {
      direction: 'agent',
      author: message.author,
      text: message.text,
      eventKey: `api:${message.key}`,
    });
    if (!stored) return 'duplicate';
    if (record.status === 'open') await this.claim(record.id, `api:${message.author}`);
    await this.send({
      messageId: stored.id,
      handoffId: record.id,
      channel: record.channel,
      conversationExternalId: record.conversationExternalId,
      direction: 'agent',
      author: message.author,
      text: message.text,
      receivedAt,
    });
    const at = this.now();
    if (await this.opts.repo.noteReply(record.id, at))
      this.opts.onFirstReply?.((at.getTime() - record.createdAt.getTime()) / 1000);
    await this.postThread(record, `${message.author} (another inbox): ${message.text}`);
    return 'delivered';
  }

  /** A member takes the conversation; the announcement and the customer are told. */
  async claim(handoffId: string, user: string): Promise<HandoffRecord | null> {
    const record = await this.opts.repo.claim(handoffId, user, this.now());
    if (!record) return null;
    this.queueChanged();
    await this.refresh(record);
    await this.notify(record, 'handoff_claimed', `claimed:${user}`, { agent: await this.who(user) });
    return record;
  }

  /**
   * Ends a handoff (Close button, `/mkt close`, the admin API or the customer): the customer is told
   * the assistant is back, the announcement shows who closed it. Null when it was already closed.
   */
  async close(handoffId: string, by: string): Promise<HandoffRecord | null> {
    const record = await this.opts.repo.close(handoffId, by, this.now());
    if (!record) return null;
    this.queueChanged();
    await this.refresh(record);
    if (record.slackChannel && record.slackTs)
      await this.postThread(
        record,
        by === 'customer' ? 'The customer went back to the assistant.' : `Closed by ${await this.who(by)}.`,
      );
    if (by !== 'customer') await this.notify(record, 'handoff_closed', 'closed');
    return record;
  }

  /** The customer ended the handoff ("back to the bot") or deleted their data. */
  async customerLeft(conversationId: string, how: 'back_to_bot' | 'forgotten'): Promise<void> {
    const record = await this.opts.repo.activeFor(conversationId);
    if (!record) return;
    if (how === 'forgotten' && record.slackChannel && record.slackTs)
      await this.postThread(record, 'The customer asked us to delete their data; the conversation is gone.');
    await this.close(record.id, 'customer');
  }

  /** Messages for a conversation served afresh by this process (after a restart or a move). */
  async resume(channel: RelayMessage['channel'], conversationExternalId: string): Promise<RelayMessage[]> {
    const pending = await this.opts.repo.undelivered(channel, conversationExternalId);
    if (pending.length > 0)
      await this.opts.repo.markDelivered(
        pending.map((m) => m.messageId),
        this.now(),
      );
    return pending;
  }

  /**
   * Posts what a crash or a Slack outage left unposted, announces unannounced handoffs, and tells
   * customers who have waited longer than HANDOFF_WAIT_MINUTES.
   */
  async sweep(graceMs = 5_000): Promise<number> {
    const now = this.now().getTime();
    for (const record of await this.opts.repo.listActive(100)) {
      if (!record.slackTs && now - record.createdAt.getTime() > graceMs) await this.opened(record.id);
      const waitMs = (this.opts.waitMinutes ?? 0) * 60_000;
      if (waitMs > 0 && record.status === 'open' && now - record.createdAt.getTime() >= waitMs)
        await this.waited(record);
    }
    const due = await this.opts.repo.unposted(new Date(now - graceMs), 50);
    let posted = 0;
    for (const item of due) {
      if (!item.record.slackTs) {
        await this.opened(item.record.id);
        continue;
      }
      await this.postCustomer(item.messageId, item.record, item.text);
      posted++;
    }
    return posted;
  }

  /** Stops listening to the bus. */
  stop(): void {
    this.unsubscribe();
  }

  // Once per handoff (the notice's key is unique): the customer may leave a message and an e-mail.
  private async waited(record: HandoffRecord): Promise<void> {
    const minutes = String(this.opts.waitMinutes);
    const told = await this.notify(record, 'handoff_wait_exceeded', 'waited', { minutes });
    if (told)
      await this.postThread(
        record,
        `Unclaimed for ${minutes} minutes: the customer was asked to leave a message and, if they like, an e-mail address.`,
      );
  }

  private async postCustomer(messageId: string, record: HandoffRecord, text: string): Promise<void> {
    await this.postThread(record, `Customer: ${this.opts.maskPII(text)}`);
    await this.opts.repo.markPosted(messageId, this.now());
  }

  private async postThread(record: HandoffRecord, text: string): Promise<void> {
    if (!record.slackChannel || !record.slackTs) return;
    await this.opts.slack.postInThread(record.slackChannel, record.slackTs, text);
  }

  private async notify(
    record: HandoffRecord,
    name: string,
    eventKey: string,
    vars: Record<string, string> = {},
  ): Promise<boolean> {
    const notice = this.opts.notice(name, vars);
    const stored = await this.opts.repo.addMessage(record.id, {
      direction: 'notice',
      text: notice.text,
      eventKey,
    });
    if (!stored) return false;
    await this.send({
      messageId: stored.id,
      handoffId: record.id,
      channel: record.channel,
      conversationExternalId: record.conversationExternalId,
      direction: 'notice',
      text: notice.text,
      ...(notice.suggestions?.length ? { suggestions: notice.suggestions } : {}),
      receivedAt: Date.now(),
    });
    return true;
  }

  // Delivered here at once when this process holds the stream; the bus takes it to the others.
  private async send(message: RelayMessage): Promise<void> {
    if (this.opts.streams.deliver(message)) {
      await this.opts.repo.markDelivered([message.messageId], this.now());
      return;
    }
    await this.opts.bus.publish(message);
  }

  private onRelayed(message: RelayMessage): void {
    if (!this.opts.streams.deliver(message)) return;
    this.opts.repo.markDelivered([message.messageId], this.now()).catch((err: unknown) => {
      this.opts.logger.warn({ err, messageId: message.messageId }, 'handoff: could not mark delivered');
    });
  }

  private async refresh(record: HandoffRecord): Promise<void> {
    if (!record.slackChannel || !record.slackTs) return;
    const transcript = await this.opts.repo.transcript(record.id, ANNOUNCEMENT_CONTEXT);
    if (!transcript) return;
    await this.opts.slack.update(record.slackChannel, record.slackTs, this.view(record, transcript));
  }

  // Everyone in the handoff channel sees the announcement: it shows what a viewer may read.
  private view(record: HandoffRecord, transcript: HandoffTranscript): AnnouncementView {
    return announcementView(
      { ...transcript, record },
      { view: this.reading('viewer'), maskPII: this.opts.maskPII, language: 'English' },
    );
  }

  private queueChanged(): void {
    for (const listener of this.queueListeners) {
      try {
        listener();
      } catch (err) {
        this.opts.logger.warn({ err }, 'handoff: a queue listener failed');
      }
    }
  }

  // Slack members by their display name; agents of another inbox ("api:Anna") by theirs.
  private async who(by: string): Promise<string> {
    return /^U[A-Z0-9]+$/.test(by) ? this.opts.slack.displayName(by) : by.replace(/^api:/, '');
  }
}
