import { createHash, randomBytes } from 'node:crypto';
import type { PrismaClient, Role } from '../../prisma/index.js';

// API keys: "mkt_<8 chars>_<secret>". The key is shown once at creation; the database keeps its
// SHA-256 (a fast hash is right here: the key has 256 random bits, so there is nothing to guess)
// and the public prefix, which identifies the key in lists and logs.

const FORMAT = /^mkt_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

/** A newly generated key: `key` is shown once, `hash` and `prefix` are stored. */
export interface GeneratedApiKey {
  key: string;
  prefix: string;
  hash: string;
}

/** SHA-256 of a key, hex. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Generates a key. */
export function generateApiKey(): GeneratedApiKey {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const prefixId = [...randomBytes(8)].map((byte) => alphabet[byte % alphabet.length]).join('');
  const key = `mkt_${prefixId}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix: `mkt_${prefixId}`, hash: hashApiKey(key) };
}

/** True when the text has the shape of one of our keys (cheap check before a database lookup). */
export function looksLikeApiKey(text: string): boolean {
  return FORMAT.test(text);
}

/** The caller an API key stands for. */
export interface ApiKeyPrincipal {
  id: string;
  name: string;
  prefix: string;
  role: Role;
}

/** A key as listed (never the hash or the key). */
export interface ApiKeySummary extends ApiKeyPrincipal {
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** API keys stored in the database. */
export interface ApiKeyStore {
  create(name: string, role: Role): Promise<{ key: string; summary: ApiKeySummary }>;
  verify(key: string): Promise<ApiKeyPrincipal | undefined>;
  list(): Promise<ApiKeySummary[]>;
  /** Returns false when no such active key exists. */
  revoke(id: string): Promise<boolean>;
}

const summaryFields = {
  id: true,
  name: true,
  prefix: true,
  role: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

/** API keys over Prisma; `lastUsedAt` is written at most once a minute per key. */
export function createApiKeyStore(
  prisma: PrismaClient,
  options: { touchEveryMs?: number } = {},
): ApiKeyStore {
  const touchEveryMs = options.touchEveryMs ?? 60_000;
  return {
    async create(name, role) {
      const generated = generateApiKey();
      const summary = await prisma.apiKey.create({
        data: { name, role, hash: generated.hash, prefix: generated.prefix },
        select: summaryFields,
      });
      return { key: generated.key, summary };
    },
    async verify(key) {
      if (!looksLikeApiKey(key)) return undefined;
      const found = await prisma.apiKey.findUnique({
        where: { hash: hashApiKey(key) },
        select: summaryFields,
      });
      if (!found || found.revokedAt) return undefined;
      if (!found.lastUsedAt || Date.now() - found.lastUsedAt.getTime() > touchEveryMs) {
        await prisma.apiKey.update({ where: { id: found.id }, data: { lastUsedAt: new Date() } });
      }
      return { id: found.id, name: found.name, prefix: found.prefix, role: found.role };
    },
    list: () => prisma.apiKey.findMany({ select: summaryFields, orderBy: { createdAt: 'asc' } }),
    async revoke(id) {
      const result = await prisma.apiKey.updateMany({
        where: { id, revokedAt: null },
        data: { revokedAt: new Date() },
      });
      return result.count > 0;
    },
  };
}
