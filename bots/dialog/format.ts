// Prices for people, shared by the dialog's wording and the channels' cards.

// Building an Intl.NumberFormat costs far more than formatting with one (it was ~2 % of a chat
// turn's CPU with four cards a reply); a shop has a handful of currencies, so keep one per code.
const priceFormats = new Map<string, Intl.NumberFormat | null>();

function priceFormat(currency: string): Intl.NumberFormat | null {
  let format = priceFormats.get(currency);
  if (format === undefined) {
    try {
      format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    } catch {
      format = null; // not an ISO 4217 code
    }
    if (priceFormats.size < 64) priceFormats.set(currency, format);
  }
  return format;
}

/** Formats a price for people. */
export function formatPrice(amount: number, currency: string): string {
  return priceFormat(currency)?.format(amount) ?? `${amount.toFixed(2)} ${currency}`;
}
