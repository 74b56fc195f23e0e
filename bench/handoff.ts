// `npm run bench -- handoff [--customers 8] [--messages 200] [--gap-ms 20] [--db postgres|pglite]`
// Live handoff relay latency: from the moment a signed Slack Events API request (an agent's reply
// in an announcement's thread) is sent to the server, until the message arrives on the customer's
// Direct Line WebSocket stream. Full path: signature check, event de-duplication, thread lookup,
// the agent's name, storing the message (sealed), claim bookkeeping, the stream. The local Slack
// Web API stand-in answers the server's own calls.
// Baseline, same run and server: a signed Slack event the bot acknowledges and ignores (a message
// in a thread that is no handoff), from send to the HTTP 200 — the cost of the Slack ingress alone.
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { startChatServer } from '../test/bots/chat-server.js';
import { startFakeSlackApi } from '../test/bots/fake-slack-api.js';
import { SlackSender, until } from '../test/bots/slack-signing.js';
import { DirectLineConversation, HttpClient } from '../test/platform/directline-client.js';
import { percentile } from '../test/platform/shopper-loop.js';

const SECRET = 'bench-handoff-secret';
const CHANNEL = 'CBENCHHANDOFF';
const TARGET_P95_MS = 200;

function num(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const value = i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number`);
  return value;
}

const round = (x: number) => Math.round(x * 10) / 10;
const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? NaN),
  };
};

/** A customer in a handoff with a live stream; resolves waiters when a text arrives. */
interface Customer {
  threadTs: string;
  waiters: Map<string, (at: number) => void>;
  socket: WebSocket;
}

/** Runs the benchmark. */
export default async function (args: string[]): Promise<object> {
  const customers = num(args, 'customers', 8);
  const messages = num(args, 'messages', 200);
  const gapMs = num(args, 'gap-ms', 20);
  const dbArg = args.indexOf('--db') >= 0 ? args[args.indexOf('--db') + 1] : 'postgres';
  const db = dbArg === 'pglite' ? 'pglite' : 'postgres';
  const fake = await startFakeSlackApi();
  process.stderr.write(`starting server (${db})...\n`);
  const server = await startChatServer(db, {
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.url,
    SLACK_ALLOWED_TEAMS: 'T1',
    SLACK_ADMINS: 'T1:UBENCH',
    SLACK_HANDOFF_CHANNEL: CHANNEL,
  });
  const slack = new SlackSender(SECRET);
  const open: Customer[] = [];
  try {
    process.stderr.write(`opening ${customers} handoffs...\n`);
    for (let i = 0; i < customers; i++) {
      const c = new DirectLineConversation(new HttpClient(server.url), `dl_bench_handoff_${i}`);
      await c.open();
      await c.say('I want to talk to a person');
      const announced = await until(
        () =>
          fake.byMethod('chat.postMessage').filter((x) => x.args.channel === CHANNEL && !x.args.thread_ts)[i],
        30_000,
        `announcement ${i}`,
      );
      const waiters = new Map<string, (at: number) => void>();
      const socket = new WebSocket(c.streamUrl);
      socket.on('message', (data) => {
        const at = performance.now();
        const text = data.toString();
        if (!text) return;
        for (const a of (JSON.parse(text) as { activities: Array<{ text?: string }> }).activities)
          for (const [key, resolve] of waiters)
            if (a.text?.includes(key)) {
              waiters.delete(key);
              resolve(at);
            }
      });
      await new Promise<void>((ok, fail) => socket.once('open', () => ok()).once('error', fail));
      open.push({ threadTs: String(announced.result?.ts), waiters, socket });
    }

    // Warm-up: one relayed message per customer (claims the handoffs, fills the name cache).
    let seq = 0;
    const relay = async (customer: Customer): Promise<number> => {
      const key = `bench-msg-${++seq}`;
      const arrived = new Promise<number>((resolve) => customer.waiters.set(key, resolve));
      const t0 = performance.now();
      const { response } = await slack.event(server.url, {
        type: 'message',
        channel: CHANNEL,
        user: 'UBENCH',
        text: `${key}: your parcel left the warehouse today`,
        ts: `1700002000.${String(seq).padStart(6, '0')}`,
        thread_ts: customer.threadTs,
      });
      if (response.status !== 200) throw new Error(`Slack event answered ${response.status}`);
      const timeout = setTimeout(() => customer.waiters.get(key)?.(NaN), 10_000);
      const at = await arrived;
      clearTimeout(timeout);
      return at - t0;
    };
    for (const customer of open) await relay(customer);

    const baseline: number[] = [];
    const relayed: number[] = [];
    let lost = 0;
    process.stderr.write(`relaying ${messages} agent messages...\n`);
    for (let i = 0; i < messages; i++) {
      // Interleaved, so both see the same machine state.
      const t0 = performance.now();
      const { response } = await slack.event(server.url, {
        type: 'message',
        channel: CHANNEL,
        user: 'UBENCH',
        text: 'a thread that is not a handoff',
        ts: `1700003000.${String(i).padStart(6, '0')}`,
        thread_ts: '1600000000.000001',
      });
      if (response.status === 200) baseline.push(performance.now() - t0);
      const ms = await relay(open[i % open.length]!);
      if (Number.isNaN(ms)) lost++;
      else relayed.push(ms);
      if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
    }
    const relay95 = summary(relayed);
    return {
      benchmark: 'handoff relay: signed Slack thread reply -> customer Direct Line WebSocket',
      db,
      customers,
      messages,
      lost,
      relayMs: relay95,
      baseline: { what: 'signed Slack event acknowledged and ignored (ingress only)', ms: summary(baseline) },
      addedByRelayP95Ms: round(relay95.p95 - summary(baseline).p95),
      targetP95Ms: TARGET_P95_MS,
      meetsTarget: relay95.p95 <= TARGET_P95_MS && lost === 0,
    };
  } finally {
    for (const c of open) c.socket.close();
    await server.close();
    await fake.close();
  }
}
