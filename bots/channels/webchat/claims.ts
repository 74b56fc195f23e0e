// Idempotent messages: a client that resends an activity (a timeout, a failover to another server)
// sends the same channelData.clientActivityID, and the first process to claim that id runs the turn;
// every retry gets the original activity id back instead of a second answer. The in-memory store
// serves one process; the server passes a Redis one so every process shares the claims.

/** The outcome of claiming a client activity id. */
export type ClaimResult = { won: true } | { won: false; id: string | undefined };

/** Claims on client activity ids, each kept for `ttlMs`. */
export interface ActivityClaims {
  /** Claims `key`; when someone already holds it, returns their activity id (once it is known). */
  claim(key: string, ttlMs: number): Promise<ClaimResult>;
  /** Records the activity id of a won claim, for the retries. */
  settle(key: string, id: string, ttlMs: number): Promise<void>;
  /** Gives a claim up (the turn could not run), so a retry runs it. */
  release(key: string): Promise<void>;
}

/** Pending marker of a claim whose activity id is not known yet. */
export const PENDING = '';

/** Claims held in this process (bounded; the oldest go first). */
export function memoryActivityClaims(maxEntries = 50_000): ActivityClaims {
  const claims = new Map<string, { id: string; expiresAt: number }>();
  const live = (key: string) => {
    const entry = claims.get(key);
    if (entry && entry.expiresAt <= Date.now()) claims.delete(key);
    return claims.get(key);
  };
  return {
    async claim(key, ttlMs) {
      const held = live(key);
      if (held) return { won: false, id: held.id === PENDING ? undefined : held.id };
      if (claims.size >= maxEntries) claims.delete(claims.keys().next().value!);
      claims.set(key, { id: PENDING, expiresAt: Date.now() + ttlMs });
      return { won: true };
    },
    async settle(key, id, ttlMs) {
      claims.set(key, { id, expiresAt: Date.now() + ttlMs });
    },
    async release(key) {
      claims.delete(key);
    },
  };
}
