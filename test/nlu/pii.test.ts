import { describe, expect, it } from 'vitest';
import { detectPII, ibanValid, isCardNumber, luhnValid, maskPII, type PiiKind } from '../../nlu/index.js';

const kinds = (text: string) => detectPII(text).map((m) => `${m.kind}:${m.text}`);
const ofKind = (text: string, kind: PiiKind) => detectPII(text).filter((m) => m.kind === kind);

describe('e-mail', () => {
  it.each([
    ['write to jane.doe@example.com please', 'jane.doe@example.com'],
    ['JOHN+shop@Mail.Example.co.uk', 'JOHN+shop@Mail.Example.co.uk'],
    ['contact: a_b-c@sub-domain.io.', 'a_b-c@sub-domain.io'],
    ['<x.y@example.museum>', 'x.y@example.museum'],
    ['me@my-company.de, thanks', 'me@my-company.de'],
  ])('finds the address in %j', (text, address) => {
    expect(kinds(text)).toEqual([`email:${address}`]);
  });

  it.each(['user@localhost', 'hello @ world', 'price@ 20', '@handle on slack', 'foo@.com', 'a@b'])(
    'does not flag %j',
    (text) => {
      expect(ofKind(text, 'email')).toEqual([]);
    },
  );
});

describe('phone', () => {
  it.each([
    'call me on +44 20 7946 0958',
    'my number is (555) 123-4567',
    'tel 555-123-4567',
    '+1 415 555 2671 is my cell',
    '0049 30 1234567',
    '+33 6 12 34 56 78',
    'ring 020 7946 0958 after 6',
    '+41791234567',
    '07911 123456',
    '555.123.4567',
    '0612345678',
  ])('finds a phone number in %j', (text) => {
    expect(detectPII(text).map((m) => m.kind)).toEqual(['phone']);
  });

  it.each([
    'order 12345 has not arrived',
    'order #4471236 please',
    'between 20 and 30 euros',
    'on 2024-03-15 I bought it',
    'delivered 15/03/2024',
    'it costs 1,299.99',
    'price 1234.50',
    'version 1.2.3',
    'at 10:30 tomorrow',
    'size 42, 43 or 44',
    'NPS this month',
    'year 2023',
  ])('does not flag %j', (text) => {
    expect(detectPII(text)).toEqual([]);
  });
});

describe('payment card', () => {
  it('checks Luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('12a4')).toBe(false);
  });

  it.each([
    ['Visa', '4111 1111 1111 1111'],
    ['Visa dashes', '4012-8888-8888-1881'],
    ['Mastercard', '5555555555554444'],
    ['Mastercard 2-series', '2223003122003222'],
    ['Amex', '3782 822463 10005'],
    ['Discover', '6011111111111117'],
    ['JCB', '3530111333300000'],
    ['Diners', '30569309025904'],
  ])('finds a %s number', (_name, number) => {
    expect(kinds(`my card is ${number} thanks`)).toEqual([`credit_card:${number}`]);
    expect(isCardNumber(number)).toBe(true);
  });

  it.each([
    '4111 1111 1111 1112', // Luhn fails
    '1234 5678 9012 3456', // no issuer prefix
    '0000000000000000',
    '4111 1111 1111', // too short
  ])('does not flag %j as a card', (text) => {
    expect(ofKind(text, 'credit_card')).toEqual([]);
  });
});

describe('IBAN', () => {
  it.each([
    'GB82 WEST 1234 5698 7654 32',
    'DE89370400440532013000',
    'FR14 2004 1010 0505 0001 3M02 606',
    'NL91ABNA0417164300',
    'CH9300762011623852957',
    'be68539007547034',
  ])('finds %j', (iban) => {
    expect(ibanValid(iban)).toBe(true);
    expect(kinds(`pay to ${iban} today`)).toEqual([`iban:${iban}`]);
  });

  it.each(['GB82 WEST 1234 5698 7654 33', 'DE89370400440532013001', 'XX00 1234', 'NL91ABNA041716430'])(
    'rejects %j',
    (text) => {
      expect(ibanValid(text)).toBe(false);
      expect(ofKind(text, 'iban')).toEqual([]);
    },
  );
});

describe('maskPII', () => {
  it('masks every kind in one message and keeps the rest', () => {
    const text =
      'Hi, I am jane@example.com, phone +44 20 7946 0958, card 4111 1111 1111 1111, IBAN DE89370400440532013000. Order 12345.';
    expect(maskPII(text)).toBe('Hi, I am [EMAIL], phone [PHONE], card [CARD], IBAN [IBAN]. Order 12345.');
  });

  it('leaves ordinary marketing messages untouched', () => {
    for (const text of [
      'show me shoes under $50',
      'NPS this month',
      'between 20 and 30 euros',
      'size 42',
      '',
    ]) {
      expect(maskPII(text)).toBe(text);
    }
  });

  it('never throws on odd input', () => {
    const big = `${'lorem ipsum 123 '.repeat(6_000)} jane@example.com`;
    expect(maskPII(big).endsWith('[EMAIL]')).toBe(true);
    expect(maskPII('\u0000\u0007 😀 +44 20 7946 0958 😀')).toBe('\u0000\u0007 😀 [PHONE] 😀');
    expect(maskPII(undefined as unknown as string)).toBe('');
    expect(detectPII(null as unknown as string)).toEqual([]);
  });
});
