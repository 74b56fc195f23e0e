// Reads an order number and an e-mail address out of a message ("it's NW-10042,
// alex@example.com"). Pure.

/** What a message says about the order it asks for. */
export interface OrderQuery {
  number: string | null;
  email: string | null;
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/u;
// Shop order numbers: digits with an optional prefix of letters and dashes ("NW-10042",
// "#10042", "order-2024-0007"); four digits at least, so sizes and prices are not taken for one.
const NUMBER = /(?:^|[\s#:(])((?:[A-Za-z]+-)*[A-Za-z]*-?\d{4,12}(?:-\d+)*)(?=$|[\s.,;:!?)])/;

/** The order number and e-mail address in a message, when there are. */
export function readOrderQuery(text: string): OrderQuery {
  const email = EMAIL.exec(text)?.[0] ?? null;
  const rest = email ? text.replace(email, ' ') : text;
  return { number: NUMBER.exec(rest)?.[1] ?? null, email };
}
