// Slack delivery that cannot vanish: an answer Slack refuses is not only logged. When the app is
// not in the channel (or the channel is gone), the answer goes to the asking member as a DM with
// the reason; any other refusal is shown to them (through the slash command's response_url when
// there is one, else by DM).

/** Errors after which the answer is sent to the member's DM instead. */
export const DM_FALLBACK_ERRORS: ReadonlySet<string> = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
]);

/** Slack's error code of a Web API failure ("not_in_channel"), or undefined for other errors. */
export function slackErrorCode(err: unknown): string | undefined {
  const data = (err as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** Where an answer goes and who asked. */
export interface AnswerTarget {
  channel: string;
  user: string;
  /** The slash command's response_url responder (Bolt's `respond`), when the answer is to a command. */
  respond?: (message: { response_type: 'ephemeral'; text: string }) => Promise<unknown>;
}

/**
 * Sends with `send(channel, note)`; on a refusal sends again to the member's DM (channel = user id)
 * with a note saying why, or tells them the error. Errors that are not Slack refusals propagate.
 */
export async function deliverOrFallBack(
  target: AnswerTarget,
  send: (channel: string, note?: string) => Promise<void>,
): Promise<'channel' | 'dm' | 'told'> {
  try {
    await send(target.channel);
    return 'channel';
  } catch (err) {
    const code = slackErrorCode(err);
    if (!code) throw err;
    if (DM_FALLBACK_ERRORS.has(code) && target.channel !== target.user) {
      await send(
        target.user,
        `I couldn't post in <#${target.channel}> (${code}); invite me there with \`/invite @mkt\`. Here is the answer:`,
      );
      return 'dm';
    }
    const text = `Slack refused my answer (${code}). Please try again, or ask an admin to check the app's permissions.`;
    if (target.respond) await target.respond({ response_type: 'ephemeral', text });
    else await send(target.user, text);
    return 'told';
  }
}
