/**
 * The player's screen, restored from the block's ledger (src/answer-sync/block-ledger.ts): the ledger
 * keeps the player's whole state under `player`, and answer sync reads only the given answers in it; the
 * rest — current question, selections, strike-outs, time spent — is the player's, read back here. And
 * what this device's ledgers add to the student's history when a block is built.
 */
import { z } from 'zod';
import { allBlockLedgers, givenAnswersSchema, type BlockLedger } from '@/answer-sync/block-ledger';
import { attemptSchema, choiceSchema, confidenceSchema, type Attempt } from '@/answer-sync/shapes';
import type { Question } from '@/features/quiz/api/get-bank';
import type { HistoryAnswer } from '@/features/quiz/api/history';
import type { PlayerState } from './player';

const playerStateSchema = givenAnswersSchema.extend({
  mode: attemptSchema.shape.mode,
  index: z.number().int().min(0),
  selected: z.record(z.string(), choiceSchema),
  // Absent in ledgers written before confidence existed.
  confidence: z.record(z.string(), confidenceSchema).default({}),
  struck: z.record(z.string(), z.array(choiceSchema)),
  spentMs: z.record(z.string(), z.number()),
  enteredAt: z.number(),
});

/** The stored player state if it belongs to this very block (same questions in the same order). */
export function restorablePlayer(ledger: BlockLedger | null, attempt: Attempt): PlayerState | null {
  if (!ledger) return null;
  const parsed = playerStateSchema.safeParse(ledger.player);
  if (!parsed.success) return null;
  const p = parsed.data;
  const same = p.mode === attempt.mode && p.questionIds.length === attempt.question_ids.length && p.questionIds.every((q, i) => q === attempt.question_ids[i]);
  return same && p.index < p.questionIds.length ? p : null;
}

/**
 * What this device knows of the student's history beyond the server's copy: answers given in saved
 * blocks (graded by the server if it answered, else by the cached key; with the question's organ system
 * when the question is known here) and marks. Merged into the
 * server history when building a block, so the unused / incorrect / marked pools are right offline.
 */
export function localHistory(
  storage: Storage,
  questionOf: (questionId: number) => Pick<Question, 'correct_choice' | 'organ_system'> | undefined,
): { answers: HistoryAnswer[]; marked: Set<number> } {
  const answers: HistoryAnswer[] = [];
  const marked = new Set<number>();
  for (const ledger of allBlockLedgers(storage)) {
    const outcomes = new Map(ledger.outcomes.map((o) => [o.id, o]));
    for (const [q, a] of Object.entries(ledger.player.submitted)) {
      const questionId = Number(q);
      const graded = outcomes.get(a.id)?.is_correct;
      const question = questionOf(questionId);
      const is_correct = graded ?? question?.correct_choice === a.choice;
      answers.push({
        id: a.id,
        question_id: questionId,
        is_correct,
        answered_at: a.answeredAt,
        time_spent_ms: a.timeSpentMs,
        confidence: a.confidence ?? null,
        ...(question ? { organ_system: question.organ_system } : {}),
      });
    }
    for (const q of ledger.player.marked) marked.add(q);
  }
  return { answers, marked };
}
