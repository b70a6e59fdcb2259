import { expect, test } from 'vitest';
import type { Attempt } from '@/answer-sync/shapes';
import { assignmentWindow, explanationsHeld, mergeBlocks, nextStep, orderAssigned, sectionBlock, sectionsOf, sittingsOf } from './assignment';
import type { AssignmentPlan } from '@/lib/assignment-plan';

const T0 = Date.parse('2026-12-06T09:00:00Z');
const MIN = 60_000;
const SITTING = '0b0b0b0b-2b1d-4c3e-9f4a-0b1c2d3e4f50';
const plan = (over: Partial<AssignmentPlan> = {}): AssignmentPlan => ({
  id: 'a0a0a0a0-2b1d-4c3e-9f4a-0b1c2d3e4f50',
  cohort_id: 'c0c0c0c0-2b1d-4c3e-9f4a-0b1c2d3e4f50',
  title: 'Mock exam',
  mode: 'exam',
  question_ids: [1, 2, 3, 4, 5],
  time_limit_seconds: null,
  section_size: 3,
  section_seconds: 180,
  break_seconds: 600,
  opens_at: new Date(T0 - 60 * MIN).toISOString(),
  due_at: new Date(T0 + 24 * 60 * MIN).toISOString(),
  explanations_after_due: false,
  max_attempts: 1,
  ...over,
});
const id = (n: number) => `${String(n).padStart(8, '0')}-2b1d-4c3e-9f4a-0b1c2d3e4f50`;

test('sections are slices of the assignment in order; a tutor or timed assignment is one section', () => {
  expect(sectionsOf(plan())).toEqual([[1, 2, 3], [4, 5]]);
  expect(sectionsOf(plan({ mode: 'tutor', section_size: null }))).toEqual([[1, 2, 3, 4, 5]]);
});

test('a section block carries what the server checks: its questions, mode and limit, assignment, sitting, section', () => {
  const b = sectionBlock(plan(), SITTING, 1, T0, id(1));
  expect(b).toMatchObject({ kind: 'assignment', mode: 'timed', question_ids: [4, 5], time_limit_seconds: 180, assignment_id: plan().id, sitting_id: SITTING, section: 1, completed_at: null });
  expect(sectionBlock(plan({ mode: 'tutor', section_size: null, section_seconds: null }), SITTING, 0, T0, id(2))).toMatchObject({ mode: 'tutor', time_limit_seconds: null });
  expect(sectionBlock(plan({ mode: 'timed', section_size: null, section_seconds: null, time_limit_seconds: 450 }), SITTING, 0, T0, id(3))).toMatchObject({ mode: 'timed', time_limit_seconds: 450 });
  expect(() => sectionBlock(plan(), SITTING, 2, T0, id(4))).toThrow(RangeError);
});

function ended(b: Attempt, atMs: number): Attempt {
  return { ...b, completed_at: new Date(atMs).toISOString() };
}

test('a sitting: running section, then a break counted from the end of one section to the start of the next, then complete', () => {
  const p = plan();
  const s0 = sectionBlock(p, SITTING, 0, T0, id(10));
  expect(sittingsOf(p, [s0], T0 + MIN)[0]).toMatchObject({ complete: false, running: { index: 0 }, next: null, breakUsedMs: 0, breakSince: null });

  const s0done = ended(s0, T0 + 3 * MIN);
  const onBreak = sittingsOf(p, [s0done], T0 + 5 * MIN)[0]!;
  expect(onBreak).toMatchObject({ running: null, next: { index: 1 }, breakUsedMs: 2 * MIN, breakSince: T0 + 3 * MIN });
  // Section 1 had 3 minutes and took exactly 3: the pool is the assignment's 10 minutes.
  expect(onBreak.breakPoolMs).toBe(10 * MIN);
  // Ended after 1 minute, its 2 unused minutes join the break pool (as in the real exam).
  expect(sittingsOf(p, [ended(s0, T0 + MIN)], T0 + 2 * MIN)[0]!.breakPoolMs).toBe(12 * MIN);
  expect(nextStep(p, [onBreak], T0 + 5 * MIN)).toMatchObject({ kind: 'next-section', section: { index: 1 } });

  const s1 = sectionBlock(p, SITTING, 1, T0 + 7 * MIN, id(11));
  const second = sittingsOf(p, [s0done, s1], T0 + 8 * MIN)[0]!;
  expect(second).toMatchObject({ running: { index: 1 }, breakUsedMs: 4 * MIN, breakSince: null });
  const done = sittingsOf(p, [s0done, ended(s1, T0 + 9 * MIN)], T0 + 10 * MIN)[0]!;
  expect(done).toMatchObject({ complete: true, running: null, next: null, breakUsedMs: 4 * MIN });
  expect(nextStep(p, [done], T0 + 10 * MIN)).toEqual({ kind: 'used-up' });
  expect(nextStep(plan({ max_attempts: 2 }), [done], T0 + 10 * MIN)).toEqual({ kind: 'start', attemptNumber: 2 });
});

test('blocks of other assignments or sittings stay apart; an ended copy wins over a running one', () => {
  const p = plan();
  const a = sectionBlock(p, SITTING, 0, T0, id(20));
  const other = sectionBlock(plan({ id: id(99) }), SITTING, 0, T0, id(21));
  const later = sectionBlock(p, id(30), 0, T0 + 60 * MIN, id(22));
  const merged = mergeBlocks([a], [ended(a, T0 + MIN), other, later], [a]);
  expect(merged).toHaveLength(3);
  const sittings = sittingsOf(p, merged, T0 + 61 * MIN);
  expect(sittings.map((s) => s.sittingId)).toEqual([SITTING, id(30)]);
  expect(sittings[0]!.sections[0]!.ended).toBe(true);
});

test('before it opens there is nothing to start; a running sitting can always be continued', () => {
  const p = plan({ opens_at: new Date(T0 + 60 * MIN).toISOString() });
  expect(assignmentWindow(p, T0)).toBe('upcoming');
  expect(nextStep(p, [], T0)).toEqual({ kind: 'upcoming' });
  expect(nextStep(plan(), [], T0)).toEqual({ kind: 'start', attemptNumber: 1 });
  expect(assignmentWindow(plan(), T0 + 25 * 60 * MIN)).toBe('overdue');
});

test('explanations are held back until the due date only when the instructor said so', () => {
  expect(explanationsHeld(plan({ explanations_after_due: true }), T0)).toBe(true);
  expect(explanationsHeld(plan({ explanations_after_due: true }), T0 + 25 * 60 * MIN)).toBe(false);
  expect(explanationsHeld(plan(), T0)).toBe(false);
  expect(explanationsHeld(undefined, T0)).toBe(false);
});

test('home order: to do (soonest due, overdue first), then not open yet, then done (latest first)', () => {
  const row = (name: string, status: string, opensMin: number, dueMin: number) => ({
    name, status, opens_at: new Date(T0 + opensMin * MIN).toISOString(), due_at: new Date(T0 + dueMin * MIN).toISOString(),
  });
  const list = [
    row('done-old', 'done', -300, -200),
    row('upcoming', 'not_started', 60, 120),
    row('due-later', 'in_progress', -60, 600),
    row('overdue', 'not_started', -300, -10),
    row('done-new', 'late', -300, -100),
    row('due-soon', 'not_started', -60, 30),
  ];
  expect(orderAssigned(list, T0).map((r) => r.name)).toEqual(['overdue', 'due-soon', 'due-later', 'upcoming', 'done-new', 'done-old']);
});
