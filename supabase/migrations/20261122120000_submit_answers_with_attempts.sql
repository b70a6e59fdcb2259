-- Purpose: submit_answers() also carries the attempts (blocks) its answers belong to, so an offline
-- queue syncs a block's creation, its answers and its completion in the same request: 500 queued answers
-- from 13 blocks are 10 requests, and an answer can never arrive before its block.
-- Affected: public.submit_answers(jsonb) replaced by public.submit_answers(jsonb, jsonb).
-- Batch semantics are unchanged (docs/decisions/003); attempts follow the same rule: a malformed attempt
-- refuses the whole call with 400, a well-formed one the server refuses is skipped and reported through
-- its answers.

drop function public.submit_answers(jsonb);

-- submit_answers(answers jsonb, attempts jsonb default null) → jsonb array of answer outcomes, in
-- input order (see 20261122090600 for the outcome shape and the batch semantics).
-- attempts: up to 50 objects {id, mode, question_ids, time_limit_seconds, filters, started_at,
-- completed_at, marked_question_ids}: created if new, else completed_at (once) and marks updated.
-- answers may be empty when attempts is not (completing a block whose answers were already sent).
-- Definer: as before (grades, writes answers and rollups the caller cannot write).
create function public.submit_answers(answers jsonb, attempts jsonb default null)
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
  -- inserted (the attempts trigger validates them and applies the creation rate limit); existing ones of
  -- the caller get their completion and marks. An attempt the trigger refuses (e.g. a question that was
  -- unpublished meanwhile) is skipped; its answers come back rejected with attempt_not_found. A rate
  -- limit (SQLSTATE PGRST) is not caught: the whole call is refused with 429 and retried later.
  for v_attempt in select value from jsonb_array_elements(coalesce(attempts, '[]')) loop
    if not exists (select 1 from public.attempts a where a.id = (v_attempt ->> 'id')::uuid) then
      begin
        insert into public.attempts (id, user_id, mode, question_ids, time_limit_seconds, filters, started_at, completed_at, marked_question_ids)
        values (
          (v_attempt ->> 'id')::uuid, v_uid, v_attempt ->> 'mode',
          array(select x::bigint from jsonb_array_elements_text(v_attempt -> 'question_ids') x),
          (v_attempt ->> 'time_limit_seconds')::integer,
          coalesce(v_attempt -> 'filters', '{}'),
          coalesce((v_attempt ->> 'started_at')::timestamptz, now()),
          -- A device clock that ran backwards must not make the block unsyncable: never before the start.
          case when v_attempt ->> 'completed_at' is null then null
               else greatest((v_attempt ->> 'completed_at')::timestamptz, coalesce((v_attempt ->> 'started_at')::timestamptz, now())) end,
          array(select x::bigint from jsonb_array_elements_text(coalesce(v_attempt -> 'marked_question_ids', '[]')) x))
        on conflict (id) do nothing;
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
revoke all on function public.submit_answers(jsonb, jsonb) from public, anon, authenticated, service_role;
grant execute on function public.submit_answers(jsonb, jsonb) to authenticated;
