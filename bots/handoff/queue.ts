// The handoff queue as marketers read it (pure): one line per handoff with who, where, how long
// it has waited, who has it, and the link to its Slack thread; and the period's figures.
import type { HandoffStats, HandoffView } from '../ports.js';

/** "4 min", "2 h 05 min", "3 d". */
export function waitingTime(since: Date, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(minutes / (24 * 60))} d`;
}

/** One line of the queue (Slack mrkdwn). */
export function queueLine(h: HandoffView, index: number, now: Date): string {
  const who = h.customer ? `*${h.customer}*` : `anonymous ${h.channel} customer`;
  const state = h.status === 'claimed' ? `claimed by <@${h.claimedBy}>` : '*waiting*';
  const link = h.link ? ` · <${h.link}|thread>` : '';
  return `#${index + 1} ${who} (${h.channel}) · ${state} · ${waitingTime(h.createdAt, now)}${h.reason ? ` · ${h.reason}` : ''}${link}`;
}

/** The period's figures in one line. */
export function statsLine(stats: HandoffStats, period: string): string {
  const share = stats.resolvedShare === null ? 'n/a' : `${Math.round(stats.resolvedShare * 100)}%`;
  const reply = stats.firstReplySeconds
    ? `${formatSeconds(stats.firstReplySeconds.p50)} median, ${formatSeconds(stats.firstReplySeconds.p95)} p95`
    : 'n/a';
  return `${period}: ${stats.opened} handoff${stats.opened === 1 ? '' : 's'} · resolved ${share} · first agent reply ${reply}`;
}

function formatSeconds(s: number): string {
  return s < 90 ? `${Math.round(s)} s` : `${Math.round(s / 60)} min`;
}

/** A Slack link to a thread's parent message. */
export function slackThreadLink(channel: string, ts: string): string {
  return `https://slack.com/archives/${channel}/p${ts.replace('.', '')}`;
}
