import { PostgrestError } from '@supabase/supabase-js';
import { expect, test } from 'vitest';
import { isInstructorCannotJoinError, normaliseJoinCode } from '@/features/account/model/join-code';

test('join codes lose spaces and dashes and become upper case, as the server reads them', () => {
  expect(normaliseJoinCode(' rounds 28 ')).toBe('ROUNDS28');
  expect(normaliseJoinCode('ab-cd\tef')).toBe('ABCDEF');
});

test("an instructor's refusal (403 instructor_cannot_join) is recognised", () => {
  const error = new PostgrestError({
    code: 'instructor_cannot_join',
    message: 'Instructors cannot join cohorts: cohort members are students.',
    details: '',
    hint: 'To teach a class, create a cohort of your own on the Instructor page.',
  });
  expect(isInstructorCannotJoinError(error)).toBe(true);
  expect(isInstructorCannotJoinError(new PostgrestError({ code: 'cohort_not_found', message: 'No cohort.', details: '', hint: '' }))).toBe(false);
  expect(isInstructorCannotJoinError(new Error('instructor_cannot_join'))).toBe(false);
});
