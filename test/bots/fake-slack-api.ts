// A local stand-in for the Slack Web API (Bolt's clientOptions.slackApiUrl points here). It answers
// the few methods the bot calls and records every call, including file upload bytes.
import { createServer, type Server } from 'node:http';
import { parse as parseQuery } from 'node:querystring';

/** One recorded Web API call. */
export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  bytes?: number;
  head?: Buffer;
  /** The whole upload (multipart): read the file with uploadedFile(). */
  body?: Buffer;
  /** What the fake answered (a posted message's ts, for threads). */
  result?: Record<string, unknown>;
}

/** A running fake. */
export interface FakeSlackApi {
  url: string;
  calls: RecordedCall[];
  byMethod(method: string): RecordedCall[];
  close(): Promise<void>;
}

/** Starts the fake on an ephemeral loopback port. */
export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  const calls: RecordedCall[] = [];
  let base = '';
  let posted = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const path = (req.url ?? '').split('?')[0]!;
      if (path.startsWith('/upload/')) {
        calls.push({
          method: 'upload',
          args: { path },
          bytes: raw.length,
          head: raw.subarray(0, 600),
          body: raw,
        });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
        return;
      }
      const method = path.replace(/^\/api\//, '');
      const type = req.headers['content-type'] ?? '';
      const args = type.includes('json')
        ? (JSON.parse(raw.toString() || '{}') as Record<string, unknown>)
        : (parseQuery(raw.toString()) as Record<string, unknown>);
      for (const key of ['blocks', 'view', 'files'])
        if (typeof args[key] === 'string') args[key] = JSON.parse(args[key] as string);
      const call: RecordedCall = { method, args };
      calls.push(call);
      call.result = answer(method, args);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(call.result));
    });
  });
  const answer = (method: string, args: Record<string, unknown>): Record<string, unknown> => {
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'mktbot' };
      // Channels named to fail as Slack does: the app is not a member / the channel is gone / refused.
      case 'chat.postMessage':
        if (args.channel === 'CNOTIN') return { ok: false, error: 'not_in_channel' };
        if (args.channel === 'CGONE') return { ok: false, error: 'channel_not_found' };
        if (args.channel === 'CREFUSED') return { ok: false, error: 'restricted_action' };
        // Unique per message, as Slack's are: a thread is found by its parent's ts.
        return {
          ok: true,
          channel: args.channel,
          ts: `${Math.floor(Date.now() / 1000)}.${String(++posted).padStart(6, '0')}`,
        };
      case 'users.info':
        return {
          ok: true,
          user: {
            id: args.user,
            name: `u${String(args.user).toLowerCase()}`,
            profile: { display_name: `Agent ${String(args.user)}`, real_name: '' },
          },
        };
      case 'files.getUploadURLExternal':
        return { ok: true, upload_url: `${base}/upload/F${calls.length}`, file_id: `F${calls.length}` };
      case 'files.completeUploadExternal':
        return { ok: true, files: [{ id: 'F1', title: 'chart' }] };
      default:
        return { ok: true };
    }
  };
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    url: `${base}/api/`,
    calls,
    byMethod: (m) => calls.filter((c) => c.method === m),
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** The file's text in a recorded multipart upload: what follows the part headers, up to the boundary. */
export function uploadedFile(call: RecordedCall): string {
  const raw = (call.body ?? Buffer.alloc(0)).toString('utf8');
  if (!raw.startsWith('--')) return raw;
  const boundary = raw.slice(0, raw.indexOf('\r\n'));
  const start = raw.indexOf('\r\n\r\n') + 4;
  const end = raw.indexOf(`\r\n${boundary}`, start);
  return raw.slice(start, end < 0 ? undefined : end);
}
