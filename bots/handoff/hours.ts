// Business hours for live handoffs (HANDOFF_HOURS), e.g. "Mon-Fri 09:00-17:00 Europe/Berlin" or
// "Mon-Fri 09:00-17:00, Sat 10:00-14:00 Europe/Berlin": day ranges with a time window, then one
// IANA time zone. Parsed with zod at start (a typo stops the server naming the problem) and
// evaluated with Intl in that zone, so daylight saving time needs no code here.
import { z } from 'zod';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** One window: the days it applies to (0 = Sunday) and minutes since midnight [from, to). */
export interface HoursWindow {
  days: number[];
  from: number;
  to: number;
}

/** Parsed business hours. */
export interface BusinessHours {
  windows: HoursWindow[];
  timeZone: string;
  /** The text as configured, for messages to customers. */
  text: string;
}

const WINDOW = /^([A-Za-z]{3})(?:-([A-Za-z]{3}))?\s+(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

function day(name: string): number {
  return DAYS.findIndex((d) => d.toLowerCase() === name.toLowerCase());
}

/** Parses HANDOFF_HOURS; a zod schema so config errors name the variable and the reason. */
export const ZBusinessHours = z.string().transform((text, ctx): BusinessHours => {
  const trimmed = text.trim();
  const zone = /\s(\S+)$/.exec(trimmed);
  const fail = (message: string) => {
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  };
  if (!zone) return fail('expected e.g. "Mon-Fri 09:00-17:00 Europe/Berlin"');
  const timeZone = zone[1]!;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    return fail(`unknown time zone "${timeZone}"`);
  }
  const windows: HoursWindow[] = [];
  for (const part of trimmed.slice(0, zone.index).split(/[,;]/)) {
    const m = WINDOW.exec(part.trim());
    if (!m) return fail(`cannot read "${part.trim()}"; expected e.g. "Mon-Fri 09:00-17:00"`);
    const first = day(m[1]!);
    const last = m[2] ? day(m[2]) : first;
    if (first < 0 || last < 0) return fail(`unknown day in "${part.trim()}" (use Mon, Tue, ... Sun)`);
    const from = Number(m[3]) * 60 + Number(m[4]);
    const to = Number(m[5]) * 60 + Number(m[6]);
    if (Number(m[3]) > 24 || Number(m[5]) > 24 || Number(m[4]) > 59 || Number(m[6]) > 59 || to > 24 * 60)
      return fail(`bad time in "${part.trim()}"`);
    if (from >= to) return fail(`the window "${part.trim()}" ends before it starts`);
    const days: number[] = [];
    for (let d = first; ; d = (d + 1) % 7) {
      days.push(d);
      if (d === last) break;
    }
    windows.push({ days, from, to });
  }
  return { windows, timeZone, text: trimmed };
});

/** True when `at` falls inside the business hours, in their time zone. Pure. */
export function isWithinHours(hours: BusinessHours, at: Date): boolean {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: hours.timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = day(get('weekday'));
  const minute = Number(get('hour')) * 60 + Number(get('minute'));
  return hours.windows.some((w) => w.days.includes(weekday) && minute >= w.from && minute < w.to);
}
