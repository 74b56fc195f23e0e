// The fast subset of the conversation benchmark (cases marked `fast: true` in
// bench/conversations/*.yml), end to end through Direct Line against a started chat server with
// the real dialog, NLU, product index and PostgreSQL. The full set: npm run bench -- conversations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatServer, type ChatServer } from './chat-server.js';
import { loadCases } from './conversation-cases.js';
import { runCases } from './conversation-runner.js';

let server: ChatServer;

beforeAll(async () => {
  server = await startChatServer('postgres');
}, 600_000); // a cold model cache on a loaded machine: training and seeding beside other servers

afterAll(async () => {
  await server?.close();
});

describe('scripted conversations (fast subset)', () => {
  const cases = loadCases().filter((c) => c.fast);

  it('has a fast subset from every group, and the case files are valid', () => {
    const all = loadCases();
    expect(all.length).toBeGreaterThanOrEqual(200);
    const validation = all.filter((c) => c.split === 'validation').length / all.length;
    expect(validation).toBeGreaterThanOrEqual(0.24);
    expect(new Set(cases.map((c) => c.group))).toEqual(new Set(all.map((c) => c.group)));
  });

  it('every fast case succeeds', async () => {
    const results = await runCases(cases, { url: server.url, prisma: server.db.prisma }, { concurrency: 3 });
    expect(results.filter((r) => !r.ok).map((r) => `${r.group}/${r.id}: ${r.failure}`)).toEqual([]);
  }, 300_000);
});
