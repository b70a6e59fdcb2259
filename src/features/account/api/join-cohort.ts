import { z } from 'zod';
import { normaliseJoinCode } from '@/features/account/model/join-code';
import { supabase } from '@/lib/supabase';

const joinedSchema = z.object({ id: z.string().uuid(), name: z.string() });
export type JoinedCohort = z.infer<typeof joinedSchema>;

/** Joins by code; idempotent on the server, so joining twice just answers with the cohort again. */
export async function joinCohort(code: string): Promise<JoinedCohort> {
  const { data } = await supabase.rpc('join_cohort', { code: normaliseJoinCode(code) }).throwOnError();
  return joinedSchema.parse(data);
}
