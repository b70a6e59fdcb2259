/**
 * The log spaced review replays (cards/): the student's answers as the server has them, then this
 * device's answers the server does not have yet (blocks taken offline, answers still in the outbox), so
 * a review answered on a train moves its card at once. The same answer may be in both (sent, and its
 * block's ledger not yet pruned): the server's copy comes first and wins (graded on the server).
 */
import type { HistoryAnswer } from '@/features/quiz/api/history';
import type { KindOf, LoggedAnswer } from './cards/log';

export interface ReviewLog {
  log: LoggedAnswer[];
  /** Each answered question's organ system, as the answers carry it. */
  kindOf: KindOf;
}

export function reviewLog(server: readonly HistoryAnswer[], device: readonly HistoryAnswer[]): ReviewLog {
  const kinds = new Map<number, string>();
  for (const a of [...server, ...device]) {
    if (a.organ_system !== undefined && !kinds.has(a.question_id)) kinds.set(a.question_id, a.organ_system);
  }
  return { log: [...server, ...device], kindOf: (questionId) => kinds.get(questionId) };
}
