/**
 * Building a block from the question bank and the student's history — pure functions, so the same code
 * runs online and offline (the bank and history come from the cache when there is no network).
 */

export type Pool = 'unused' | 'incorrect' | 'marked' | 'all';
export type Mode = 'tutor' | 'timed';

/** USMLE pace: 90 seconds per question in timed mode. */
export const SECONDS_PER_QUESTION = 90;
export const MIN_BLOCK_SIZE = 1;
export const MAX_BLOCK_SIZE = 40;
export const DEFAULT_BLOCK_SIZE = 20;

/** A block size field's value, or null when it is not a whole number from MIN_BLOCK_SIZE to MAX_BLOCK_SIZE. */
export function parseBlockSize(text: string): number | null {
  if (!/^\d+$/.test(text.trim())) return null;
  const n = Number(text);
  return n >= MIN_BLOCK_SIZE && n <= MAX_BLOCK_SIZE ? n : null;
}

export interface BankQuestion {
  id: number;
  organ_system: string;
  discipline: string;
}

export interface HistoryAnswer {
  question_id: number;
  is_correct: boolean;
  answered_at: string;
}

export interface BlockFilters {
  mode: Mode;
  size: number;
  /** Empty = every system. */
  systems: readonly string[];
  /** Empty = every discipline. */
  disciplines: readonly string[];
  pool: Pool;
}

export interface StudentHistory {
  answers: readonly HistoryAnswer[];
  /** Question ids marked in any earlier block. */
  marked: ReadonlySet<number>;
}

/** Latest verdict per question (the most recent answer wins, as in UWorld's "incorrect" pool). */
export function latestVerdicts(answers: readonly HistoryAnswer[]): Map<number, boolean> {
  const latest = new Map<number, { at: string; correct: boolean }>();
  for (const a of answers) {
    const seen = latest.get(a.question_id);
    if (!seen || a.answered_at > seen.at) latest.set(a.question_id, { at: a.answered_at, correct: a.is_correct });
  }
  return new Map([...latest].map(([id, v]) => [id, v.correct]));
}

export function matchingQuestions<Q extends BankQuestion>(bank: readonly Q[], filters: BlockFilters, history: StudentHistory): Q[] {
  const verdicts = latestVerdicts(history.answers);
  const systems = new Set(filters.systems);
  const disciplines = new Set(filters.disciplines);
  return bank.filter((q) => {
    if (systems.size > 0 && !systems.has(q.organ_system)) return false;
    if (disciplines.size > 0 && !disciplines.has(q.discipline)) return false;
    switch (filters.pool) {
      case 'unused':
        return !verdicts.has(q.id);
      case 'incorrect':
        return verdicts.get(q.id) === false;
      case 'marked':
        return history.marked.has(q.id);
      case 'all':
        return true;
    }
  });
}

export function clampSize(size: number): number {
  if (!Number.isFinite(size)) return DEFAULT_BLOCK_SIZE;
  return Math.min(MAX_BLOCK_SIZE, Math.max(MIN_BLOCK_SIZE, Math.round(size)));
}

/** Picks up to `size` matching questions in random order (Fisher–Yates on a copy). */
export function pickBlock<Q extends BankQuestion>(
  bank: readonly Q[],
  filters: BlockFilters,
  history: StudentHistory,
  random: () => number = Math.random,
): number[] {
  const pool = matchingQuestions(bank, filters, history).map((q) => q.id);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = pool[i];
    const b = pool[j];
    if (a === undefined || b === undefined) continue;
    pool[i] = b;
    pool[j] = a;
  }
  return pool.slice(0, clampSize(filters.size));
}

export function timeLimitSeconds(mode: Mode, questionCount: number): number | null {
  return mode === 'timed' ? SECONDS_PER_QUESTION * questionCount : null;
}
