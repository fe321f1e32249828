import { type BusinessCalendar, WEEKDAYS, type Weekday, ZBusinessCalendar } from '@atum-desk/core/domain';

// The business calendar editor of the SLA policy form (SPEC §6): one text field per weekday with its
// open hours ("09:00-12:00, 13:00-17:00", empty when closed), a "round the clock" switch for 24×7, and
// the holidays one per line. Parsed into the domain's BusinessCalendar and checked with its schema.

export interface CalendarForm {
  timezone: string;
  /** 24×7: an empty `weekly`. */
  alwaysOpen: boolean;
  days: Record<Weekday, string>;
  /** One `YYYY-MM-DD` per line. */
  holidays: string;
}

export const WEEKDAY_LABELS: Record<Weekday, string> = {
  monday: 'Monday',
  tuesday: 'Tuesday',
  wednesday: 'Wednesday',
  thursday: 'Thursday',
  friday: 'Friday',
  saturday: 'Saturday',
  sunday: 'Sunday',
};

/** The form for a calendar. */
export function calendarToForm(calendar: BusinessCalendar): CalendarForm {
  const alwaysOpen = Object.keys(calendar.weekly).length === 0;
  const days = Object.fromEntries(
    WEEKDAYS.map((day) => [
      day,
      (calendar.weekly[day] ?? []).map((interval) => `${interval.start}-${interval.end}`).join(', '),
    ]),
  ) as Record<Weekday, string>;
  return { timezone: calendar.timezone, alwaysOpen, days, holidays: calendar.holidays.join('\n') };
}

/** Office hours Monday to Friday, 09:00–17:00, in `timezone`: the form of a new policy. */
export function officeHoursForm(timezone: string): CalendarForm {
  const days = Object.fromEntries(
    WEEKDAYS.map((day) => [day, day === 'saturday' || day === 'sunday' ? '' : '09:00-17:00']),
  ) as Record<Weekday, string>;
  return { timezone, alwaysOpen: false, days, holidays: '' };
}

const INTERVAL = /^(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})$/;

function clock(hours: string, minutes: string): string {
  return `${hours.padStart(2, '0')}:${minutes}`;
}

/** The calendar a form describes, or the message of each field that is wrong. */
export function formToCalendar(
  form: CalendarForm,
): { ok: true; calendar: BusinessCalendar } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const weekly: BusinessCalendar['weekly'] = {};
  if (!form.alwaysOpen) {
    for (const day of WEEKDAYS) {
      const text = form.days[day].trim();
      if (!text) continue;
      const intervals = [];
      for (const part of text
        .split(/[,;]/)
        .map((piece) => piece.trim())
        .filter(Boolean)) {
        const match = INTERVAL.exec(part);
        if (!match) {
          errors[day] = `Write hours as 09:00-17:00, separated by commas ("${part}" is not).`;
          break;
        }
        const [, h1 = '', m1 = '', h2 = '', m2 = ''] = match;
        const start = clock(h1, m1);
        const end = clock(h2, m2);
        if (!(start < end)) {
          errors[day] = `The hours ${start}-${end} end before they start.`;
          break;
        }
        intervals.push({ start, end });
      }
      weekly[day] = intervals;
    }
    if (!errors.days && Object.values(weekly).every((intervals) => !intervals || intervals.length === 0)) {
      errors.days = 'Open at least one day, or choose round the clock.';
    }
  }
  const holidays = form.holidays
    .split(/[\s,]+/)
    .map((line) => line.trim())
    .filter(Boolean);
  const candidate = { timezone: form.timezone.trim(), weekly, holidays };
  const parsed = ZBusinessCalendar.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field =
        issue.path[0] === 'holidays' ? 'holidays' : issue.path[0] === 'timezone' ? 'timezone' : 'days';
      if (!errors[field]) {
        errors[field] =
          field === 'holidays'
            ? 'Write each holiday as YYYY-MM-DD.'
            : field === 'timezone'
              ? 'Choose a known timezone, such as Europe/Berlin.'
              : 'Check the opening hours.';
      }
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, calendar: candidate };
}

const SHORT: Record<Weekday, string> = {
  monday: 'Mon',
  tuesday: 'Tue',
  wednesday: 'Wed',
  thursday: 'Thu',
  friday: 'Fri',
  saturday: 'Sat',
  sunday: 'Sun',
};

/** "Mon–Fri 09:00–17:00 (Europe/Berlin), 2 holidays" or "Round the clock (UTC)". */
export function describeCalendar(calendar: BusinessCalendar): string {
  const holidays =
    calendar.holidays.length > 0
      ? `, ${calendar.holidays.length} ${calendar.holidays.length === 1 ? 'holiday' : 'holidays'}`
      : '';
  if (Object.keys(calendar.weekly).length === 0) return `Round the clock (${calendar.timezone})${holidays}`;
  // Runs of consecutive days with the same hours read as one: "Mon–Fri 09:00–17:00".
  const hours = WEEKDAYS.map((day) => ({
    day,
    text: (calendar.weekly[day] ?? []).map((interval) => `${interval.start}–${interval.end}`).join(', '),
  }));
  const runs: { from: Weekday; to: Weekday; text: string }[] = [];
  for (const { day, text } of hours) {
    const last = runs.at(-1);
    if (last && last.text === text && WEEKDAYS.indexOf(last.to) === WEEKDAYS.indexOf(day) - 1) last.to = day;
    else runs.push({ from: day, to: day, text });
  }
  const open = runs
    .filter((run) => run.text)
    .map((run) => `${SHORT[run.from]}${run.from === run.to ? '' : `–${SHORT[run.to]}`} ${run.text}`);
  return `${open.join('; ') || 'Never open'} (${calendar.timezone})${holidays}`;
}
