import { PostgrestError } from '@supabase/supabase-js';
import { expect, test } from 'vitest';
import { describeWriteFailure, hasErrorCode } from '@/lib/errors';
import { NetworkError } from '@/lib/network/network-error';

const refusal = (code: string, message: string, hint = '') => new PostgrestError({ code, message, details: '', hint });

test('a failed write says what did not happen, then why', () => {
  expect(describeWriteFailure(new NetworkError('offline'), { errorMessage: 'Your profile was not saved.' })).toBe(
    "Your profile was not saved. You're offline — this needs the network. What is on this device still works; try again once you're back online.",
  );
  expect(describeWriteFailure(new NetworkError('server', { status: 503 }), undefined)).toBe('The server had a problem — try again in a moment.');
});

test("with serverWording, a refusal (4xx) is shown in the server's words with its hint", () => {
  const meta = { serverWording: true };
  // join_cohort's wrong code: its own word code, a 400 PostgREST sends without a status the client sees.
  expect(describeWriteFailure(refusal('cohort_not_found', 'No cohort has the join code NOPE1234.', 'Check the code with your instructor.'), meta)).toBe(
    'No cohort has the join code NOPE1234. Check the code with your instructor.',
  );
  // A malformed code (SQLSTATE 22023, a 400) and an editor the server does not know (no hint).
  expect(describeWriteFailure(refusal('22023', 'A join code is 6 to 12 letters or digits.'), meta)).toBe('A join code is 6 to 12 letters or digits.');
  expect(describeWriteFailure(refusal('editor_not_found', 'No instructor has the email a@b.c.'), meta)).toBe('No instructor has the email a@b.c.');
  expect(
    describeWriteFailure(refusal('not_question_editor', "Only the question's author or its editors can change it.", 'Ask its author to add you as an editor.'), {
      ...meta,
      errorMessage: 'Not saved.',
    }),
  ).toBe("Not saved. Only the question's author or its editors can change it. Ask its author to add you as an editor.");
});

test('serverWording never shows the raw text of a rate limit, a server error or another write', () => {
  const limited = new PostgrestError({
    code: 'rate_limited',
    message: 'Too many join_cohort requests: at most 10 every 60 seconds.',
    details: JSON.stringify({ retry_after_seconds: 42 }),
    hint: 'Wait 42 seconds and try again.',
  });
  expect(describeWriteFailure(limited, { serverWording: true })).toBe('Too many requests — try again in 42 s.');
  expect(describeWriteFailure(refusal('XX000', 'internal error in private.join_cohort_by_code'), { serverWording: true })).toBe(
    'The server had a problem — try again in a moment.',
  );
  // Without it, a 4xx message may be raw SQL (a check constraint on a table write): the generic reason instead.
  expect(describeWriteFailure(refusal('23514', 'new row for relation "profiles" violates check constraint "profiles_alias_len"'), undefined)).toBe(
    'That request was not accepted — refresh the page and try again.',
  );
});

test('hasErrorCode recognises a refusal by its code only', () => {
  expect(hasErrorCode(refusal('instructor_cannot_join', 'Instructors cannot join cohorts.'), 'instructor_cannot_join')).toBe(true);
  expect(hasErrorCode(refusal('cohort_not_found', 'No cohort.'), 'instructor_cannot_join')).toBe(false);
  expect(hasErrorCode(new Error('instructor_cannot_join'), 'instructor_cannot_join')).toBe(false);
  expect(hasErrorCode(undefined, 'instructor_cannot_join')).toBe(false);
});
