// `npm run bench -- chat [--conversations 50] [--seconds 30] [--db postgres|pglite]`
// Direct Line round trip on loopback: N conversations in parallel, each posting a customer message
// and waiting for the bot's reply on its WebSocket stream, with the full NLU, recommendation,
// survey and database path behind the bot. Reports p50/p95/p99 latency and errors.
import WebSocket from 'ws';
import { startChatServer } from '../test/bots/chat-server.js';

const MESSAGES = [
  'hi',
  'I need a warm jacket under 100',
  'more like this',
  'anything cheaper?',
  'what would you recommend for me',
  'show me waterproof boots below $80',
  'what goes with it',
  'help',
  'do you sell yoga mats',
  'thanks!',
];

function arg(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Conversation {
  id: string;
  token: string;
  ws: WebSocket;
  waiters: Map<string, (at: number) => void>;
}

/** Runs the benchmark. */
export default async function (args: string[]): Promise<object> {
  const n = Number(arg(args, 'conversations', '50'));
  const seconds = Number(arg(args, 'seconds', '30'));
  const db = arg(args, 'db', 'postgres') as 'postgres' | 'pglite';
  process.stderr.write(`starting server (${db})...\n`);
  const server = await startChatServer(db);
  const base = `${server.url}/v3/directline`;
  const post = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    return (await res.json()) as Record<string, string>;
  };

  const open = async (i: number): Promise<Conversation> => {
    const gen = await post('/tokens/generate', { user: { id: `dl_bench${String(i).padStart(4, '0')}` } });
    const conv = await post('/conversations', {}, gen.token);
    const ws = new WebSocket(conv.streamUrl!);
    const waiters = new Map<string, (at: number) => void>();
    ws.on('message', (data) => {
      const text = data.toString();
      if (!text) return;
      const set = JSON.parse(text) as {
        activities: Array<{ type: string; replyToId?: string; from: { id: string } }>;
      };
      for (const a of set.activities) {
        if (a.type === 'message' && a.from.id === 'bot' && a.replyToId)
          waiters.get(a.replyToId)?.(performance.now());
      }
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return { id: conv.conversationId!, token: conv.token!, ws, waiters };
  };

  process.stderr.write(`opening ${n} conversations...\n`);
  const conversations = await Promise.all(Array.from({ length: n }, (_, i) => open(i)));
  // Let the greetings (conversationUpdate turns) drain before measuring.
  await new Promise((r) => setTimeout(r, 2000));

  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  const fail = (kind: string) => (errors[kind] = (errors[kind] ?? 0) + 1);
  const deadline = performance.now() + seconds * 1000;
  process.stderr.write(`measuring for ${seconds} s...\n`);

  const loop = async (c: Conversation, offset: number) => {
    for (let k = offset; performance.now() < deadline; k++) {
      const text = MESSAGES[k % MESSAGES.length]!;
      const start = performance.now();
      try {
        const { id } = await post(
          `/conversations/${c.id}/activities`,
          { type: 'message', from: { id: 'x' }, text },
          c.token,
        );
        const replied = await new Promise<number>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('timeout')), 10_000);
          c.waiters.set(id!, (at) => {
            clearTimeout(timer);
            resolve(at);
          });
        });
        c.waiters.delete(id!);
        latencies.push(replied - start);
      } catch (err) {
        fail((err as Error).message.includes('timeout') ? 'reply timeout' : (err as Error).message);
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(conversations.map((c, i) => loop(c, i)));
  const elapsed = (performance.now() - t0) / 1000;
  for (const c of conversations) c.ws.close();
  await server.close();

  latencies.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    benchmark: 'Direct Line round trip (POST activity → bot reply on the WebSocket)',
    database: db,
    conversations: n,
    seconds: round(elapsed),
    turns: latencies.length,
    turnsPerSecond: round(latencies.length / elapsed),
    latencyMs: {
      p50: round(percentile(latencies, 50)),
      p95: round(percentile(latencies, 95)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies.at(-1) ?? NaN),
    },
    errors: Object.values(errors).reduce((a, b) => a + b, 0),
    errorKinds: errors,
    targetP95Ms: 150,
  };
}
