import { expect, test } from 'vitest';
import { checkLiveDraft, liveHostHref } from './live-draft';

const ids = { id: '7d3f7a52-4e0a-4d1c-9a55-0c3c2f3e9a11', cohortId: 'c0c0c0c0-0000-4000-8000-000000000001', assignmentId: null };
const ok = { title: '  Cardio quickfire ', questionIds: [3, 1, 2], seconds: '30', choicesAfterSeconds: '3' };

test('a good draft is the row to insert (title trimmed, questions in order) and the timing', () => {
  expect(checkLiveDraft(ok, { ...ids, assignmentId: 'a0a0a0a0-0000-4000-8000-000000000002' })).toEqual({
    ok: true,
    value: {
      row: { id: ids.id, cohort_id: ids.cohortId, title: 'Cardio quickfire', question_ids: [3, 1, 2], assignment_id: 'a0a0a0a0-0000-4000-8000-000000000002' },
      timing: { seconds: 30, choicesAfterSeconds: 3 },
    },
  });
  expect(checkLiveDraft({ ...ok, seconds: '5', choicesAfterSeconds: '0' }, ids)).toMatchObject({ ok: true, value: { timing: { seconds: 5, choicesAfterSeconds: 0 } } });
  expect(checkLiveDraft({ ...ok, seconds: '600', choicesAfterSeconds: '30', questionIds: Array.from({ length: 40 }, (_, i) => i + 1) }, ids).ok).toBe(true);
});

test('every problem is named by its field, as the server would refuse it', () => {
  const bad = checkLiveDraft({ title: ' ', questionIds: [], seconds: '4', choicesAfterSeconds: '31' }, ids);
  expect(bad).toEqual({
    ok: false,
    errors: {
      title: 'Give the session a title.',
      questions: 'Pick at least one question.',
      seconds: 'Seconds per question must be a whole number from 5 to 600.',
      choicesAfterSeconds: 'The choices delay (seconds) must be a whole number from 0 to 30.',
    },
  });
  expect(checkLiveDraft({ ...ok, seconds: '2.5' }, ids)).toMatchObject({ ok: false, errors: { seconds: expect.stringContaining('whole number') } });
  expect(checkLiveDraft({ ...ok, questionIds: [1, 1] }, ids)).toMatchObject({ ok: false, errors: { questions: 'A question is listed twice.' } });
  expect(checkLiveDraft({ ...ok, questionIds: Array.from({ length: 41 }, (_, i) => i + 1) }, ids)).toMatchObject({
    ok: false,
    errors: { questions: 'A live session has at most 40 questions.' },
  });
});

test('the host screen address carries the timing', () => {
  expect(liveHostHref(ids.id, { seconds: 45, choicesAfterSeconds: 0 })).toBe(`/live/${ids.id}/host?seconds=45&choices=0`);
});
