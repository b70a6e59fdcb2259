-- Purpose: the five remaining API functions that were `security definer` become `security invoker`
-- (Supabase's linter, lint 0029: a definer function in an exposed schema runs with its owner's rights
-- for any signed-in caller). Each moves the one step it cannot do as the caller into a narrow definer
-- helper in `private` (not exposed by the API, `search_path = ''`, execute for `authenticated` only),
-- which acts for auth.uid() only. Names, arguments, results and errors of the RPCs are unchanged.
-- Affected: public.submit_answers(jsonb, jsonb), public.join_cohort(text), public.get_cohort_roster(uuid),
-- public.export_cohort_results(uuid), public.get_choice_distribution(bigint[]); new helpers
-- private.store_graded_answers(jsonb), private.join_cohort_by_code(text), private.cohort_member_emails(uuid),
-- private.peer_choice_counts(bigint[]); private.check_rate_limit() becomes executable by `authenticated`.
-- Issue #14 item 2; docs/decisions/016-least-privilege-rpcs.md.

-- submit_answers, now an invoker function running as `authenticated`, applies its rate limit itself
-- (before it writes the attempts of the call, as before). The limit only ever counts
-- and refuses calls of auth.uid() (its argument is the action's name and limits, not a user), and
-- `private` is not exposed, so only our functions can call it.
revoke all on function private.check_rate_limit(text, integer, integer) from public, anon, authenticated, service_role;
grant execute on function private.check_rate_limit(text, integer, integer) to authenticated;

-- Grades and stores the caller's answers, and reports each one's outcome in input order (the shape and
-- meaning are those of submit_answers, 20261122090600). p_answers must already be shape-checked (by
-- submit_answers); a row that is not casts to a 4xx error and writes nothing.
-- Definer: students have no INSERT on answers (the grade must come from the key, here), and telling a
-- replay from an id taken by someone else ('id_conflict') needs to see answers RLS hides. Every row is
-- written as auth.uid() and only into attempts auth.uid() owns; the only fact about other users' rows
-- that leaves this function is that an answer id is taken.
create function private.store_graded_answers(p_answers jsonb)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
  v_result jsonb;
  v_inserted uuid[];
begin
  if v_uid is null then
    raise exception 'Sign in to submit answers.' using errcode = '42501';
  end if;
  -- One insert for the whole batch: the statement-level rollup trigger then sees every new row at once.
  -- ON CONFLICT DO NOTHING (id, or attempt+question) makes replays and races harmless; concurrent
  -- inserts of the same id wait for each other on the unique index, and only one row is ever written.
  with input as (
    select (e.value ->> 'id')::uuid as id,
           (e.value ->> 'attempt_id')::uuid as attempt_id,
           (e.value ->> 'question_id')::bigint as question_id,
           (e.value ->> 'choice')::char(1) as choice,
           (e.value ->> 'time_spent_ms')::integer as time_spent_ms,
           (e.value ->> 'answered_at')::timestamptz as answered_at,
           e.ordinality as ord,
           row_number() over (partition by (e.value ->> 'id') order by e.ordinality) as nth
    from jsonb_array_elements(p_answers) with ordinality e
  ),
  ins as (
    insert into public.answers (id, attempt_id, question_id, user_id, choice, is_correct, time_spent_ms, answered_at)
    select i.id, i.attempt_id, i.question_id, v_uid, i.choice, i.choice = q.correct_choice, i.time_spent_ms, i.answered_at
    from input i
    join public.attempts a on a.id = i.attempt_id and a.user_id = v_uid and i.question_id = any (a.question_ids)
    join public.questions q on q.id = i.question_id
    where i.nth = 1
    order by i.ord
    on conflict do nothing
    returning id
  )
  select coalesce(array_agg(id), '{}') into v_inserted from ins;

  -- Outcomes in input order. This later statement sees the rows just inserted and any concurrent
  -- winner's committed row.
  with input as (
    select (e.value ->> 'id')::uuid as id,
           (e.value ->> 'attempt_id')::uuid as attempt_id,
           (e.value ->> 'question_id')::bigint as question_id,
           e.ordinality as ord,
           row_number() over (partition by (e.value ->> 'id') order by e.ordinality) as nth
    from jsonb_array_elements(p_answers) with ordinality e
  )
  select coalesce(jsonb_agg(o.outcome order by o.ord), '[]') into v_result
  from (
    select i.ord,
      case
        when i.nth = 1 and i.id = any (v_inserted) then
          jsonb_build_object('id', i.id, 'status', 'accepted', 'is_correct', ans.is_correct, 'correct_choice', q.correct_choice)
        when ans.id is not null and ans.user_id = v_uid and ans.attempt_id = i.attempt_id and ans.question_id = i.question_id then
          jsonb_build_object('id', i.id, 'status', 'duplicate', 'is_correct', ans.is_correct, 'correct_choice', q.correct_choice)
        when ans.id is not null then
          jsonb_build_object('id', i.id, 'status', 'rejected', 'reason', 'id_conflict')
        when a.id is null then
          jsonb_build_object('id', i.id, 'status', 'rejected', 'reason', 'attempt_not_found')
        when not (i.question_id = any (a.question_ids)) or q.id is null then
          jsonb_build_object('id', i.id, 'status', 'rejected', 'reason', 'question_not_in_attempt')
        else
          jsonb_build_object('id', i.id, 'status', 'rejected', 'reason', 'already_answered')
      end as outcome
    from input i
    left join public.answers ans on ans.id = i.id
    left join public.attempts a on a.id = i.attempt_id and a.user_id = v_uid
    left join public.questions q on q.id = i.question_id
  ) o;

  return v_result;
end;
$$;
revoke all on function private.store_graded_answers(jsonb) from public, anon, authenticated, service_role;
grant execute on function private.store_graded_answers(jsonb) to authenticated;

-- submit_answers(answers, attempts): as in 20261122120000.
-- Invoker: checks run as the caller; attempts are created and completed by the caller under their own
-- RLS and column grants (students may insert their attempts and update completed_at and the marks);
-- answers go through private.store_graded_answers.
create or replace function public.submit_answers(answers jsonb, attempts jsonb default null)
returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
  v_n integer;
  v_row jsonb;
  v_i integer := 0;
  v_uuid_re constant text := '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
  v_attempt jsonb;
  v_na integer := 0;
begin
  if v_uid is null then
    raise exception 'Sign in to submit answers.' using errcode = '42501';
  end if;
  if answers is null or jsonb_typeof(answers) <> 'array' then
    raise exception 'answers must be a JSON array of answer objects.' using errcode = '22023';
  end if;
  v_n := jsonb_array_length(answers);
  if attempts is not null and jsonb_typeof(attempts) <> 'array' then
    raise exception 'attempts must be a JSON array of attempt objects.' using errcode = '22023';
  end if;
  v_na := coalesce(jsonb_array_length(attempts), 0);
  if v_n = 0 and v_na = 0 then
    raise exception 'answers is empty: send between 1 and 50 answers.' using errcode = '22023';
  end if;
  if v_na > 50 then
    raise exception 'Too many attempts in one call: % (the limit is 50).', v_na using errcode = '22023';
  end if;
  if v_n > 50 then
    raise exception 'Too many answers in one call: % (the limit is 50).', v_n
      using errcode = '22023', hint = 'Split the queue into batches of at most 50.';
  end if;

  -- Shape checks, all before any write, so a malformed batch changes nothing.
  for v_row in select value from jsonb_array_elements(answers) loop
    v_i := v_i + 1;
    if jsonb_typeof(v_row) <> 'object' then
      raise exception 'answers[%] must be an object.', v_i - 1 using errcode = '22023';
    end if;
    if jsonb_typeof(v_row -> 'id') is distinct from 'string' or (v_row ->> 'id') !~ v_uuid_re then
      raise exception 'answers[%].id must be a UUID.', v_i - 1 using errcode = '22023';
    end if;
    if jsonb_typeof(v_row -> 'attempt_id') is distinct from 'string' or (v_row ->> 'attempt_id') !~ v_uuid_re then
      raise exception 'answers[%].attempt_id must be a UUID.', v_i - 1 using errcode = '22023';
    end if;
    if jsonb_typeof(v_row -> 'question_id') is distinct from 'number' or (v_row ->> 'question_id') !~ '^[1-9][0-9]{0,17}$' then
      raise exception 'answers[%].question_id must be a positive integer.', v_i - 1 using errcode = '22023';
    end if;
    if jsonb_typeof(v_row -> 'choice') is distinct from 'string' or (v_row ->> 'choice') not in ('A', 'B', 'C', 'D', 'E') then
      raise exception 'answers[%].choice must be one of A, B, C, D, E.', v_i - 1 using errcode = '22023';
    end if;
    if jsonb_typeof(v_row -> 'time_spent_ms') is distinct from 'number' or (v_row ->> 'time_spent_ms') !~ '^[0-9]{1,8}$'
       or (v_row ->> 'time_spent_ms')::integer > 86400000 then
      raise exception 'answers[%].time_spent_ms must be an integer between 0 and 86400000.', v_i - 1 using errcode = '22023';
    end if;
    if jsonb_typeof(v_row -> 'answered_at') is distinct from 'string'
       or (v_row ->> 'answered_at') !~ '^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)$' then
      raise exception 'answers[%].answered_at must be an ISO 8601 timestamp with a time zone.', v_i - 1 using errcode = '22023';
    end if;
    begin
      perform (v_row ->> 'answered_at')::timestamptz;
    exception when others then
      raise exception 'answers[%].answered_at is not a valid date and time.', v_i - 1 using errcode = '22023';
    end;
  end loop;

  -- Attempt shape checks (same rule: a malformed batch writes nothing).
  v_i := 0;
  for v_attempt in select value from jsonb_array_elements(coalesce(attempts, '[]')) loop
    v_i := v_i + 1;
    if jsonb_typeof(v_attempt) <> 'object'
       or jsonb_typeof(v_attempt -> 'id') is distinct from 'string' or (v_attempt ->> 'id') !~ v_uuid_re then
      raise exception 'attempts[%].id must be a UUID.', v_i - 1 using errcode = '22023';
    end if;
    if (v_attempt ->> 'mode') is null or (v_attempt ->> 'mode') not in ('tutor', 'timed') then
      raise exception 'attempts[%].mode must be tutor or timed.', v_i - 1 using errcode = '22023';
    end if;
    if jsonb_typeof(v_attempt -> 'question_ids') is distinct from 'array'
       or jsonb_array_length(v_attempt -> 'question_ids') not between 1 and 40
       or exists (select 1 from jsonb_array_elements(v_attempt -> 'question_ids') x
                  where jsonb_typeof(x) <> 'number' or x::text !~ '^[1-9][0-9]{0,17}$') then
      raise exception 'attempts[%].question_ids must be 1 to 40 question ids.', v_i - 1 using errcode = '22023';
    end if;
    if (v_attempt -> 'time_limit_seconds') is not null and jsonb_typeof(v_attempt -> 'time_limit_seconds') not in ('number', 'null') then
      raise exception 'attempts[%].time_limit_seconds must be a number or null.', v_i - 1 using errcode = '22023';
    end if;
    if (v_attempt -> 'marked_question_ids') is not null and (jsonb_typeof(v_attempt -> 'marked_question_ids') <> 'array'
       or exists (select 1 from jsonb_array_elements(v_attempt -> 'marked_question_ids') x
                  where jsonb_typeof(x) <> 'number' or x::text !~ '^[1-9][0-9]{0,17}$')) then
      raise exception 'attempts[%].marked_question_ids must be question ids.', v_i - 1 using errcode = '22023';
    end if;
    if (v_attempt -> 'filters') is not null and jsonb_typeof(v_attempt -> 'filters') <> 'object' then
      raise exception 'attempts[%].filters must be an object.', v_i - 1 using errcode = '22023';
    end if;
    begin
      perform (v_attempt ->> 'started_at')::timestamptz, (v_attempt ->> 'completed_at')::timestamptz;
    exception when others then
      raise exception 'attempts[%] has an invalid started_at or completed_at.', v_i - 1 using errcode = '22023';
    end;
  end loop;

  perform private.check_rate_limit('submit_answers', 60, 60);

  -- Attempts first, so answers in the same call can refer to blocks started offline. New ones are
  -- inserted (the attempts trigger validates them and applies the creation rate limit), then completed
  -- and marked in the same subtransaction: an attempt refused by the trigger or a check (e.g. a question
  -- unpublished meanwhile, too many marks) is skipped whole and its answers come back rejected with
  -- attempt_not_found. Existing ones of the caller get their completion (once) and marks. A rate limit
  -- (SQLSTATE PGRST) is not caught: the whole call is refused with 429 and retried later. Only the
  -- caller's attempts are visible here; an id taken by another user's attempt conflicts and is skipped.
  for v_attempt in select value from jsonb_array_elements(coalesce(attempts, '[]')) loop
    if not exists (select 1 from public.attempts a where a.id = (v_attempt ->> 'id')::uuid) then
      begin
        insert into public.attempts (id, user_id, mode, question_ids, time_limit_seconds, filters, started_at)
        values (
          (v_attempt ->> 'id')::uuid, v_uid, v_attempt ->> 'mode',
          array(select x::bigint from jsonb_array_elements_text(v_attempt -> 'question_ids') x),
          (v_attempt ->> 'time_limit_seconds')::integer,
          coalesce(v_attempt -> 'filters', '{}'),
          coalesce((v_attempt ->> 'started_at')::timestamptz, now()))
        on conflict (id) do nothing;
        -- A device clock that ran backwards must not make the block unsyncable: never before the start.
        update public.attempts a set
          completed_at = case when v_attempt ->> 'completed_at' is null then null
                              else greatest((v_attempt ->> 'completed_at')::timestamptz, a.started_at) end,
          marked_question_ids = array(select x::bigint from jsonb_array_elements_text(coalesce(v_attempt -> 'marked_question_ids', '[]')) x)
        where a.id = (v_attempt ->> 'id')::uuid and a.user_id = v_uid and a.completed_at is null
          and (v_attempt ->> 'completed_at' is not null or v_attempt ? 'marked_question_ids');
      exception when sqlstate '22023' or sqlstate '23514' or sqlstate '23503' or sqlstate '22P02' then
        null; -- refused attempt: reported through its answers (attempt_not_found)
      end;
    else
      update public.attempts a set
        completed_at = coalesce(a.completed_at, case when v_attempt ->> 'completed_at' is null then null
                                                     else greatest((v_attempt ->> 'completed_at')::timestamptz, a.started_at) end),
        marked_question_ids = case when v_attempt ? 'marked_question_ids'
          then array(select x::bigint from jsonb_array_elements_text(v_attempt -> 'marked_question_ids') x)
          else a.marked_question_ids end
      where a.id = (v_attempt ->> 'id')::uuid and a.user_id = v_uid;
    end if;
  end loop;

  return private.store_graded_answers(answers);
end;
$$;
revoke all on function public.submit_answers(jsonb, jsonb) from public, anon, authenticated, service_role;
grant execute on function public.submit_answers(jsonb, jsonb) to authenticated;

-- Adds the caller to the cohort whose join code is p_code, once. Returns {id, name} of the cohort, or
-- null when no cohort has that code; refuses (22023) the cohort's own instructor. Every try counts
-- against the join_cohort rate limit (10 a minute) before the code is looked up, so codes cannot be
-- guessed through this function either.
-- Definer: a student can neither read a cohort before joining it nor insert memberships. It only ever
-- adds auth.uid(), and reveals nothing about a cohort but the name of the one whose code was given.
create function private.join_cohort_by_code(p_code text)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
  v_cohort public.cohorts%rowtype;
begin
  if v_uid is null then
    raise exception 'Sign in to join a cohort.' using errcode = '42501';
  end if;
  perform private.check_rate_limit('join_cohort', 10, 60);
  select * into v_cohort from public.cohorts c where c.join_code = p_code;
  if not found then
    return null;
  end if;
  if v_cohort.instructor_id = v_uid then
    raise exception 'You run this cohort; instructors do not join their own cohorts.' using errcode = '22023';
  end if;
  insert into public.cohort_members (cohort_id, user_id) values (v_cohort.id, v_uid)
  on conflict do nothing;
  return jsonb_build_object('id', v_cohort.id, 'name', v_cohort.name);
end;
$$;
revoke all on function private.join_cohort_by_code(text) from public, anon, authenticated, service_role;
grant execute on function private.join_cohort_by_code(text) to authenticated;

-- join_cohort(code): as in 20261122090600 (idempotent, 10 tries a minute, wrong codes count).
-- Invoker: the code's form is checked as the caller; counting the try, the lookup and the membership
-- insert are private.join_cohort_by_code.
create or replace function public.join_cohort(code text)
returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
  v_code text := upper(regexp_replace(coalesce(code, ''), '[\s-]', '', 'g'));
  v_joined jsonb;
begin
  if v_uid is null then
    raise exception 'Sign in to join a cohort.' using errcode = '42501';
  end if;
  if v_code !~ '^[A-Z0-9]{6,12}$' then
    raise exception 'A join code is 6 to 12 letters or digits.' using errcode = '22023';
  end if;
  v_joined := private.join_cohort_by_code(v_code);
  if v_joined is null then
    -- Answer 400 WITHOUT raising: raising would roll back the rate-limit row, and wrong guesses are
    -- exactly what the limit must count. PostgREST sends this body as the error.
    perform set_config('response.status', '400', true);
    return jsonb_build_object(
      'code', 'cohort_not_found',
      'message', format('No cohort has the join code %s.', v_code),
      'details', null,
      'hint', 'Check the code with your instructor.');
  end if;
  return v_joined;
end;
$$;
revoke all on function public.join_cohort(text) from public, anon, authenticated, service_role;
grant execute on function public.join_cohort(text) to authenticated;

-- The e-mail address of every member of a cohort the caller runs (42501 otherwise, as
-- private.require_cohort_instructor words it).
-- Definer: e-mail addresses live in auth.users, which no API role may read.
create function private.cohort_member_emails(p_cohort_id uuid)
returns table (user_id uuid, email text)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_cohort_instructor(p_cohort_id);
  return query
  select m.user_id, u.email::text
  from public.cohort_members m
  join auth.users u on u.id = m.user_id
  where m.cohort_id = p_cohort_id;
end;
$$;
revoke all on function private.cohort_member_emails(uuid) from public, anon, authenticated, service_role;
grant execute on function private.cohort_member_emails(uuid) to authenticated;

-- get_cohort_roster(cohort): as in 20261122110000.
-- Invoker: the instructor reads the members, their profiles, rollups and answers under RLS; the e-mail
-- addresses come from private.cohort_member_emails. Instructor-only (checked first).
create or replace function public.get_cohort_roster(p_cohort_id uuid)
returns table (
  user_id uuid,
  display_name text,
  email text,
  joined_at timestamptz,
  answered integer,
  correct integer,
  last_active_at timestamptz
)
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  perform private.require_cohort_instructor(p_cohort_id);
  return query
  select m.user_id, p.display_name, e.email, m.joined_at,
         coalesce(l.answered, 0), coalesce(l.correct, 0), last.at
  from public.cohort_members m
  join public.profiles p on p.id = m.user_id
  join private.cohort_member_emails(p_cohort_id) e on e.user_id = m.user_id
  left join public.leaderboard_all_time l on l.cohort_id = m.cohort_id and l.user_id = m.user_id
  left join lateral (
    select least(a.answered_at, a.received_at) as at
    from public.answers a where a.user_id = m.user_id
    order by a.answered_at desc limit 1
  ) last on true
  where m.cohort_id = p_cohort_id
  order by p.display_name, m.user_id;
end;
$$;
revoke all on function public.get_cohort_roster(uuid) from public, anon, authenticated, service_role;
grant execute on function public.get_cohort_roster(uuid) to authenticated;

-- export_cohort_results(cohort): as in 20261122110400.
-- Invoker: as get_cohort_roster (answers and questions under the instructor's RLS; e-mail addresses
-- from private.cohort_member_emails). Instructor-only (checked first).
create or replace function public.export_cohort_results(p_cohort_id uuid)
returns table (
  user_id uuid,
  display_name text,
  email text,
  joined_at timestamptz,
  answered integer,
  correct integer,
  accuracy numeric,
  by_system jsonb
)
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  perform private.require_cohort_instructor(p_cohort_id);
  return query
  with per_system as (
    select ans.user_id, q.organ_system, count(*)::integer as n, count(*) filter (where ans.is_correct)::integer as c
    from public.cohort_members m
    join public.answers ans on ans.user_id = m.user_id
    join public.questions q on q.id = ans.question_id
    where m.cohort_id = p_cohort_id
    group by ans.user_id, q.organ_system
  ),
  per_user as (
    select s.user_id, sum(s.n)::integer as n, sum(s.c)::integer as c,
           jsonb_object_agg(s.organ_system, jsonb_build_object(
             'answered', s.n, 'correct', s.c, 'accuracy', round(s.c::numeric / s.n, 4))) as systems
    from per_system s group by s.user_id
  )
  select m.user_id, p.display_name, e.email, m.joined_at,
         coalesce(pu.n, 0), coalesce(pu.c, 0),
         case when pu.n > 0 then round(pu.c::numeric / pu.n, 4) end,
         coalesce(pu.systems, '{}'::jsonb)
  from public.cohort_members m
  join public.profiles p on p.id = m.user_id
  join private.cohort_member_emails(p_cohort_id) e on e.user_id = m.user_id
  left join per_user pu on pu.user_id = m.user_id
  where m.cohort_id = p_cohort_id
  order by p.display_name, m.user_id;
end;
$$;
revoke all on function public.export_cohort_results(uuid) from public, anon, authenticated, service_role;
grant execute on function public.export_cohort_results(uuid) to authenticated;

-- How the caller's cohort peers first answered these questions, as counts per choice, for questions at
-- least 5 peers answered (see get_choice_distribution, 20261122100000).
-- Definer: peers' answers are invisible to a student under RLS. Peers are derived from auth.uid();
-- only counts of at least 5 leave this function.
create function private.peer_choice_counts(p_question_ids bigint[])
returns table (question_id bigint, peers integer, a integer, b integer, c integer, d integer, e integer)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
begin
  if v_uid is null then
    raise exception 'Sign in to see how peers answered.' using errcode = '42501';
  end if;
  return query
  with peers as (
    select distinct m2.user_id
    from public.cohort_members m1
    join public.cohort_members m2 on m2.cohort_id = m1.cohort_id
    where m1.user_id = v_uid and m2.user_id <> v_uid
  ),
  firsts as (
    select distinct on (a.user_id, a.question_id) a.question_id, a.choice
    from public.answers a
    join peers p on p.user_id = a.user_id
    where a.question_id = any (p_question_ids)
    order by a.user_id, a.question_id, a.answered_at
  )
  select f.question_id, count(*)::integer,
         count(*) filter (where f.choice = 'A')::integer, count(*) filter (where f.choice = 'B')::integer,
         count(*) filter (where f.choice = 'C')::integer, count(*) filter (where f.choice = 'D')::integer,
         count(*) filter (where f.choice = 'E')::integer
  from firsts f
  group by f.question_id
  having count(*) >= 5;
end;
$$;
revoke all on function private.peer_choice_counts(bigint[]) from public, anon, authenticated, service_role;
grant execute on function private.peer_choice_counts(bigint[]) to authenticated;

-- get_choice_distribution(question ids): as in 20261122100000.
-- Invoker: checks its arguments as the caller; the counts come from private.peer_choice_counts.
create or replace function public.get_choice_distribution(p_question_ids bigint[])
returns table (question_id bigint, peers integer, a integer, b integer, c integer, d integer, e integer)
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  if (select auth.uid()) is null then
    raise exception 'Sign in to see how peers answered.' using errcode = '42501';
  end if;
  if p_question_ids is null or cardinality(p_question_ids) > 200 then
    raise exception 'Ask for at most 200 questions at a time.' using errcode = '22023';
  end if;
  return query
  select x.question_id, x.peers, x.a, x.b, x.c, x.d, x.e from private.peer_choice_counts(p_question_ids) x;
end;
$$;
revoke all on function public.get_choice_distribution(bigint[]) from public, anon, authenticated, service_role;
grant execute on function public.get_choice_distribution(bigint[]) to authenticated;
