import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { quizKeys } from './keys';

/** PostgREST (and Supabase) cap a response at 1,000 rows; the bank is read in pages of this size. */
export const BANK_PAGE_SIZE = 1000;

export const questionSchema = z.object({
  id: z.number().int(),
  stem: z.string(),
  choices: z.array(z.string()).length(5),
  correct_choice: z.enum(['A', 'B', 'C', 'D', 'E']),
  explanation: z.string(),
  organ_system: z.string(),
  discipline: z.string(),
  difficulty: z.number().int(),
  tags: z.array(z.string()),
  version: z.number().int(),
});
export type Question = z.infer<typeof questionSchema>;

const COLUMNS = 'id, stem, choices, correct_choice, explanation, organ_system, discipline, difficulty, tags, version';

/**
 * Every published question, keys and explanations included (tutor mode grades offline; the server
 * grades for real — docs/decisions/002). Read page by page, ordered by id, until a short page.
 */
export async function fetchBank(signal?: AbortSignal, onPage?: (loaded: number) => void): Promise<Question[]> {
  const all: Question[] = [];
  for (let from = 0; ; from += BANK_PAGE_SIZE) {
    let q = supabase.from('questions').select(COLUMNS).eq('published', true).order('id').range(from, from + BANK_PAGE_SIZE - 1);
    if (signal) q = q.abortSignal(signal);
    const { data } = await q.throwOnError();
    const page = z.array(questionSchema).parse(data);
    all.push(...page);
    onPage?.(all.length);
    if (page.length < BANK_PAGE_SIZE) return all;
  }
}

export function getBankQueryOptions() {
  return queryOptions({
    queryKey: quizKeys.bank(),
    queryFn: ({ signal }) => fetchBank(signal),
    // The bank changes only when an instructor publishes; a day is fresh enough, and blocks are built
    // from whatever is cached (also offline). A publish shows up on the next day or next manual refresh.
    staleTime: 24 * 60 * 60 * 1000,
  });
}
