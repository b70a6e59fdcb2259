/**
 * Assignments as the student takes them: an assignment is one section (tutor or timed) or several (exam
 * mode: sections of up to 40 questions, a time limit each, one break pool shared by the gaps between
 * them). Each section is an ordinary block — an `attempts` row of kind 'assignment' naming its
 * assignment, sitting and section — created and answered through answer sync like every block. A sitting
 * is one go at the whole assignment; its state is derived from its blocks alone (which ended, when), so
 * a reload, another device or a cleared cache all come back to the same place.
 * The server checks each block against the assignment and judges lateness and what counts
 * (supabase/migrations/20261206090000_assignments.sql); nothing here decides a score.
 */
import type { Attempt } from '@/answer-sync/shapes';
import type { AssignmentPlan } from '@/lib/assignment-plan';

/** A block of one section of one sitting. */
export interface SectionState {
  index: number;
  questionIds: number[];
  attempt: Attempt | null;
  ended: boolean;
}

export interface SittingState {
  sittingId: string;
  sections: SectionState[];
  /** Every section has ended. */
  complete: boolean;
  /** The section being taken (started, not ended), if any. */
  running: SectionState | null;
  /** The next section to start (none running, some not started), if any. */
  next: SectionState | null;
  /** Break time taken between sections so far, including a break running now. */
  breakUsedMs: number;
  /**
   * The break pool: the assignment's break time plus what sections ended early left unused (as in the
   * real exam, where finishing a block early adds its remaining time to the break time).
   */
  breakPoolMs: number;
  /** When the running break began (the previous section's end), if the student is on a break. */
  breakSince: number | null;
}

const SECTION_MAX = 40;

/** The question ids of each section, in the assignment's order. */
export function sectionsOf(plan: Pick<AssignmentPlan, 'question_ids' | 'section_size'>): number[][] {
  const size = plan.section_size ?? SECTION_MAX;
  const out: number[][] = [];
  for (let i = 0; i < plan.question_ids.length; i += size) out.push(plan.question_ids.slice(i, i + size));
  return out;
}

/** A new block for one section of a sitting: exactly what the server accepts for it. */
export function sectionBlock(plan: AssignmentPlan, sittingId: string, section: number, nowMs: number, id: string): Attempt {
  const questionIds = sectionsOf(plan)[section];
  if (!questionIds) throw new RangeError(`The assignment has no section ${section}.`);
  return {
    id,
    mode: plan.mode === 'tutor' ? 'tutor' : 'timed',
    kind: 'assignment',
    question_ids: questionIds,
    time_limit_seconds: plan.mode === 'exam' ? plan.section_seconds : plan.time_limit_seconds,
    marked_question_ids: [],
    filters: {},
    started_at: new Date(nowMs).toISOString(),
    completed_at: null,
    assignment_id: plan.id,
    live_session_id: null,
    sitting_id: sittingId,
    section,
  };
}

/**
 * Every copy of the assignment's blocks this device knows (its ledgers, the server's rows), one per id:
 * an ended copy wins over a running one (the ledger ends first; the server learns it when synced).
 */
export function mergeBlocks(...sources: readonly (readonly Attempt[])[]): Attempt[] {
  const byId = new Map<string, Attempt>();
  for (const list of sources) {
    for (const a of list) {
      const seen = byId.get(a.id);
      if (!seen || (seen.completed_at === null && a.completed_at !== null)) byId.set(a.id, a);
    }
  }
  return [...byId.values()];
}

/** The sittings of an assignment from its blocks, oldest first. */
export function sittingsOf(plan: AssignmentPlan, blocks: readonly Attempt[], nowMs: number): SittingState[] {
  const sections = sectionsOf(plan);
  const bySitting = new Map<string, Attempt[]>();
  for (const b of blocks) {
    if (b.assignment_id !== plan.id || b.sitting_id === null || b.section === null) continue;
    bySitting.set(b.sitting_id, [...(bySitting.get(b.sitting_id) ?? []), b]);
  }
  const sittings = [...bySitting.entries()].map(([sittingId, list]) => {
    const states: SectionState[] = sections.map((questionIds, index) => {
      // Two blocks for one section cannot both be accepted (the server keeps the first); keep the earliest.
      const attempt = list.filter((b) => b.section === index).sort((x, y) => Date.parse(x.started_at) - Date.parse(y.started_at))[0] ?? null;
      return { index, questionIds, attempt, ended: attempt !== null && attempt.completed_at !== null };
    });
    const running = states.find((s) => s.attempt !== null && !s.ended) ?? null;
    const next = running ? null : (states.find((s) => s.attempt === null) ?? null);
    let breakUsedMs = 0;
    let breakSince: number | null = null;
    for (let i = 1; i < states.length; i++) {
      const before = states[i - 1]!;
      const after = states[i]!;
      if (!before.ended || before.attempt?.completed_at == null) break;
      const end = Date.parse(before.attempt.completed_at);
      if (after.attempt) {
        breakUsedMs += Math.max(0, Date.parse(after.attempt.started_at) - end);
      } else {
        breakSince = end;
        breakUsedMs += Math.max(0, nowMs - end);
        break;
      }
    }
    let breakPoolMs = (plan.break_seconds ?? 0) * 1000;
    for (const s of states) {
      const a = s.attempt;
      if (!s.ended || !a?.completed_at || a.time_limit_seconds === null) continue;
      breakPoolMs += Math.max(0, a.time_limit_seconds * 1000 - (Date.parse(a.completed_at) - Date.parse(a.started_at)));
    }
    const started = Math.min(...list.map((b) => Date.parse(b.started_at)));
    return {
      started,
      state: { sittingId, sections: states, complete: states.every((s) => s.ended), running, next, breakUsedMs, breakPoolMs, breakSince },
    };
  });
  return sittings.sort((a, b) => a.started - b.started || (a.state.sittingId < b.state.sittingId ? -1 : 1)).map((s) => s.state);
}

export type AssignmentWindow = 'upcoming' | 'open' | 'overdue';

/** Where the assignment stands in time (by this device's clock; the server judges lateness itself). */
export function assignmentWindow(plan: Pick<AssignmentPlan, 'opens_at' | 'due_at'>, nowMs: number): AssignmentWindow {
  if (nowMs < Date.parse(plan.opens_at)) return 'upcoming';
  return nowMs > Date.parse(plan.due_at) ? 'overdue' : 'open';
}

/**
 * Whether this assignment's explanations are still held back (the instructor chose "after the due
 * date"). A pedagogical choice, not a secret: the bank's explanations are readable (decision 023).
 */
export function explanationsHeld(plan: Pick<AssignmentPlan, 'explanations_after_due' | 'due_at'> | undefined, nowMs: number): boolean {
  if (!plan) return false;
  return plan.explanations_after_due && nowMs < Date.parse(plan.due_at);
}

/** What the student can do now with an assignment, given its sittings. */
export type NextStep =
  | { kind: 'upcoming' }
  | { kind: 'continue'; section: SectionState; sitting: SittingState }
  | { kind: 'next-section'; section: SectionState; sitting: SittingState }
  | { kind: 'start'; attemptNumber: number }
  | { kind: 'used-up' };

export function nextStep(plan: AssignmentPlan, sittings: readonly SittingState[], nowMs: number): NextStep {
  const last = sittings.at(-1);
  if (last && !last.complete) {
    if (last.running) return { kind: 'continue', section: last.running, sitting: last };
    if (last.next) return { kind: 'next-section', section: last.next, sitting: last };
  }
  if (assignmentWindow(plan, nowMs) === 'upcoming') return { kind: 'upcoming' };
  if (sittings.length >= plan.max_attempts) return { kind: 'used-up' };
  return { kind: 'start', attemptNumber: sittings.length + 1 };
}

/**
 * Home's order: work to do first, soonest due first (so overdue work leads), then work not open yet,
 * then what is done, most recently due first.
 */
export function orderAssigned<T extends Pick<AssignmentPlan, 'opens_at' | 'due_at'> & { status: string }>(list: readonly T[], nowMs: number): T[] {
  const rank = (a: T) => (a.status === 'done' || a.status === 'late' ? 2 : assignmentWindow(a, nowMs) === 'upcoming' ? 1 : 0);
  return [...list].sort((a, b) => {
    const r = rank(a) - rank(b);
    if (r !== 0) return r;
    const d = Date.parse(a.due_at) - Date.parse(b.due_at);
    return rank(a) === 2 ? -d : d;
  });
}
