// How a question names a customer: shared by the customer look-up and recommendations.

/** An e-mail address anywhere in a question. */
export const EMAIL = /[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}/i;

/** An e-mail, a "demo-respondent-012" reference, or a name after "customer", "for" or "is". */
export function customerReference(text: string): string | null {
  const email = EMAIL.exec(text);
  if (email) return email[0];
  const ref = /\b(demo-[a-z]+-\d+|[0-9a-f]{8}-[0-9a-f-]{27})\b/i.exec(text);
  if (ref) return ref[1]!;
  const named = /\b(?:customer|for|is|about)\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)+)/.exec(text);
  return named ? named[1]! : null;
}
