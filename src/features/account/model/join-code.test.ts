import { PostgrestError } from '@supabase/supabase-js';
import { expect, test } from 'vitest';
import { getJoinCohortErrorMessage, isInstructorCannotJoinError, normaliseJoinCode } from '@/features/account/model/join-code';

test('join codes lose spaces and dashes and become upper case, as the server reads them', () => {
  expect(normaliseJoinCode(' rounds 28 ')).toBe('ROUNDS28');
  expect(normaliseJoinCode('ab-cd\tef')).toBe('ABCDEF');
});

test("a wrong code shows join_cohort's own message and hint", () => {
  const error = new PostgrestError({
    code: 'cohort_not_found',
    message: 'No cohort has the join code NOPE1234.',
    details: '',
    hint: 'Check the code with your instructor.',
  });
  expect(getJoinCohortErrorMessage(error)).toBe('No cohort has the join code NOPE1234. Check the code with your instructor.');
});

test('a malformed code (SQLSTATE 22023, a 400) shows the server message too', () => {
  const error = new PostgrestError({ code: '22023', message: 'A join code is 6 to 12 letters or digits.', details: '', hint: '' });
  expect(getJoinCohortErrorMessage(error)).toBe('A join code is 6 to 12 letters or digits.');
});

test('a rate limit gets the app wording with the wait, not the raw server text', () => {
  const error = new PostgrestError({
    code: 'rate_limited',
    message: 'Too many join_cohort requests: at most 10 every 60 seconds.',
    details: JSON.stringify({ retry_after_seconds: 42 }),
    hint: 'Wait 42 seconds and try again.',
  });
  expect(getJoinCohortErrorMessage(error)).toBe('Too many requests — try again in 42 s.');
});

test("an instructor's refusal (403 instructor_cannot_join) is recognised and shown in the server's words", () => {
  const error = new PostgrestError({
    code: 'instructor_cannot_join',
    message: 'Instructors cannot join cohorts: cohort members are students.',
    details: '',
    hint: 'To teach a class, create a cohort of your own on the Instructor page.',
  });
  expect(isInstructorCannotJoinError(error)).toBe(true);
  expect(getJoinCohortErrorMessage(error)).toBe(
    'Instructors cannot join cohorts: cohort members are students. To teach a class, create a cohort of your own on the Instructor page.',
  );
  expect(isInstructorCannotJoinError(new PostgrestError({ code: 'cohort_not_found', message: 'No cohort.', details: '', hint: '' }))).toBe(false);
});
