import type { PrismaClient } from '../prisma/index.js';
import type { FieldCipher } from './security/index.js';
import { PrismaPrivacy } from '../prisma/repositories/index.js';

/** The field cipher bound to the context under which chat message texts are sealed. */
export function messageCipher(cipher: FieldCipher): {
  encrypt(s: string): string;
  decrypt(s: string): string;
} {
  return {
    encrypt: (s) => cipher.encrypt(s, 'Message.text'),
    decrypt: (s) => cipher.decrypt(s, 'Message.text'),
  };
}

/** Export and erasure of a customer's data, shared by the chat, the admin API and the CLI. */
export function createPrivacy(prisma: PrismaClient, cipher: FieldCipher): PrismaPrivacy {
  return new PrismaPrivacy({
    prisma,
    cipher: messageCipher(cipher),
    answerCipher: {
      encrypt: (s) => cipher.encrypt(s, 'Answer.text'),
      decrypt: (s) => cipher.decrypt(s, 'Answer.text'),
    },
    openField: (sealed, context) => cipher.decrypt(sealed, context),
  });
}
