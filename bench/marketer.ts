// `npm run bench -- marketer [--split validation|all] [--only N]`
// Marketer questions in plain English, end to end as `npm start` runs them: a fresh server
// process (fresh DATA_DIR, empty PostgreSQL database, demo data seeded at start) with Slack in
// HTTP mode pointed at the local Web API stand-in (test/bots/fake-slack-api.ts). Each question is
// a signed /mkt command, app mention or DM; the answer (message, chart or CSV upload) is checked
// against figures the benchmark computes with its own SQL. Prints task success per split.
import { startFakeSlackApi, type FakeSlackApi, type RecordedCall } from '../test/bots/fake-slack-api.js';
import { slackSignature } from '../test/bots/slack-signing.js';
import { prepareServerGround } from '../test/support/server-ground.js';
import { ChildServer } from '../test/support/server-process.js';
import { isValidation, MARKETER_CASES, type BotReply, type MarketerCase } from './_marketer-cases.js';
import { Truth } from './_marketer-truth.js';

const SECRET = 'marketer-bench-signing-secret';
const TEAM = 'T1';

function arg(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
}

async function send(base: string, c: MarketerCase, channel: string, n: number): Promise<number> {
  let body: string;
  let type: string;
  if (c.via === 'slash') {
    body = new URLSearchParams({
      command: '/mkt',
      text: c.q,
      team_id: TEAM,
      user_id: c.user,
      channel_id: channel,
      response_url: `${base}/nowhere`,
      trigger_id: `t${n}`,
    }).toString();
    type = 'application/x-www-form-urlencoded';
  } else {
    const event =
      c.via === 'mention'
        ? {
            type: 'app_mention',
            user: c.user,
            text: `<@UBOT> ${c.q}`,
            channel,
            ts: `${1_700_000_000 + n}.0001`,
            team: TEAM,
          }
        : {
            type: 'message',
            channel_type: 'im',
            user: c.user,
            text: c.q,
            channel,
            ts: `${1_700_000_000 + n}.0002`,
            team: TEAM,
          };
    body = JSON.stringify({
      type: 'event_callback',
      team_id: TEAM,
      event_id: `Ev${n}`,
      event_time: 1_700_000_000 + n,
      event,
    });
    type = 'application/json';
  }
  const res = await fetch(`${base}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': type, ...slackSignature(SECRET, body) },
    body,
  });
  return res.status;
}

/** The bot's answer in one channel: a message, or an upload (its bytes and completion). */
async function replyIn(fake: FakeSlackApi, channel: string, timeoutMs: number): Promise<BotReply | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const msg = fake.calls.find((c) => c.method === 'chat.postMessage' && c.args.channel === channel);
    if (msg) return { text: String(msg.args.text ?? ''), blocks: JSON.stringify(msg.args.blocks ?? []) };
    const done = fake.calls.find(
      (c) => c.method === 'files.completeUploadExternal' && JSON.stringify(c.args).includes(channel),
    );
    if (done) return uploadReply(fake, done);
    await new Promise((r) => setTimeout(r, 50));
  }
  return null;
}

function uploadReply(fake: FakeSlackApi, done: RecordedCall): BotReply {
  const files = (done.args.files ?? []) as { id?: string; title?: string }[];
  const id = files[0]?.id ?? '';
  const upload =
    fake.calls.find((c) => c.method === 'upload' && String(c.args.path).endsWith(`/${id}`)) ??
    fake.byMethod('upload').at(-1);
  const head = upload?.head ?? Buffer.alloc(0);
  return {
    text: String(done.args.initial_comment ?? ''),
    blocks: JSON.stringify(done.args),
    upload: {
      title: files[0]?.title ?? '',
      png: head.includes(Buffer.from([0x89, 0x50, 0x4e, 0x47])),
      head: head.toString('utf8'),
    },
  };
}

export default async function run(args: string[]): Promise<object> {
  const split = arg(args, 'split', 'all');
  const only = Number(arg(args, 'only', '0'));
  const fake = await startFakeSlackApi();
  const ground = await prepareServerGround('marketer-bench');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  let server: ChildServer | undefined;
  try {
    const started = Date.now();
    server = await ChildServer.start({
      env: {
        DATABASE_URL: ground.databaseUrl,
        DATA_DIR: ground.dataDir,
        SEED_DEMO: 'true',
        SLACK_BOT_TOKEN: 'xoxb-bench',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: fake.url,
        SLACK_ALLOWED_TEAMS: TEAM,
        SLACK_ADMINS: `${TEAM}:UADMIN`,
      },
      readyTimeoutMs: 900_000,
    });
    log(`server ready in ${Math.round((Date.now() - started) / 1000)} s`);
    const db = await ground.database();
    const truth = new Truth(db.prisma);
    // Profiles are built by the queued profiles.recompute after the seed: wait for it.
    const deadline = Date.now() + 600_000;
    for (;;) {
      const [profiles, members] = await Promise.all([
        db.prisma.profile.count(),
        db.prisma.segmentMember.count(),
      ]);
      if (profiles > 100 && members > 0) break;
      if (Date.now() > deadline) throw new Error('demo profiles were not computed in time');
      await new Promise((r) => setTimeout(r, 500));
    }
    log(`profiles ready after ${Math.round((Date.now() - started) / 1000)} s`);
    // Members with stored roles (admins come from SLACK_ADMINS).
    await db.prisma.slackMember.createMany({
      data: [
        { teamId: TEAM, userId: 'UMKT', role: 'marketer' },
        { teamId: TEAM, userId: 'UVIEW', role: 'viewer' },
      ],
    });
    const now = new Date();
    const results: { i: number; q: string; validation: boolean; ok: boolean; why?: string; ms: number }[] =
      [];
    for (const [i, c] of MARKETER_CASES.entries()) {
      if (split === 'validation' && !isValidation(i)) continue;
      if (only && i !== only - 1) continue;
      const channel = `C${String(i).padStart(4, '0')}${c.via === 'dm' ? 'D' : ''}`;
      const t0 = Date.now();
      const status = await send(server.url, c, channel, i);
      const reply = status === 200 ? await replyIn(fake, channel, 60_000) : null;
      const why = !reply ? `no reply (HTTP ${status})` : await c.check(reply, { truth, now });
      results.push({
        i,
        q: c.q,
        validation: isValidation(i),
        ok: why === null,
        ...(why ? { why } : {}),
        ms: Date.now() - t0,
      });
      log(`${why === null ? 'ok  ' : 'FAIL'} ${i} ${c.q}${why ? ` -> ${why}` : ''}`);
    }
    const score = (rows: typeof results) => ({
      cases: rows.length,
      passed: rows.filter((r) => r.ok).length,
      taskSuccess: rows.length
        ? Math.round((1000 * rows.filter((r) => r.ok).length) / rows.length) / 1000
        : null,
    });
    const stored = await truth.storedMarketerMessages();
    const ms = results.map((r) => r.ms).sort((a, b) => a - b);
    return {
      benchmark: 'marketer questions through signed Slack requests (fresh npm start with demo data)',
      split,
      development: score(results.filter((r) => !r.validation)),
      validation: score(results.filter((r) => r.validation)),
      all: score(results),
      medianAnswerMs: ms[Math.floor(ms.length / 2)] ?? null,
      marketerMessagesStored: stored,
      failures: results.filter((r) => !r.ok).map(({ i, q, why }) => ({ i, q, why })),
    };
  } finally {
    await server?.stop();
    await ground.close();
    await fake.close();
  }
}
