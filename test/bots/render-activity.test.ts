// Reply rendering: prices on product cards (formatters are reused per currency) and quick replies.
import { describe, expect, it } from 'vitest';
import { formatPrice, productCard, replyToActivity } from '../../bots/dialog/render-activity.js';

describe('render-activity', () => {
  it('formats prices per currency, repeatedly, and falls back for codes Intl does not know', () => {
    expect(formatPrice(79.5, 'USD')).toBe('$79.50');
    expect(formatPrice(1234, 'EUR')).toBe('€1,234.00');
    expect(formatPrice(5, 'USD')).toBe('$5.00');
    expect(formatPrice(12.5, 'not-a-code')).toBe('12.50 not-a-code');
    expect(formatPrice(3, 'not-a-code')).toBe('3.00 not-a-code');
  });

  it('renders products as a carousel of hero cards with price and both buttons', () => {
    const card = productCard({
      sku: 'J-1',
      name: 'Alpine Shell',
      price: 99,
      currency: 'USD',
      reason: 'warm',
    });
    expect(card.content).toMatchObject({ title: 'Alpine Shell', subtitle: '$99.00', text: 'warm' });
    const activity = replyToActivity({
      kind: 'products',
      text: 'Here is what I found:',
      products: [{ sku: 'J-1', name: 'Alpine Shell', price: 99, currency: 'USD' }],
      suggestions: [{ title: 'Help', text: 'Help' }],
    });
    expect(activity.attachmentLayout).toBe('carousel');
    expect(activity.attachments).toHaveLength(1);
    expect(activity.suggestedActions?.actions.map((a) => a.title)).toEqual(['Help']);
  });
});
