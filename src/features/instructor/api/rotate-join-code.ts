import { z } from 'zod';
import { supabase } from '@/lib/supabase';

/** Replaces the cohort's join code; the old one stops working at once, members stay. */
export async function rotateJoinCode(cohortId: string): Promise<string> {
  const { data } = await supabase.rpc('rotate_join_code', { p_cohort_id: cohortId }).throwOnError();
  return z.string().parse(data);
}
