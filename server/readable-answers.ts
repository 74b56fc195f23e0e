// Free-text survey answers as the people allowed to read comments (marketer and admin roles, the
// operator's CLI) see them: decrypted, with e-mails, phone, card and IBAN numbers masked. Viewers
// get no text at all (redactedAnswers), so nothing personal is even decrypted for them.
import { maskPII } from '../nlu/index.js';
import type { TextCipher } from '../prisma/repositories/index.js';
import type { FieldCipher } from './security/index.js';

/** Decrypts Answer.text (plain text from before encryption passes through) and masks PII. Read-only. */
export function readableAnswers(cipher: Pick<FieldCipher, 'decrypt' | 'isEncrypted'>): TextCipher {
  return {
    encrypt: () => {
      throw new Error('readable answers are for reading only');
    },
    decrypt: (stored) => maskPII(cipher.isEncrypted(stored) ? cipher.decrypt(stored, 'Answer.text') : stored),
  };
}

/** Every free text replaced by a marker (for roles that may see counts only). */
export const redactedAnswers: TextCipher = {
  encrypt: () => {
    throw new Error('redacted answers are for reading only');
  },
  decrypt: () => '[hidden]',
};
