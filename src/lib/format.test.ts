import { expect, test } from 'vitest';
import { compareText, formatCount, formatDate, formatDateTime, formatPercent } from './format';

// Node carries full ICU: the formatters must give what Intl's en-US gives, which is what the app showed
// before it stopped calling Intl at start-up. ICU puts a narrow no-break space before AM/PM.
const intlDateTime = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });
const intlDate = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' });
const intlCount = new Intl.NumberFormat('en-US');
const intlPercent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 0 });
const plainSpaces = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');

test('dates and times read as en-US medium date, short time, in local time', () => {
  const dates = [
    new Date(2026, 10, 22, 17, 3),
    new Date(2026, 0, 1, 0, 0), // midnight → 12:00 AM
    new Date(2026, 5, 30, 12, 0), // noon → 12:00 PM
    new Date(2025, 11, 31, 23, 59),
    new Date(1999, 1, 9, 9, 5),
  ];
  // And a spread of instants across years, every hour and month.
  for (let i = 0; i < 500; i++) dates.push(new Date(Date.UTC(2020, 0, 1) + i * 7_919_777_123));
  for (const date of dates) {
    expect(formatDateTime(date)).toBe(plainSpaces(intlDateTime.format(date)));
    expect(formatDate(date)).toBe(plainSpaces(intlDate.format(date)));
  }
  expect(formatDateTime(new Date(2026, 10, 22, 17, 3))).toBe('Nov 22, 2026, 5:03 PM');
});

test('counts are grouped by thousands like Intl en-US', () => {
  for (const n of [0, 7, 42, 999, 1000, 1001, 12_345, 999_999, 1_000_000, 123_456_789, -1, -1234, -1_000_000]) {
    expect(formatCount(n)).toBe(intlCount.format(n));
  }
  expect(formatCount(10_000)).toBe('10,000');
});

test('percentages round halves up like Intl en-US, including shares that are not exact in binary', () => {
  const shares = [0, 1, 0.5, 0.734, 0.285, 0.005, 0.015, 0.995, 0.9949];
  for (let answered = 1; answered <= 200; answered++) for (let correct = 0; correct <= answered; correct++) shares.push(correct / answered);
  for (let k = 0; k <= 1000; k++) shares.push(k / 1000);
  for (const share of shares) expect(formatPercent(share), String(share)).toBe(intlPercent.format(share));
  expect(formatPercent(0.285)).toBe('29%');
});

test('labels sort case-insensitively, as the taxonomy lists did with localeCompare', () => {
  const labels = ['Renal & urinary', 'cardiovascular', 'Behavioral science', 'Hematology & oncology', 'Immune system', 'Immunology', 'Anatomy'];
  expect([...labels].sort(compareText)).toEqual([...labels].sort((a, b) => a.localeCompare(b, 'en')));
  expect(compareText('Same', 'same')).toBe(0);
});
