-- Demo data for local development and tests (`supabase db reset` runs it too). Runs after
-- supabase/seed/questions_*.sql (see [db.seed] in config.toml).
-- Logins (password for all: rounds-demo):
--   instructor@example.com  (instructor of the cohort "Class of 2028 - Step 1", join code ROUNDS28)
--   student@example.com     (student in that cohort, with answer history)
--   priya@, jordan@, li@, amara@, diego@example.com (more students; diego hides from leaderboards)

-- The question files insert explicit ids; move the identity past them so new questions do not collide.
select setval(pg_get_serial_sequence('public.questions', 'id'), (select max(id) from public.questions));

select setseed(0.42);

with people (id, email, display_name, alias, opt_out, is_instructor) as (
  values
    ('00000000-0000-4000-8000-000000000001'::uuid, 'instructor@example.com', 'Dr. Maya Patel', null, false, true),
    ('00000000-0000-4000-8000-000000000002'::uuid, 'student@example.com', 'Sam Rivera', 'NightShiftSam', false, false),
    ('00000000-0000-4000-8000-000000000003'::uuid, 'priya@example.com', 'Priya Nair', 'KrebsCycler', false, false),
    ('00000000-0000-4000-8000-000000000004'::uuid, 'jordan@example.com', 'Jordan Lee', null, false, false),
    ('00000000-0000-4000-8000-000000000005'::uuid, 'li@example.com', 'Li Wei', 'Wei2Go', false, false),
    ('00000000-0000-4000-8000-000000000006'::uuid, 'amara@example.com', 'Amara Okafor', 'AmaraO', false, false),
    ('00000000-0000-4000-8000-000000000007'::uuid, 'diego@example.com', 'Diego Santos', null, true, false)
),
new_users as (
  insert into auth.users (
    instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, last_sign_in_at,
    raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
    confirmation_token, recovery_token, email_change_token_new, email_change
  )
  select '00000000-0000-0000-0000-000000000000', p.id, 'authenticated', 'authenticated', p.email,
         extensions.crypt('rounds-demo', extensions.gen_salt('bf', 10)), now(), null,
         case when p.is_instructor
           then '{"provider":"email","providers":["email"],"role":"instructor"}'::jsonb
           else '{"provider":"email","providers":["email"]}'::jsonb end,
         jsonb_build_object('display_name', p.display_name, 'email_verified', true),
         now() - interval '30 days', now() - interval '30 days',
         '', '', '', ''
  from people p
  returning id, email
)
insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
select u.id::text, u.id, jsonb_build_object('sub', u.id::text, 'email', u.email, 'email_verified', true), 'email',
       now() - interval '30 days', now() - interval '30 days', now() - interval '30 days'
from new_users u;

-- The sign-up trigger created the profiles; add aliases and opt-outs.
update public.profiles p set leaderboard_alias = v.alias, leaderboard_opt_out = v.opt_out
from (values
  ('00000000-0000-4000-8000-000000000002'::uuid, 'NightShiftSam', false),
  ('00000000-0000-4000-8000-000000000003'::uuid, 'KrebsCycler', false),
  ('00000000-0000-4000-8000-000000000005'::uuid, 'Wei2Go', false),
  ('00000000-0000-4000-8000-000000000006'::uuid, 'AmaraO', false),
  ('00000000-0000-4000-8000-000000000007'::uuid, null, true)
) as v(id, alias, opt_out)
where p.id = v.id;

insert into public.cohorts (id, name, join_code, instructor_id, min_answers_to_rank)
values ('00000000-0000-4000-8000-0000000000c1', 'Class of 2028 - Step 1', 'ROUNDS28',
        '00000000-0000-4000-8000-000000000001', 10);

insert into public.cohort_members (cohort_id, user_id, joined_at)
select '00000000-0000-4000-8000-0000000000c1', p.id, now() - interval '28 days'
from public.profiles p where p.role = 'student';

-- Answer history: three 20-question blocks per student over the last three weeks (the last one this
-- week), each student with their own accuracy. Graded exactly like submit_answers grades.
do $$
declare
  s record;
  k integer;
  v_attempt uuid;
  v_started timestamptz;
  v_qids bigint[];
  v_mode text;
begin
  if (select count(*) from public.questions q where q.published) < 20 then
    raise notice 'seed: fewer than 20 published questions, no answer history created';
    return;
  end if;
  for s in
    select p.id, row_number() over (order by p.id) as n,
           (array[0.66, 0.81, 0.55, 0.72, 0.77, 0.61])[row_number() over (order by p.id)] as skill
    from public.profiles p where p.role = 'student'
  loop
    for k in 1..3 loop
      v_attempt := gen_random_uuid();
      v_started := case when k = 3
        then greatest(date_trunc('week', now() at time zone 'UTC') at time zone 'UTC', now() - make_interval(hours => s.n::integer * 2))
        else now() - make_interval(days => (3 - k) * 7 + s.n::integer) end;
      v_mode := case when k % 2 = 0 then 'timed' else 'tutor' end;
      select array_agg(id order by r) into v_qids
        from (select q.id, random() as r from public.questions q where q.published order by r limit 20) x;
      insert into public.attempts (id, user_id, mode, question_ids, time_limit_seconds, filters, started_at, completed_at)
      values (v_attempt, s.id, v_mode, v_qids,
              case when v_mode = 'timed' then 90 * cardinality(v_qids) end,
              '{"pool":"all"}', v_started, v_started + interval '30 minutes');
      insert into public.answers (id, attempt_id, question_id, user_id, choice, is_correct, time_spent_ms, answered_at, received_at)
      select gen_random_uuid(), v_attempt, q.id, s.id, g.choice, g.choice = q.correct_choice,
             (40000 + random() * 80000)::integer,
             v_started + make_interval(secs => 80 * t.pos),
             v_started + make_interval(secs => 80 * t.pos + 2)
      from unnest(v_qids) with ordinality as t(qid, pos)
      join public.questions q on q.id = t.qid
      cross join lateral (
        select case when random() < s.skill then q.correct_choice
               else (array['A','B','C','D','E'])[1 + (ascii(q.correct_choice) - 65 + 1 + floor(random() * 4)::integer) % 5]
               end::char(1) as choice
      ) g;
    end loop;
  end loop;
end;
$$;
