import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { requireCurrentUserId } from '@/lib/current-user';
import { isTransientError } from '@/lib/network/retry-policy';
import { readAnswerLog, writeAnswerLog } from './answer-log-store';
import { historyAnswerSchema, type History, type HistoryAnswer } from './history';
import { quizKeys } from './keys';


const markedSchema = z.object({ marked_question_ids: z.array(z.number().int()) });


const logRowSchema = historyAnswerSchema.extend({ received_at: z.string() });
/** get_my_answer_log's page size (its maximum). */
const LOG_PAGE = 1000;

function sameMarks(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((q, i) => q === b[i]);
}

/**
 * How far before the last received_at a read starts again. received_at is the inserting transaction's
 * start, so a batch still committing when this device last read can carry an earlier time than rows it
 * already saw; no submit_answers call runs anywhere near this long. Re-read rows are merged by id.
 */
const REREAD_MS = 10 * 60 * 1000;

/**
 * The caller's answers (for the unused/incorrect pools, and the spaced-review cards, which are replayed
 * from them) and marked questions (for the marked pool).
 *
 * Incremental: the first read takes every answer; later ones only those received since the last read
 * (less REREAD_MS), merged by id into the cached copy. That keeps a refresh to one small request however
 * long the history is, so it can be refreshed each time a page needs it — and a student's second device
 * sees the first one's answers as soon as they have synced.
 */
export function getHistoryQueryOptions() {
  return queryOptions({
    queryKey: quizKeys.history(),
    queryFn: async ({ signal, client, queryKey }): Promise<History> => {
      let previous = client.getQueryData<History>(queryKey);
      let me: string | undefined;
      try {
        me = await requireCurrentUserId();
        if (previous === undefined) {
          // The first read of this page load: this device's copy, shown at once while what is new loads.
          previous = await readAnswerLog(me);
          if (previous !== undefined) client.setQueryData(queryKey, previous);
        }
        const since = previous?.syncedTo ? new Date(Date.parse(previous.syncedTo) - REREAD_MS).toISOString() : null;
        // Own answers only (get_my_answer_log filters user_id = auth.uid(): RLS alone would add an
        // instructor's students), a keyset page at a time: a year of study exceeds 1,000 rows.
        const fresh: z.infer<typeof logRowSchema>[] = [];
        let after: { received: string; id: string | undefined } | null = since === null ? null : { received: since, id: undefined };
        for (;;) {
          const { data } = await supabase
            .rpc('get_my_answer_log', { p_after_received: after?.received, p_after_id: after?.id, p_limit: LOG_PAGE })
            .abortSignal(signal)
            .throwOnError();
          const page = z.array(logRowSchema).parse(data);
          fresh.push(...page);
          const last = page.at(-1);
          if (page.length < LOG_PAGE || !last) break;
          after = { received: last.received_at, id: last.id };
        }
        const byId = new Map<string, HistoryAnswer>(since === null ? [] : (previous?.answers ?? []).map((a) => [a.id, a]));
        let syncedTo = since === null ? null : (previous?.syncedTo ?? null);
        for (const { received_at, ...answer } of fresh) {
          byId.set(answer.id, answer);
          if (syncedTo === null || Date.parse(received_at) > Date.parse(syncedTo)) syncedTo = received_at;
        }
        const { data: marks } = await supabase
          .from('attempts')
          .select('marked_question_ids')
          .eq('user_id', me)
          .filter('marked_question_ids', 'neq', '{}')
          .abortSignal(signal)
          .throwOnError();
        const marked = [...new Set(z.array(markedSchema).parse(marks).flatMap((r) => r.marked_question_ids))];
        // Nothing new (answers never change once stored): the same object, so nothing that shows the
        // history renders or recomputes again.
        const known = previous;
        if (since !== null && known !== undefined && sameMarks(marked, known.marked)) {
          const ids = new Set(known.answers.map((a) => a.id));
          if (fresh.every((a) => ids.has(a.id))) return known;
        }
        const next: History = { answers: [...byId.values()], marked, syncedTo };
        void writeAnswerLog(me, next);
        return next;
      } catch (error) {
        // Without a network, blocks are still built: from the last history this device saw (restored
        // from storage) plus the blocks taken here (merged by the form), or from nothing at all.
        if (!isTransientError(error)) throw error;
        return previous ?? (me === undefined ? undefined : await readAnswerLog(me)) ?? { answers: [], marked: [], syncedTo: null };
      }
    },
    // A refresh is one small request (above), and another device may have synced meanwhile: every page
    // that shows the history reads what is new.
    staleTime: 0,
    retry: false,
    // A new log is a new object (above); comparing 20,000 rows deeply with the old one cost more than
    // the screens it could spare.
    structuralSharing: false,
  });
}
