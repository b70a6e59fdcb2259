/**
 * Dates, numbers and sorting for display, without Intl (docs/decisions/013-no-intl-on-start.md).
 *
 * The first Intl call in a page — any formatter, a collator, `toLocaleDateString`, `localeCompare` —
 * starts ICU: 15–50 ms of main-thread work in a fresh Chromium renderer on the project machine, several
 * times that on a phone, on every start of the app. Home, the leaderboard and the review each paid it
 * for a date or a number. The UI is in English, and what these return is exactly what Intl's en-US
 * formats give (src/lib/format.test.ts compares them), so one format reads the same for every student.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** `Nov 22, 2026`, in local time (en-US `dateStyle: 'medium'`). */
export function formatDate(date: Date): string {
  return `${MONTHS[date.getMonth()]} ${date.getDate()}, ${date.getFullYear()}`;
}

/** `Nov 22, 2026, 5:03 PM`, in local time (en-US `dateStyle: 'medium', timeStyle: 'short'`). */
export function formatDateTime(date: Date): string {
  const hours = date.getHours();
  const minutes = String(date.getMinutes()).padStart(2, '0');
  return `${formatDate(date)}, ${hours % 12 || 12}:${minutes} ${hours < 12 ? 'AM' : 'PM'}`;
}

/** 10000 → `10,000` (integers; en-US grouping). */
export function formatCount(n: number): string {
  const digits = String(Math.abs(Math.round(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 && Math.round(n) !== 0 ? `-${digits}` : digits;
}

/** 0.734 → `73%`: a share as a whole percentage, halves rounded up as Intl does. */
export function formatPercent(share: number): string {
  // `share * 100` in binary floating point can land just below a half (0.285 * 100 = 28.499…); twelve
  // significant digits give back the decimal the share was written as before rounding.
  return `${formatCount(Number((share * 100).toPrecision(12)))}%`;
}

/** Case-insensitive order of English labels (taxonomy names, not user text in other scripts). */
export function compareText(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `1 question` / `3 questions`: a count with its noun (English plurals given by the caller). */
export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The viewer's offset from UTC at `date` (it changes with daylight saving time): `UTC`, `UTC+01:00`, `UTC−05:00`. */
export function formatUtcOffset(date: Pick<Date, 'getTimezoneOffset'>): string {
  const east = -date.getTimezoneOffset();
  if (east === 0) return 'UTC';
  const abs = Math.abs(east);
  const hm = `${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `UTC${east > 0 ? '+' : '\u2212'}${hm}`;
}
