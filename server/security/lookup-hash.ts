import { createHmac, hkdfSync } from 'node:crypto';

// Keyed hashes let the database find a customer by e-mail without storing it in clear text:
// Customer.emailHash = HMAC-SHA256(lookup key, normalised e-mail). A plain hash would be open to
// a dictionary attack over known addresses; the key makes it useless without the secret.

/** Lower-cases, trims and Unicode-normalises an e-mail so that equal addresses hash equally. */
export function normaliseEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}

/** A dedicated lookup key derived from the encryption key (never the same bytes for two purposes). */
export function deriveLookupKey(encryptionKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', encryptionKey, Buffer.alloc(0), 'mkt lookup hash v1', 32));
}

/** Keyed hashes for lookups. */
export interface LookupHasher {
  /** hex HMAC of the normalised e-mail */
  email(email: string): string;
}

/** Builds the hasher over a 32-byte lookup key. */
export function createLookupHasher(lookupKey: Buffer): LookupHasher {
  return {
    email: (email) =>
      createHmac('sha256', lookupKey)
        .update(`email:${normaliseEmail(email)}`)
        .digest('hex'),
  };
}
