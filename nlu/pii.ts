// Personal data detectors (e-mail, phone, payment card, IBAN) and maskPII(), used before text is
// logged or stored. Masking errs on the side of masking: a false positive costs a few characters of
// a log line, a false negative leaks personal data. Checksums (Luhn, IBAN mod-97) keep card and
// IBAN detection precise; they are a few lines each, so no library is pulled in for them.

/** Kinds of personal data detected. */
export type PiiKind = 'email' | 'phone' | 'credit_card' | 'iban';

/** One detected span. */
export interface PiiMatch {
  readonly kind: PiiKind;
  /** Start offset in the input (UTF-16 code units). */
  readonly start: number;
  /** End offset (exclusive). */
  readonly end: number;
  readonly text: string;
}

const EMAIL =
  /[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}\b/g;
// Digits grouped by single spaces or dashes: 13–19 digits for cards.
const CARD = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
// Two letters, two check digits, then 11–30 alphanumerics, optionally in groups of four.
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/gi;
// A phone candidate: optional + or 00, then digits with spaces, dots, dashes, slashes or parentheses.
const PHONE = /(?<![\w+])(?:\+|00)?\(?\d[\d\s().\-/]{5,22}\d(?!\w)/g;

/** Luhn checksum of a digit string (payment cards). */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

// Issuer prefixes of the major card networks (Visa, Mastercard, Amex, Discover, JCB, Diners,
// UnionPay, Maestro): with Luhn they keep 16-digit order numbers from being masked as cards.
const CARD_PREFIX = /^(4|5[1-5]|2[2-7]|3[47]|6011|64[4-9]|65|35|30[0-5]|36|38|62|50|5[6-9]|6[37])/;

/** A payment card number: 13–19 digits, known issuer prefix, valid Luhn checksum. */
export function isCardNumber(text: string): boolean {
  const digits = text.replace(/[ -]/g, '');
  return digits.length >= 13 && digits.length <= 19 && CARD_PREFIX.test(digits) && luhnValid(digits);
}

/** IBAN check (ISO 13616): country letters, then mod-97 of the rearranged number equals 1. */
export function ibanValid(text: string): boolean {
  const iban = text.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  // Letters become two digits (A=10 … Z=35); the remainder is folded digit by digit to stay in range.
  for (const ch of rearranged) {
    const value = ch >= 'A' ? (ch.charCodeAt(0) - 55).toString() : ch;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/** Whether a candidate looks like a phone number rather than a date, price, time or version. */
export function isPhoneNumber(text: string): boolean {
  const trimmed = text.trim();
  const digits = trimmed.replace(/\D/g, '');
  const international = /^(\+|00)/.test(trimmed);
  if (digits.length < (international ? 8 : 7) || digits.length > 15) return false;
  if (/^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$/.test(trimmed) || /^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$/.test(trimmed))
    return false; // dates
  if (/^\d{1,3}(,\d{3})*(\.\d{1,2})?$/.test(trimmed) || /^\d+\.\d{1,2}$/.test(trimmed)) return false; // amounts
  if (/^\d+(\.\d+){2,}$/.test(trimmed) && digits.length < 10) return false; // versions / IP-like dotted groups
  const groups = trimmed.split(/[\s().\-/]+/).filter(Boolean);
  // An unbroken run of 7–15 digits is a phone only with a + prefix or at least 10 digits (national
  // numbers with area code); shorter bare runs are usually order or customer numbers.
  if (groups.length === 1 && !international && digits.length < 10) return false;
  return true;
}

/** Finds personal data spans, longest and most specific first (card and IBAN before phone). */
export function detectPII(text: string): PiiMatch[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const found: PiiMatch[] = [];
  const taken = (start: number, end: number) => found.some((m) => start < m.end && end > m.start);
  const collect = (kind: PiiKind, pattern: RegExp, valid: (s: string) => boolean) => {
    for (const match of text.matchAll(pattern)) {
      let value = match[0];
      let start = match.index;
      // Trim separators the pattern may have swallowed at the edges.
      const lead = /^[\s.\-/]+/.exec(value)?.[0].length ?? 0;
      value = value.slice(lead).replace(/[\s.\-/]+$/, '');
      start += lead;
      // A greedy match may run into the next word ("DE89… today"): drop trailing words until valid.
      while (value && !valid(value) && /\s/.test(value)) value = value.replace(/\s+\S*$/, '');
      const end = start + value.length;
      if (value && valid(value) && !taken(start, end)) found.push({ kind, start, end, text: value });
    }
  };
  collect('email', EMAIL, () => true);
  collect('iban', IBAN, ibanValid);
  collect('credit_card', CARD, isCardNumber);
  collect('phone', PHONE, isPhoneNumber);
  return found.sort((a, b) => a.start - b.start);
}

/** Placeholder written instead of each kind. */
export const PII_PLACEHOLDERS: Readonly<Record<PiiKind, string>> = {
  email: '[EMAIL]',
  phone: '[PHONE]',
  credit_card: '[CARD]',
  iban: '[IBAN]',
};

/** Replaces every detected e-mail, phone, card number and IBAN with a placeholder. */
export function maskPII(text: string): string {
  if (typeof text !== 'string') return '';
  let out = '';
  let cursor = 0;
  for (const match of detectPII(text)) {
    out += text.slice(cursor, match.start) + PII_PLACEHOLDERS[match.kind];
    cursor = match.end;
  }
  return out + text.slice(cursor);
}
