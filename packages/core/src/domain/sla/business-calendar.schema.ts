import { z } from 'zod';

/** Days of the week, as keys of `BusinessCalendar.weekly`. */
export const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const ZClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'expected HH:MM');

/** One open interval of a business day, local time in the calendar's timezone. */
export const ZBusinessInterval = z
  .object({ start: ZClockTime, end: ZClockTime })
  .refine((interval) => interval.start < interval.end, { message: 'start must be before end' });
export type BusinessInterval = z.infer<typeof ZBusinessInterval>;

/** When SLA clocks run (SPEC §6); an empty `weekly` object means 24×7. */
export const ZBusinessCalendar = z.object({
  timezone: z.string().min(1).refine(isValidTimezone, { message: 'unknown IANA timezone' }),
  weekly: z.partialRecord(z.enum(WEEKDAYS), z.array(ZBusinessInterval)),
  holidays: z.array(z.iso.date()),
});
export type BusinessCalendar = z.infer<typeof ZBusinessCalendar>;

/** Round-the-clock calendar: the default when a policy names none. */
export const ALWAYS_OPEN_CALENDAR: BusinessCalendar = { timezone: 'UTC', weekly: {}, holidays: [] };

function isValidTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}
