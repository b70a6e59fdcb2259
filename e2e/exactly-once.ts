/**
 * Exactly-once, checked so that a broken client fails it. The server's primary key and its unique
 * (attempt, question) already make "two rows for one question" impossible, so counting those proves
 * nothing. What the app could still get wrong, and what these counts catch:
 * - lost: an answer the student gave that the server does not have;
 * - notGiven: an answer on the server the student did not give on this device;
 * - changed: a stored choice that is not the one the student last gave for that question;
 * - rekeyed: a question sent under more than one answer id (a retry must re-send the same id; a new id
 *   for an answered question would be dropped by the server, or counted if the first never arrived);
 * - resent: ids sent more than once (retries after a failure or a lost response: expected, reported).
 */
import type { Page } from '@playwright/test';
import { z } from 'zod';
import type { StoredAnswer } from './api.ts';

export interface GivenAnswer {
  attemptId: string;
  id: string;
  questionId: number;
  choice: string;
}

/** Every answer in the app's saved block sessions (localStorage rounds.player.*): what the student gave. */
export async function givenAnswers(page: Page): Promise<GivenAnswer[]> {
  return page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith('rounds.player.'))
      .flatMap((k) => {
        const session: { attempt: { id: string }; player: { submitted: Record<string, { id: string; choice: string }> } } = JSON.parse(
          localStorage.getItem(k) ?? '{}',
        );
        return Object.entries(session.player.submitted).map(([q, a]) => ({ attemptId: session.attempt.id, id: a.id, questionId: Number(q), choice: a.choice }));
      }),
  );
}

/** The answers of a submit_answers request body, as the page put them on the wire. */
export const sentAnswersSchema = z.object({
  answers: z.array(z.object({ id: z.string(), attempt_id: z.string(), question_id: z.number(), choice: z.string() })),
});
export type SentAnswer = z.infer<typeof sentAnswersSchema>['answers'][number];

export interface ExactlyOnce {
  lost: number;
  notGiven: number;
  changed: number;
  rekeyed: number;
  resent: number;
}

export function exactlyOnce(
  given: readonly GivenAnswer[],
  stored: readonly Pick<StoredAnswer, 'id' | 'attempt_id' | 'question_id' | 'choice'>[],
  sent: readonly SentAnswer[] = [],
): ExactlyOnce {
  const storedIds = new Set(stored.map((a) => a.id));
  const givenIds = new Set(given.map((a) => a.id));
  const givenChoice = new Map(given.map((a) => [`${a.attemptId}:${a.questionId}`, a.choice]));
  const idsPerQuestion = new Map<string, Set<string>>();
  const sendsPerId = new Map<string, number>();
  for (const a of sent) {
    const key = `${a.attempt_id}:${a.question_id}`;
    idsPerQuestion.set(key, (idsPerQuestion.get(key) ?? new Set()).add(a.id));
    sendsPerId.set(a.id, (sendsPerId.get(a.id) ?? 0) + 1);
  }
  return {
    lost: given.filter((a) => !storedIds.has(a.id)).length,
    notGiven: stored.filter((a) => !givenIds.has(a.id)).length,
    changed: stored.filter((a) => givenChoice.get(`${a.attempt_id}:${a.question_id}`) !== a.choice).length,
    rekeyed: [...idsPerQuestion.values()].filter((ids) => ids.size > 1).length,
    resent: [...sendsPerId.values()].filter((n) => n > 1).length,
  };
}

/**
 * The answers the leaderboards count (docs/decisions/017): per question, the first the server received
 * (then the earlier answered_at, then the smaller id). Timestamps are PostgREST's ISO text in UTC, so
 * they compare as strings.
 */
export function firstAnswers<T extends Pick<StoredAnswer, 'id' | 'question_id' | 'received_at' | 'answered_at'>>(stored: readonly T[]): T[] {
  const key = (a: T) => [a.received_at, a.answered_at, a.id];
  const first = new Map<number, T>();
  for (const a of stored) {
    const seen = first.get(a.question_id);
    if (!seen || key(a).join('|') < key(seen).join('|')) first.set(a.question_id, a);
  }
  return [...first.values()];
}
