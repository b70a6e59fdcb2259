-- Purpose: the write RPCs students use: submit_answers() (server grading, idempotent, rate limited) and
-- join_cohort() (by code, rate limited against guessing).
-- Affected: public.answers (insert), rollups (through the answers trigger), public.cohort_members.

-- submit_answers(answers jsonb) → jsonb array of outcomes, in input order:
--   {"id", "status": "accepted"|"duplicate"|"rejected", "is_correct", "correct_choice", "reason"}
-- Input: a JSON array of 1–50 objects {id uuid, attempt_id uuid, question_id integer, choice 'A'–'E',
-- time_spent_ms integer, answered_at timestamptz}; other keys (e.g. a forged is_correct) are ignored.
--
-- Batch semantics (docs/decisions/003-submit-answers-batch-semantics.md):
--   * A malformed batch (not an array, > 50 rows, a row with a missing or mistyped field) is refused
--     whole with HTTP 400 and a message naming the first bad row: nothing is written. Such a batch is a
--     client bug and retrying it cannot succeed.
--   * Well-formed rows are judged one by one: rows that fail a business rule (unknown attempt, question
--     not in the attempt, question already answered with another id) are "rejected" with a reason while
--     the others are stored. One stale row must not block the rest of an offline queue.
--   * A replayed id returns "duplicate" with the stored grade and changes nothing.
-- Rate limit: 60 calls per minute per user (429 + Retry-After); refused calls write nothing.
-- Definer: students have no INSERT on answers (the grade must come from here) and the rollups it
-- updates are not writable by them either. It acts only for auth.uid() and checks attempt ownership.
create function public.submit_answers(answers jsonb)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
  v_n integer;
  v_row jsonb;
  v_i integer := 0;
  v_uuid_re constant text := '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
  v_result jsonb;
  v_inserted uuid[];
begin
  if v_uid is null then
    raise exception 'Sign in to submit answers.' using errcode = '42501';
  end if;
  if answers is null or jsonb_typeof(answers) <> 'array' then
    raise exception 'answers must be a JSON array of answer objects.' using errcode = '22023';
  end if;
  v_n := jsonb_array_length(answers);
  if v_n = 0 then
    raise exception 'answers is empty: send between 1 and 50 answers.' using errcode = '22023';
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

  perform private.check_rate_limit('submit_answers', 60, 60);

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
    from jsonb_array_elements(answers) with ordinality e
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
    from jsonb_array_elements(answers) with ordinality e
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
revoke all on function public.submit_answers(jsonb) from public, anon, authenticated, service_role;
grant execute on function public.submit_answers(jsonb) to authenticated;

-- join_cohort(code) → the cohort joined {id, name}. Idempotent: joining twice is not an error.
-- Rate limited to 10 tries per minute so join codes cannot be guessed by brute force; wrong codes count.
-- Definer: a student cannot read a cohort before joining it, nor insert memberships directly.
create function public.join_cohort(code text)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
  v_code text := upper(regexp_replace(coalesce(code, ''), '[\s-]', '', 'g'));
  v_cohort public.cohorts%rowtype;
begin
  if v_uid is null then
    raise exception 'Sign in to join a cohort.' using errcode = '42501';
  end if;
  if v_code !~ '^[A-Z0-9]{6,12}$' then
    raise exception 'A join code is 6 to 12 letters or digits.' using errcode = '22023';
  end if;
  perform private.check_rate_limit('join_cohort', 10, 60);
  select * into v_cohort from public.cohorts c where c.join_code = v_code;
  if not found then
    -- Answer 400 WITHOUT raising: raising would roll back the rate-limit row, and wrong guesses are
    -- exactly what the limit must count. PostgREST sends this body as the error (docs/local-server.md#response-gucs).
    perform set_config('response.status', '400', true);
    return jsonb_build_object(
      'code', 'cohort_not_found',
      'message', format('No cohort has the join code %s.', v_code),
      'details', null,
      'hint', 'Check the code with your instructor.');
  end if;
  if v_cohort.instructor_id = v_uid then
    raise exception 'You run this cohort; instructors do not join their own cohorts.' using errcode = '22023';
  end if;
  insert into public.cohort_members (cohort_id, user_id) values (v_cohort.id, v_uid)
  on conflict do nothing;
  return jsonb_build_object('id', v_cohort.id, 'name', v_cohort.name);
end;
$$;
revoke all on function public.join_cohort(text) from public, anon, authenticated, service_role;
grant execute on function public.join_cohort(text) to authenticated;
