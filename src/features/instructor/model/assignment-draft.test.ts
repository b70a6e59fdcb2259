import { expect, test } from 'vitest';
import { checkDraft, defaultTimedMinutes, type AssignmentDraft } from './assignment-draft';

const ids = { id: '6f1c1b8e-8a43-4a4b-9d55-1e4f3c1f0a01', cohortId: '00000000-0000-4000-8000-0000000000c1' };
const range = (n: number, from = 1) => Array.from({ length: n }, (_, i) => from + i);
const draft = (over: Partial<AssignmentDraft> = {}): AssignmentDraft => ({
  title: '  Week 1: cardio ',
  questionIds: range(10),
  mode: 'tutor',
  timedMinutes: '15',
  sectionSize: '40',
  sectionMinutes: '60',
  breakMinutes: '45',
  opensAt: '2026-12-07T09:00',
  dueAt: '2026-12-14T23:59',
  explanationsAfterDue: true,
  maxAttempts: '2',
  ...over,
});
const errorsOf = (d: AssignmentDraft) => {
  const r = checkDraft(d, ids);
  return r.ok ? {} : r.errors;
};

test('a tutor draft becomes the insert: trimmed title, UTC dates, no timing columns', () => {
  const r = checkDraft(draft(), ids);
  expect(r).toEqual({
    ok: true,
    value: {
      id: ids.id,
      cohort_id: ids.cohortId,
      title: 'Week 1: cardio',
      question_ids: range(10),
      mode: 'tutor',
      time_limit_seconds: null,
      section_size: null,
      section_seconds: null,
      break_seconds: null,
      opens_at: new Date(2026, 11, 7, 9, 0).toISOString(),
      due_at: new Date(2026, 11, 14, 23, 59).toISOString(),
      explanations_after_due: true,
      max_attempts: 2,
    },
  });
});

test('timed and exam drafts carry their timing in seconds, and only theirs', () => {
  const timed = checkDraft(draft({ mode: 'timed', timedMinutes: '15' }), ids);
  expect(timed.ok && timed.value).toMatchObject({ time_limit_seconds: 900, section_size: null, section_seconds: null, break_seconds: null });
  const exam = checkDraft(draft({ mode: 'exam', questionIds: range(280) }), ids);
  expect(exam.ok && exam.value).toMatchObject({ time_limit_seconds: null, section_size: 40, section_seconds: 3600, break_seconds: 2700 });
});

test('question counts follow the mode: one block of ≤ 40, an exam ≤ 280 in ≤ 7 sections', () => {
  expect(errorsOf(draft({ questionIds: [] })).questions).toBe('Pick at least one question.');
  expect(errorsOf(draft({ questionIds: [1, 2, 1] })).questions).toBe('A question is listed twice.');
  expect(errorsOf(draft({ questionIds: range(40) }))).toEqual({});
  expect(errorsOf(draft({ questionIds: range(41) })).questions).toMatch(/at most 40 questions; choose exam mode/);
  expect(errorsOf(draft({ mode: 'timed', questionIds: range(41) })).questions).toMatch(/timed assignment is one block/);
  expect(errorsOf(draft({ mode: 'exam', questionIds: range(281) })).questions).toMatch(/at most 280 questions/);
  expect(errorsOf(draft({ mode: 'exam', questionIds: range(100), sectionSize: '14' })).sectionSize).toMatch(/100 questions in sections of 14 make 8 sections; an exam has at most 7/);
  expect(errorsOf(draft({ mode: 'exam', questionIds: range(100), sectionSize: '15' }))).toEqual({});
});

test('numbers are whole and in the table’s ranges; fields of other modes are not checked', () => {
  expect(errorsOf(draft({ mode: 'timed', timedMinutes: '0' })).timedMinutes).toBe('The time limit (minutes) must be a whole number from 1 to 400.');
  expect(errorsOf(draft({ mode: 'timed', timedMinutes: '401' })).timedMinutes).toBeDefined();
  expect(errorsOf(draft({ mode: 'timed', timedMinutes: '1.5' })).timedMinutes).toBeDefined();
  expect(errorsOf(draft({ mode: 'exam', sectionSize: '41' })).sectionSize).toBe('Questions per section must be a whole number from 1 to 40.');
  expect(errorsOf(draft({ mode: 'exam', sectionMinutes: '' })).sectionMinutes).toBeDefined();
  expect(errorsOf(draft({ mode: 'exam', breakMinutes: '0' }))).toEqual({});
  expect(errorsOf(draft({ mode: 'exam', breakMinutes: '241' })).breakMinutes).toBeDefined();
  expect(errorsOf(draft({ maxAttempts: '0' })).maxAttempts).toBe('Attempts allowed must be a whole number from 1 to 10.');
  expect(errorsOf(draft({ maxAttempts: '11' })).maxAttempts).toBeDefined();
  // A tutor draft ignores the timed and exam fields, whatever they hold.
  expect(errorsOf(draft({ timedMinutes: 'x', sectionSize: '99', breakMinutes: '-1' }))).toEqual({});
});

test('a title and both dates are needed, and the due date comes after the opening', () => {
  expect(errorsOf(draft({ title: '   ' })).title).toBe('Give the assignment a title.');
  expect(errorsOf(draft({ title: 'x'.repeat(201) })).title).toMatch(/200 characters/);
  expect(errorsOf(draft({ opensAt: '' })).opensAt).toBe('Enter when it opens (date and time).');
  expect(errorsOf(draft({ dueAt: '2026-02-30T10:00' })).dueAt).toBe('Enter when it is due (date and time).');
  expect(errorsOf(draft({ dueAt: '2026-12-07T09:00' })).dueAt).toBe('The due date must be after the opening date.');
  expect(errorsOf(draft({ dueAt: '2026-12-07T09:01' }))).toEqual({});
});

test('every problem is reported at once', () => {
  expect(Object.keys(errorsOf(draft({ title: '', questionIds: [], maxAttempts: '', dueAt: '' }))).sort()).toEqual(['dueAt', 'maxAttempts', 'questions', 'title']);
});

test('a timed assignment’s suggested limit is the exam’s pace, 90 s a question', () => {
  expect(defaultTimedMinutes(40)).toBe(60);
  expect(defaultTimedMinutes(7)).toBe(11);
  expect(defaultTimedMinutes(0)).toBe(1);
});
