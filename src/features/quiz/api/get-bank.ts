import { queryOptions } from '@tanstack/react-query';
import { get, set, setMany } from 'idb-keyval';
import { isTransientError } from '@/lib/network/retry-policy';
import { z } from 'zod';
import { fetchAllRows } from '@/lib/paging';
import { supabase } from '@/lib/supabase';
import { choiceSchema } from '@/answer-sync/shapes';
import { questionMediaSchema } from '@/lib/question-media';
import { quizKeys } from './keys';

export const questionSchema = z.object({
  id: z.number().int(),
  stem: z.string(),
  choices: z.array(z.string()).length(5),
  correct_choice: choiceSchema,
  explanation: z.string(),
  organ_system: z.string(),
  discipline: z.string(),
  difficulty: z.number().int(),
  tags: z.array(z.string()),
  version: z.number().int(),
  /** Its images (decision 025); a copy stored before images existed has none. */
  media: questionMediaSchema,
});
export type Question = z.infer<typeof questionSchema>;

export const QUESTION_COLUMNS = 'id, stem, choices, correct_choice, explanation, organ_system, discipline, difficulty, tags, version, media';

/**
 * Every published question, keys and explanations included (tutor mode grades offline; the server
 * grades for real — docs/decisions/002). Read page by page, ordered by id, until a short page.
 */
export async function fetchBank(signal?: AbortSignal, onPage?: (loaded: number) => void): Promise<Question[]> {
  const rows = await fetchAllRows((from, to) => {
    const q = supabase.from('questions').select(QUESTION_COLUMNS).eq('published', true).order('id').range(from, to);
    return (signal ? q.abortSignal(signal) : q).throwOnError();
  }, onPage);
  return z.array(questionSchema).parse(rows);
}

/** The offline copy of the bank, kept in IndexedDB on its own (it is the largest thing the app stores). */
export const OFFLINE_BANK_KEY = 'rounds.bank.v1';
const offlineBankSchema = z.object({ questions: z.array(questionSchema), downloadedAt: z.string() });
export type OfflineBank = z.infer<typeof offlineBankSchema>;

export async function readOfflineBank(): Promise<OfflineBank | null> {
  try {
    const parsed = offlineBankSchema.safeParse(await get(OFFLINE_BANK_KEY));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * What home says about the offline copy (how many questions, how big, when), stored beside it: showing
 * that used to read the whole copy from IndexedDB, validate every question and serialise it again to
 * measure it — on every visit to home, for a bank of 1,000+ questions (megabytes) on a phone.
 */
export const OFFLINE_BANK_SUMMARY_KEY = 'rounds.bank-summary.v1';
const offlineBankSummarySchema = z.object({ count: z.number().int().min(0), bytes: z.number().int().min(0), downloadedAt: z.string() });
export type OfflineBankSummary = z.infer<typeof offlineBankSummarySchema>;

function summarise(bank: OfflineBank): OfflineBankSummary {
  return { count: bank.questions.length, bytes: new Blob([JSON.stringify(bank.questions)]).size, downloadedAt: bank.downloadedAt };
}

/** The offline copy's summary, or null when there is no copy. */
export async function readOfflineBankSummary(): Promise<OfflineBankSummary | null> {
  try {
    const parsed = offlineBankSummarySchema.safeParse(await get(OFFLINE_BANK_SUMMARY_KEY));
    if (parsed.success) return parsed.data;
    // A copy stored by a build before the summary existed: derive it once and keep it.
    const bank = await readOfflineBank();
    if (!bank) return null;
    const summary = summarise(bank);
    await set(OFFLINE_BANK_SUMMARY_KEY, summary).catch(() => undefined);
    return summary;
  } catch {
    return null;
  }
}

/**
 * Stores the bank for offline use, with its summary in the same IndexedDB transaction (both or
 * neither); throws (e.g. QuotaExceededError) so the caller can tell the student.
 */
export async function writeOfflineBank(questions: Question[]): Promise<OfflineBankSummary> {
  const bank: OfflineBank = { questions, downloadedAt: new Date().toISOString() };
  const summary = summarise(bank);
  await setMany([
    [OFFLINE_BANK_KEY, bank],
    [OFFLINE_BANK_SUMMARY_KEY, summary],
  ]);
  return summary;
}

/** How many published questions there are (for the download's progress bar). */
export async function countPublishedQuestions(): Promise<number> {
  const { count } = await supabase.from('questions').select('id', { count: 'exact', head: true }).eq('published', true).throwOnError();
  return count ?? 0;
}

/** The bank, however it is cached, stays out of the persisted cache (query-defaults.ts). */
export function getBankQueryOptions() {
  return queryOptions({
    queryKey: quizKeys.bank(),
    // Network first, so a newly published question appears; without a network (or with the server
    // failing) the downloaded copy answers, so blocks can be built and played offline.
    queryFn: async ({ signal }) => {
      try {
        const questions = await fetchBank(signal);
        // Refresh the offline copy only if the student asked for one (it has a size cost).
        if (await readOfflineBank()) await writeOfflineBank(questions).catch(() => undefined);
        return questions;
      } catch (error) {
        if (!isTransientError(error)) throw error;
        const offline = await readOfflineBank();
        if (offline) return offline.questions;
        throw error;
      }
    },
    // The bank changes only when an instructor publishes; a day is fresh enough, and blocks are built
    // from whatever is cached (also offline). A publish shows up on the next day or next manual refresh.
    staleTime: 24 * 60 * 60 * 1000,
    // Offline the downloaded copy answers at once instead of waiting for retries to give up.
    retry: false,
  });
}
