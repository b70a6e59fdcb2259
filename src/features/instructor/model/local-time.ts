/**
 * Dates of an assignment as the instructor types them: <input type="datetime-local"> holds a wall-clock
 * time with no zone ("2026-12-07T09:30"); it is read in the viewer's time zone and stored as a UTC
 * instant (ISO 8601), and shown back in the viewer's zone. The browser's own Date does both directions,
 * so a time that does not exist locally (the hour skipped when clocks go forward) moves forward as the
 * browser moves it, and a repeated hour takes its first occurrence.
 */

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** "2026-12-07T09:30" (the viewer's wall clock) → "2026-12-07T14:30:00.000Z"; null when empty or not a date. */
export function localInputToIso(value: string): string | null {
  const m = LOCAL_INPUT.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((s) => Number(s ?? 0));
  if (year === undefined || month === undefined || day === undefined || hour === undefined || minute === undefined) return null;
  const date = new Date(year, month - 1, day, hour, minute, second ?? 0);
  // new Date rolls over silently (Feb 30 → Mar 2): a day or month out of range is no date.
  if (date.getMonth() !== month - 1 || date.getDate() !== day || hour > 23 || minute > 59) return null;
  return date.toISOString();
}

/** A Date (or ISO instant) → the datetime-local value of the viewer's wall clock, to the minute. */
export function toLocalInput(date: Date | string): string {
  const d = typeof date === 'string' ? new Date(date) : date;
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * The viewer's IANA time zone ("Europe/Berlin"), or null where the browser does not say. The one Intl
 * call in the app: only this instructor page makes it (a lazily loaded chunk, never a student's start),
 * so the ICU start-up that decision 013 keeps off the start path is paid here once, when a person is
 * about to type dates and must know which zone they are in. The offset alone cannot name the zone.
 */
export function localTimeZoneName(): string | null {
  // eslint-disable-next-line no-restricted-globals -- see above: an instructor-only page, not the start path (decision 013).
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return typeof zone === 'string' && zone !== '' ? zone : null;
}

/** The form's starting dates: opens now (to the minute), due a week later at 23:59 on the viewer's clock. */
export function defaultWindow(now: Date): { opensAt: string; dueAt: string } {
  const due = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 7, 23, 59);
  return { opensAt: toLocalInput(now), dueAt: toLocalInput(due) };
}
