/**
 * Seeds "Big cohort" on the e2e database: the demo instructor's cohort of 10,000 students with
 * leaderboard rollups, for the virtualised leaderboard spec. Set-based SQL as admin, written straight
 * into the rollups (no answers): the board reads only the rollups, and generating 200,000 answers
 * through the triggers would take minutes on PGlite. The students cannot sign in (no password).
 * A few of them also have real answers, so the cohort's item statistics show flags, and the last few
 * joined a month ago and never answered, so the analytics page has students at risk.
 */
import type { RunningServer } from '../supabase/local/server.ts';

/** Students of the big cohort with real answers (item statistics flag items from 10 students on). */
const STATS_STUDENTS = 40;
/** The last students of the big cohort: members for a month who never answered (at risk on the analytics page). */
export const QUIET_STUDENTS = 10;

export const BIG_COHORT = { id: '00000000-0000-4000-8000-0000000000b1', name: 'Big cohort', joinCode: 'BIGCOHRT', size: 10_000 } as const;

export async function seedBigCohort(server: RunningServer): Promise<void> {
  const n = BIG_COHORT.size;
  await server.engine.admin((tx) =>
    tx.exec(`
      insert into public.cohorts (id, name, join_code, instructor_id, min_answers_to_rank)
      values ('${BIG_COHORT.id}', '${BIG_COHORT.name}', '${BIG_COHORT.joinCode}', '00000000-0000-4000-8000-000000000001', 10);

      -- The sign-up trigger creates each profile (display name from raw_user_meta_data).
      insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                              raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
                              confirmation_token, recovery_token, email_change_token_new, email_change)
      select '00000000-0000-0000-0000-000000000000',
             ('00000000-0000-4000-9000-' || lpad(g::text, 12, '0'))::uuid,
             'authenticated', 'authenticated', 'big-' || g || '@test.local', '', now(),
             '{"provider":"email","providers":["email"]}'::jsonb,
             jsonb_build_object('display_name', 'Big Student ' || lpad(g::text, 5, '0')),
             now(), now(), '', '', '', ''
      from generate_series(1, ${n}) g;

      -- The last ${QUIET_STUDENTS} joined a month ago and never answered: the analytics page lists them at risk.
      insert into public.cohort_members (cohort_id, user_id, joined_at)
      select '${BIG_COHORT.id}', ('00000000-0000-4000-9000-' || lpad(g::text, 12, '0'))::uuid,
             case when g > ${n - QUIET_STUDENTS} then now() - interval '30 days' else now() end
      from generate_series(1, ${n}) g;

      -- Deterministic, varied totals (all ≥ 10 answers, so everyone is ranked).
      insert into public.leaderboard_all_time (cohort_id, user_id, answered, correct, reached_at)
      select '${BIG_COHORT.id}', ('00000000-0000-4000-9000-' || lpad(g::text, 12, '0'))::uuid,
             40 + g % 200, (g * 7919) % (41 + g % 200), now() - (g % 997) * interval '1 minute'
      from generate_series(1, ${n}) g;

      insert into public.leaderboard_weekly (cohort_id, week_start, user_id, answered, correct, reached_at)
      select '${BIG_COHORT.id}', private.iso_week_start(now()), ('00000000-0000-4000-9000-' || lpad(g::text, 12, '0'))::uuid,
             10 + g % 50, (g * 104729) % (11 + g % 50), now() - (g % 991) * interval '1 second'
      from generate_series(1, ${n}) g;

      -- Real first attempts for item statistics: the first ${STATS_STUDENTS} students answer the first 5 published
      -- questions (graded against the key, through the rollup trigger like any answer). Question 1 is
      -- answered correctly by all (too easy), question 2 by none (too hard), questions 3–5 by the
      -- stronger students only (discriminating).
      insert into public.attempts (id, user_id, mode, question_ids)
      select ('00000000-0000-4000-a000-' || lpad(g::text, 12, '0'))::uuid,
             ('00000000-0000-4000-9000-' || lpad(g::text, 12, '0'))::uuid, 'tutor',
             (select array_agg(id order by id) from (select id from public.questions where published order by id limit 5) q)
      from generate_series(1, ${STATS_STUDENTS}) g;

      insert into public.answers (id, attempt_id, question_id, user_id, choice, is_correct, time_spent_ms, answered_at)
      select gen_random_uuid(), ('00000000-0000-4000-a000-' || lpad(g::text, 12, '0'))::uuid, q.id,
             ('00000000-0000-4000-9000-' || lpad(g::text, 12, '0'))::uuid,
             case when ok then q.correct_choice else chr(65 + (ascii(q.correct_choice) - 64) % 4) end,
             ok, 20000 + 1000 * q.k, now() - interval '1 hour'
      from generate_series(1, ${STATS_STUDENTS}) g
      cross join (select id, correct_choice, row_number() over (order by id) as k
                  from public.questions where published order by id limit 5) q
      cross join lateral (select case q.k when 1 then true when 2 then false else g > ${STATS_STUDENTS} * (q.k - 2) / 4 end as ok) c;
    `),
  );
}
