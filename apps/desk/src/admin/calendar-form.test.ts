import { ALWAYS_OPEN_CALENDAR, type BusinessCalendar } from '@atum-desk/core/domain';
import { describe, expect, it } from 'vitest';
import { calendarToForm, describeCalendar, formToCalendar, officeHoursForm } from './calendar-form.ts';

const OFFICE: BusinessCalendar = {
  timezone: 'Europe/Berlin',
  weekly: {
    monday: [{ start: '09:00', end: '17:00' }],
    tuesday: [{ start: '09:00', end: '17:00' }],
    wednesday: [{ start: '09:00', end: '17:00' }],
    thursday: [{ start: '09:00', end: '17:00' }],
    friday: [
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '15:00' },
    ],
  },
  holidays: ['2026-12-25'],
};

describe('the business calendar form', () => {
  it('round-trips a calendar', () => {
    const form = calendarToForm(OFFICE);
    expect(form.days.friday).toBe('09:00-12:00, 13:00-15:00');
    expect(form.days.saturday).toBe('');
    expect(formToCalendar(form)).toEqual({ ok: true, calendar: OFFICE });
  });

  it('writes 24×7 as an empty week', () => {
    const form = { ...calendarToForm(OFFICE), alwaysOpen: true };
    expect(formToCalendar(form)).toEqual({ ok: true, calendar: { ...OFFICE, weekly: {} } });
    expect(calendarToForm(ALWAYS_OPEN_CALENDAR).alwaysOpen).toBe(true);
  });

  it('names the field of each mistake', () => {
    const form = officeHoursForm('Europe/Berlin');
    const result = formToCalendar({
      ...form,
      days: { ...form.days, monday: '9-5', tuesday: '17:00-09:00' },
      holidays: 'christmas',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['holidays', 'monday', 'tuesday']);
  });

  it('refuses a week that is never open and an unknown timezone', () => {
    const empty = officeHoursForm('Mars/Olympus');
    const closed = {
      ...empty,
      days: Object.fromEntries(Object.keys(empty.days).map((day) => [day, ''])) as typeof empty.days,
    };
    const result = formToCalendar(closed);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors).sort()).toEqual(['days', 'timezone']);
  });

  it('summarises a calendar in one line', () => {
    expect(describeCalendar(OFFICE)).toBe(
      'Mon–Thu 09:00–17:00; Fri 09:00–12:00, 13:00–15:00 (Europe/Berlin), 1 holiday',
    );
    expect(describeCalendar(ALWAYS_OPEN_CALENDAR)).toBe('Round the clock (UTC)');
  });
});
