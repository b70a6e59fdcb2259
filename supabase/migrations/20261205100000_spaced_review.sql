-- Purpose: spaced review (issue #17). An answer may carry the student's confidence (sure / unsure /
-- guessed), a block may be a review block, and a student chooses the retention their reviews aim for.
-- Cards are not stored: the device derives each card's FSRS state from the answers (the answer log is
-- the review log; docs/decisions/021-spaced-review.md), so no new table and no new policy.
-- Review answers never change rank: only answers of practice blocks claim a first answer.
-- Affected: new function public.get_my_answer_log(timestamptz, uuid, integer); columns public.answers.confidence, public.attempts.kind, public.profiles.desired_retention;
-- the immutable-column guards of answers and attempts; functions public.submit_answers(jsonb, jsonb)
-- (validates and stores both new fields), private.store_graded_answers(jsonb), private.answers_into_rollups(),
-- public.get_my_stats() (review answers counted apart).

alter table public.answers add column confidence text
  constraint answers_confidence_check check (confidence in ('sure', 'unsure', 'guessed'));
comment on column public.answers.confidence is 'How sure the student said they were (sure | unsure | guessed); null when not given. Feeds the spaced-review rating.';

alter table public.attempts add column kind text not null default 'practice'
  constraint attempts_kind_check check (kind in ('practice', 'review'));
comment on column public.attempts.kind is 'practice: a block built by the student (its answers can count for rank); review: a spaced-review block of due cards (never counts for rank).';
-- Students create their attempts (through submit_answers, or directly): kind is one of the creation fields.
grant insert (kind) on public.attempts to authenticated;

alter table public.profiles add column desired_retention numeric(3, 2) not null default 0.90
  constraint profiles_desired_retention_check check (desired_retention between 0.70 and 0.97);
comment on column public.profiles.desired_retention is 'The chance the student wants to still know a card when it comes back (FSRS request retention), 0.70–0.97.';
grant update (desired_retention) on public.profiles to authenticated;

-- get_my_answer_log(after): the caller's answer log as the device replays it into cards, one keyset page
-- (by received_at, then id) of at most p_limit rows: each answer with its question's organ system (the
-- rating's pace rule compares an answer with the student's median for that system), so Home can count
-- due cards without the whole bank; received_at lets a device read only what arrived since its last read
-- (another device's answers included). An RPC, not a view: a view over a join answers PATCH or DELETE
-- with "cannot update view", a 500 for a client's mistake.
-- Invoker: "mine" is user_id = auth.uid() in the query, and the answers' and questions' RLS still apply
-- (an answer to a question since unpublished drops out: it can no longer be put in a review block).
create function public.get_my_answer_log(
  p_after_received timestamptz default null,
  p_after_id uuid default null,
  p_limit integer default 1000
)
returns table (
  id uuid,
  question_id bigint,
  is_correct boolean,
  answered_at timestamptz,
  time_spent_ms integer,
  confidence text,
  organ_system text,
  received_at timestamptz
)
language sql
stable
security invoker
set search_path = ''
as $$
  select a.id, a.question_id, a.is_correct, a.answered_at, a.time_spent_ms, a.confidence, q.organ_system, a.received_at
  from public.answers a
  join public.questions q on q.id = a.question_id
  where a.user_id = (select auth.uid())
    and (p_after_received is null
         or (a.received_at, a.id) > (p_after_received, coalesce(p_after_id, '00000000-0000-0000-0000-000000000000'::uuid)))
  order by a.received_at, a.id
  limit least(greatest(coalesce(p_limit, 1000), 1), 1000);
$$;
comment on function public.get_my_answer_log(timestamptz, uuid, integer) is 'The caller''s own answers with their question''s organ system, in received order, a keyset page at a time: the spaced-review log the device replays into cards.';
revoke all on function public.get_my_answer_log(timestamptz, uuid, integer) from public, anon, authenticated, service_role;
grant execute on function public.get_my_answer_log(timestamptz, uuid, integer) to authenticated;

-- The new columns are as immutable as their neighbours.
drop trigger attempts_guard_immutable on public.attempts;
create trigger attempts_guard_immutable
  before update on public.attempts
  for each row execute function private.guard_immutable_columns(
    'anon,authenticated,service_role', 'id', 'user_id', 'mode', 'kind', 'question_ids', 'time_limit_seconds', 'filters',
    'started_at', 'created_at');
drop trigger answers_guard_immutable on public.answers;
create trigger answers_guard_immutable
  before update on public.answers
  for each row execute function private.guard_immutable_columns(
    'anon,authenticated,service_role', 'id', 'attempt_id', 'question_id', 'user_id', 'choice', 'is_correct',
    'time_spent_ms', 'answered_at', 'received_at', 'confidence');

-- store_graded_answers: as in 20261204120100, and stores the answer's confidence (checked by submit_answers).
create or replace function private.store_graded_answers(p_answers jsonb)
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
           e.value ->> 'confidence' as confidence,
           e.ordinality as ord,
           row_number() over (partition by (e.value ->> 'id') order by e.ordinality) as nth
    from jsonb_array_elements(p_answers) with ordinality e
  ),
  ins as (
    insert into public.answers (id, attempt_id, question_id, user_id, choice, is_correct, time_spent_ms, answered_at, confidence)
    select i.id, i.attempt_id, i.question_id, v_uid, i.choice, i.choice = q.correct_choice, i.time_spent_ms, i.answered_at, i.confidence
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

-- submit_answers: as in 20261204120100, plus: answers[i].confidence is absent, null, or sure | unsure |
-- guessed; attempts[i].kind is absent (practice) or practice | review. Anything else is a 400 that
-- writes nothing, like every other shape error.
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
    if jsonb_typeof(v_row -> 'confidence') not in ('null', 'string')
       or (jsonb_typeof(v_row -> 'confidence') = 'string' and (v_row ->> 'confidence') not in ('sure', 'unsure', 'guessed')) then
      raise exception 'answers[%].confidence must be sure, unsure, guessed or null.', v_i - 1 using errcode = '22023';
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
    if (v_attempt -> 'kind') is not null
       and (jsonb_typeof(v_attempt -> 'kind') <> 'string' or (v_attempt ->> 'kind') not in ('practice', 'review')) then
      raise exception 'attempts[%].kind must be practice or review.', v_i - 1 using errcode = '22023';
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
        insert into public.attempts (id, user_id, mode, kind, question_ids, time_limit_seconds, filters, started_at)
        values (
          (v_attempt ->> 'id')::uuid, v_uid, v_attempt ->> 'mode', coalesce(v_attempt ->> 'kind', 'practice'),
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

-- answers_into_rollups: as in 20261204110000, except that only answers of practice blocks claim.
create or replace function private.answers_into_rollups()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_counted uuid[];
begin
  with claimed as (
    insert into private.first_answers (user_id, question_id, answer_id)
    select distinct on (n.user_id, n.question_id) n.user_id, n.question_id, n.id
    from new_answers n
    -- Answers of review blocks never claim: a card's review is a repeat, whatever the block held.
    join public.attempts a on a.id = n.attempt_id and a.kind = 'practice'
    order by n.user_id, n.question_id, n.received_at, n.answered_at, n.id
    on conflict (user_id, question_id) do nothing
    returning answer_id
  )
  select array_agg(c.answer_id) into v_counted from claimed c;
  -- A batch of repeats only (a second block of the same questions) leaves the rollups alone.
  if v_counted is null then
    return null;
  end if;

  insert into public.leaderboard_all_time as l (cohort_id, user_id, answered, correct, reached_at, hidden)
  select m.cohort_id, n.user_id, count(*), count(*) filter (where n.is_correct),
         coalesce(max(private.answer_effective_time(n.answered_at, n.received_at)) filter (where n.is_correct), 'infinity'),
         bool_or(p.leaderboard_opt_out)
  from new_answers n
  join public.cohort_members m on m.user_id = n.user_id
  join public.profiles p on p.id = n.user_id
  where n.id = any (v_counted)
  group by m.cohort_id, n.user_id
  on conflict (cohort_id, user_id) do update set
    answered = l.answered + excluded.answered,
    correct = l.correct + excluded.correct,
    reached_at = case
      when excluded.correct = 0 then l.reached_at
      when l.correct = 0 then excluded.reached_at
      else greatest(l.reached_at, excluded.reached_at) end;

  insert into public.leaderboard_weekly as l (cohort_id, week_start, user_id, answered, correct, reached_at, hidden)
  select m.cohort_id, private.iso_week_start(private.answer_effective_time(n.answered_at, n.received_at)), n.user_id,
         count(*), count(*) filter (where n.is_correct),
         coalesce(max(private.answer_effective_time(n.answered_at, n.received_at)) filter (where n.is_correct), 'infinity'),
         bool_or(p.leaderboard_opt_out)
  from new_answers n
  join public.cohort_members m on m.user_id = n.user_id
  join public.profiles p on p.id = n.user_id
  where n.id = any (v_counted)
  group by 1, 2, 3
  on conflict (cohort_id, week_start, user_id) do update set
    answered = l.answered + excluded.answered,
    correct = l.correct + excluded.correct,
    reached_at = case
      when excluded.correct = 0 then l.reached_at
      when l.correct = 0 then excluded.reached_at
      else greatest(l.reached_at, excluded.reached_at) end;
  return null;
end;
$$;
revoke all on function private.answers_into_rollups() from public, anon, authenticated, service_role;

-- get_my_stats: as in 20261204120000, and each count has its review part beside it (review_answered,
-- review_correct: answers given in review blocks), so first-pass accuracy (answered − review_answered)
-- and review accuracy can be shown apart. answered/correct still count every answer of the student.
create or replace function public.get_my_stats()
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
  with mine as (
    select a.is_correct, q.organ_system, q.discipline, t.kind = 'review' as review
    from public.answers a
    join public.attempts t on t.id = a.attempt_id
    join public.questions q on q.id = a.question_id
    where a.user_id = (select auth.uid())
  )
  select jsonb_build_object(
    'answered', (select count(*) from mine),
    'correct', (select count(*) from mine where is_correct),
    'review_answered', (select count(*) from mine where review),
    'review_correct', (select count(*) from mine where review and is_correct),
    'by_system', coalesce((
      select jsonb_agg(jsonb_build_object('key', organ_system, 'answered', n, 'correct', c,
                                          'review_answered', rn, 'review_correct', rc) order by organ_system)
      from (select organ_system, count(*) n, count(*) filter (where is_correct) c,
                   count(*) filter (where review) rn, count(*) filter (where review and is_correct) rc
            from mine group by 1) s), '[]'),
    'by_discipline', coalesce((
      select jsonb_agg(jsonb_build_object('key', discipline, 'answered', n, 'correct', c,
                                          'review_answered', rn, 'review_correct', rc) order by discipline)
      from (select discipline, count(*) n, count(*) filter (where is_correct) c,
                   count(*) filter (where review) rn, count(*) filter (where review and is_correct) rc
            from mine group by 1) d), '[]'),
    'cohorts', coalesce((
      select jsonb_agg(jsonb_build_object(
        'id', c.id, 'name', c.name,
        'percentile', private.cohort_percentile(c.id)) order by c.name)
      from public.cohorts c
      join public.cohort_members m on m.cohort_id = c.id and m.user_id = (select auth.uid())), '[]')
  );
$$;
revoke all on function public.get_my_stats() from public, anon, authenticated, service_role;
grant execute on function public.get_my_stats() to authenticated;
