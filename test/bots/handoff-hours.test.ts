// HANDOFF_HOURS: parsing (zod, clear messages) and evaluation in the configured time zone (Intl),
// across a daylight-saving change.
import { describe, expect, it } from 'vitest';
import { isWithinHours, ZBusinessHours } from '../../bots/handoff/hours.js';

const berlin = ZBusinessHours.parse('Mon-Fri 09:00-17:00 Europe/Berlin');

describe('business hours', () => {
  it('reads day ranges, windows and the time zone', () => {
    expect(berlin).toEqual({
      windows: [{ days: [1, 2, 3, 4, 5], from: 540, to: 1020 }],
      timeZone: 'Europe/Berlin',
      text: 'Mon-Fri 09:00-17:00 Europe/Berlin',
    });
    const two = ZBusinessHours.parse('Mon-Fri 08:30-18:00, Sat 10:00-14:00 America/New_York');
    expect(two.windows).toEqual([
      { days: [1, 2, 3, 4, 5], from: 510, to: 1080 },
      { days: [6], from: 600, to: 840 },
    ]);
    expect(ZBusinessHours.parse('Fri-Mon 20:00-23:00 UTC').windows[0]!.days).toEqual([5, 6, 0, 1]);
  });

  it('says what is wrong with a bad value', () => {
    const message = (v: string) => ZBusinessHours.safeParse(v).error?.issues[0]?.message;
    expect(message('Mon-Fri 09:00-17:00 Mars/Olympus')).toBe('unknown time zone "Mars/Olympus"');
    expect(message('Mon-Fry 09:00-17:00 UTC')).toMatch(/unknown day/);
    expect(message('Mon-Fri 17:00-09:00 UTC')).toMatch(/ends before it starts/);
    expect(message('weekdays 9 to 5 UTC')).toMatch(/cannot read/);
    expect(message('Mon-Fri 09:00-17:00')).toMatch(/unknown time zone|cannot read/);
  });

  it('is evaluated in the configured zone, daylight saving included', () => {
    // Winter (UTC+1): 08:30 UTC is 09:30 in Berlin on Wednesday 2026-01-14.
    expect(isWithinHours(berlin, new Date('2026-01-14T08:30:00Z'))).toBe(true);
    expect(isWithinHours(berlin, new Date('2026-01-14T07:59:00Z'))).toBe(false);
    expect(isWithinHours(berlin, new Date('2026-01-14T16:00:00Z'))).toBe(false); // 17:00, end excluded
    // Summer (UTC+2): 07:30 UTC is 09:30 in Berlin on Wednesday 2026-07-15.
    expect(isWithinHours(berlin, new Date('2026-07-15T07:30:00Z'))).toBe(true);
    expect(isWithinHours(berlin, new Date('2026-07-15T15:30:00Z'))).toBe(false);
    // Saturday, and Friday late evening UTC that is already Saturday in Berlin.
    expect(isWithinHours(berlin, new Date('2026-07-18T10:00:00Z'))).toBe(false);
    expect(isWithinHours(berlin, new Date('2026-07-17T22:30:00Z'))).toBe(false);
  });
});
