/**
 * This device's copy of the student's answer log (the history query's data), in IndexedDB on its own —
 * not in the persisted query cache. The persister rewrites the whole cache (JSON) on every change of
 * anything and parses it whole at each start: with a year of study in it (20,000 answers, ~2 MB) that was
 * 100–200 ms long tasks on every page of a phone, home, player and leaderboard alike (Lighthouse, 4×
 * CPU). Here it is written only when the log changed, column by column (typed arrays and one string,
 * which IndexedDB clones in a few milliseconds), and read once per page load.
 *
 * Stamped with its student: a log stored under another account on this device is never used, and
 * forgetAnswerLog() drops it on sign-out.
 */
import { del, get, set } from 'idb-keyval';
import type { Confidence } from '@/answer-sync/shapes';
import { nextTask } from '@/lib/next-task';
import type { History, HistoryAnswer } from './history';

const LOG_KEY = 'rounds.answer-log.v1';
const CONFIDENCES: readonly (Confidence | null)[] = [null, 'sure', 'unsure', 'guessed'];

interface StoredLog {
  v: 1;
  owner: string;
  syncedTo: string | null;
  marked: number[];
  /** Answer ids, joined with ','. */
  ids: string;
  question: Float64Array;
  correct: Uint8Array;
  /** answered_at, ms since the epoch (the instant; the zone it was written in is not kept). */
  at: Float64Array;
  spentMs: Float64Array;
  /** Index into CONFIDENCES. */
  confidence: Uint8Array;
  /** 1 + index into `systems`; 0: not known. */
  system: Uint16Array;
  systems: string[];
}

export function encodeLog(owner: string, history: History): StoredLog {
  const n = history.answers.length;
  const systems: string[] = [];
  const systemIndex = new Map<string, number>();
  const log: StoredLog = {
    v: 1,
    owner,
    syncedTo: history.syncedTo,
    marked: history.marked,
    ids: history.answers.map((a) => a.id).join(','),
    question: new Float64Array(n),
    correct: new Uint8Array(n),
    at: new Float64Array(n),
    spentMs: new Float64Array(n),
    confidence: new Uint8Array(n),
    system: new Uint16Array(n),
    systems,
  };
  history.answers.forEach((a, i) => {
    log.question[i] = a.question_id;
    log.correct[i] = a.is_correct ? 1 : 0;
    log.at[i] = Date.parse(a.answered_at);
    log.spentMs[i] = a.time_spent_ms;
    log.confidence[i] = CONFIDENCES.indexOf(a.confidence);
    if (a.organ_system !== undefined) {
      let k = systemIndex.get(a.organ_system);
      if (k === undefined) {
        k = systems.push(a.organ_system);
        systemIndex.set(a.organ_system, k);
      }
      log.system[i] = k;
    }
  });
  return log;
}

function decodeAnswer(log: StoredLog, id: string, i: number): HistoryAnswer {
  const system = log.system[i] ?? 0;
  return {
    id,
    question_id: log.question[i] ?? 0,
    is_correct: log.correct[i] === 1,
    answered_at: new Date(log.at[i] ?? 0).toISOString(),
    time_spent_ms: log.spentMs[i] ?? 0,
    confidence: CONFIDENCES[log.confidence[i] ?? 0] ?? null,
    ...(system > 0 && log.systems[system - 1] !== undefined ? { organ_system: log.systems[system - 1] } : {}),
  };
}

/** Answers decoded per task: 20,000 at once were a 100 ms task on a phone, 2,000 still 70 ms (Lighthouse, 4× CPU). */
const DECODE_PER_TASK = 500;

export async function decodeLog(log: StoredLog): Promise<History> {
  const ids = log.ids === '' ? [] : log.ids.split(',');
  const answers: HistoryAnswer[] = [];
  for (let i = 0; i < ids.length; i++) {
    if (i > 0 && i % DECODE_PER_TASK === 0) await nextTask();
    answers.push(decodeAnswer(log, ids[i] ?? '', i));
  }
  return { answers, marked: log.marked, syncedTo: log.syncedTo };
}

function isStoredLog(value: unknown): value is StoredLog {
  return typeof value === 'object' && value !== null && 'v' in value && value.v === 1 && 'owner' in value && 'ids' in value && 'question' in value;
}

/** The stored log of `owner`, or undefined (none, another student's, unreadable, storage blocked). */
export async function readAnswerLog(owner: string): Promise<History | undefined> {
  try {
    const stored: unknown = await get(LOG_KEY);
    return isStoredLog(stored) && stored.owner === owner ? await decodeLog(stored) : undefined;
  } catch {
    return undefined;
  }
}

/** Stores the log (best effort: without storage the next start reads it all from the server again). */
export async function writeAnswerLog(owner: string, history: History): Promise<void> {
  try {
    await set(LOG_KEY, encodeLog(owner, history));
  } catch {
    // Private mode or a full disk: only the offline copy of the history is lost, never an answer.
  }
}

/** Drops the stored log (sign-out: the next student on this device must not find it). */
export async function forgetAnswerLog(): Promise<void> {
  try {
    await del(LOG_KEY);
  } catch {
    // Nothing stored, or storage blocked.
  }
}
