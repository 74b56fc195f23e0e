// Shapes of the Direct Line 3.0 requests this server accepts. Loose where the client sends extra
// fields (Web Chat adds channelData, entities, locale...), strict where the bot relies on a value.
import { z } from 'zod';

/** Longest text a user may send in one message. */
export const MAX_TEXT_LENGTH = 4000;
/** Largest serialised activity accepted. */
export const MAX_ACTIVITY_BYTES = 32 * 1024;

/**
 * Body of POST /tokens/generate (optional). `user.id` is accepted for compatibility with Direct Line
 * clients but never trusted: the server decides the user id (see identity.ts). A shop that signs
 * its users in passes `userToken`, an HS256 JWT signed with SHOP_USER_TOKEN_SECRET.
 */
export const ZTokenRequest = z
  .object({
    user: z
      .object({
        id: z.string().max(128).optional(),
        name: z.string().max(100).optional(),
      })
      .passthrough()
      .optional(),
    userToken: z.string().min(1).max(4096).optional(),
  })
  .passthrough();

/** An inbound activity (POST /conversations/:id/activities). */
export const ZInboundActivity = z
  .object({
    type: z.enum(['message', 'event', 'typing', 'conversationUpdate', 'invoke']),
    id: z.string().max(128).optional(),
    text: z.string().max(MAX_TEXT_LENGTH, `text longer than ${MAX_TEXT_LENGTH} characters`).optional(),
    textFormat: z.string().max(20).optional(),
    locale: z.string().max(20).optional(),
    from: z
      .object({
        id: z.string().max(128),
        name: z.string().max(100).optional(),
        role: z.string().max(20).optional(),
      })
      .passthrough(),
    value: z.unknown().optional(),
    name: z.string().max(100).optional(),
    attachments: z
      .array(
        z
          .object({
            contentType: z.string().max(200),
            contentUrl: z.string().max(2000).optional(),
            name: z.string().max(200).optional(),
          })
          .passthrough(),
      )
      .max(10)
      .optional(),
    channelData: z.record(z.string(), z.unknown()).optional(),
    entities: z.array(z.unknown()).max(20).optional(),
  })
  .passthrough();

/** A validated inbound activity. */
export type InboundActivity = z.infer<typeof ZInboundActivity>;

/** Query of GET activities and of the stream: nothing else, and each at most once. */
export const ZWatermarkQuery = z
  .object({
    watermark: z
      .string()
      // Watermarks start from the clock in milliseconds (13 digits); 15 stays a safe integer.
      .regex(/^(-|\d{0,15})$/)
      .optional(),
    t: z.string().max(4096).optional(),
  })
  .strict();
/** Query of GET activities and of the stream. */
export type WatermarkQuery = z.infer<typeof ZWatermarkQuery>;

/** Turns the first zod issue into a reason a client developer can act on. */
export function reasonOf(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid activity';
  const path = issue.path.length > 0 ? issue.path.join('.') : 'body';
  return `${path}: ${issue.message}`;
}
