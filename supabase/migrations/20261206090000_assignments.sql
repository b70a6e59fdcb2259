-- Purpose: assignments (issue #18). An instructor sets one of their cohorts a fixed list of questions with
-- a mode (tutor, timed, or exam: sections of up to 40 questions, a time limit each, a shared break pool),
-- opens/due dates, how many sittings count, and whether explanations wait for the due date. Students take
-- it as ordinary blocks (attempts of kind 'assignment', one per section, grouped by a sitting id) through
-- the one answer path, submit_answers: no second way to write an answer. The server judges what counts:
-- which sittings (the first max_attempts), whether each answer was on time (the device's answered_at
-- within a bounded grace, in private.assignment_sittings; docs/decisions/023-assignments.md), and the score.
-- Affected: new table public.assignments; columns public.attempts.assignment_id, sitting_id, section and
-- kind 'assignment'; private.before_attempt_insert (checks an assignment block against its assignment);
-- public.submit_answers (carries the three new fields); private.answers_into_rollups (assignment answers
-- claim first answers like practice); new functions private.assignment_section,
-- private.assignment_sittings, private.assignment_results, public.get_my_assignments, public.get_assignment_results.

create table public.assignments (
  id uuid not null default gen_random_uuid() primary key,
  cohort_id uuid not null references public.cohorts (id) on delete cascade,
  created_by uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  title text not null constraint assignments_title_check check (length(btrim(title)) between 1 and 200 and length(title) <= 200),
  question_ids bigint[] not null,
  mode text not null constraint assignments_mode_check check (mode in ('tutor', 'timed', 'exam')),
  time_limit_seconds integer constraint assignments_time_limit_check check (time_limit_seconds between 60 and 40 * 600),
  section_size smallint constraint assignments_section_size_check check (section_size between 1 and 40),
  section_seconds integer constraint assignments_section_seconds_check check (section_seconds between 60 and 40 * 600),
  break_seconds integer constraint assignments_break_seconds_check check (break_seconds between 0 and 4 * 3600),
  opens_at timestamptz not null default now(),
  due_at timestamptz not null,
  explanations_after_due boolean not null default false,
  max_attempts smallint not null default 1 constraint assignments_max_attempts_check check (max_attempts between 1 and 10),
  created_at timestamptz not null default now(),
  constraint assignments_due_after_open check (due_at > opens_at),
  constraint assignments_timed_has_limit check ((mode = 'timed') = (time_limit_seconds is not null)),
  constraint assignments_exam_has_sections check (
    (mode = 'exam') = (section_size is not null and section_seconds is not null and break_seconds is not null)
    and (mode = 'exam' or (section_size is null and section_seconds is null and break_seconds is null))),
  -- A tutor or timed assignment is one block (≤ 40); an exam is at most 7 sections of up to 40 (280).
  constraint assignments_question_ids_check check (
    array_position(question_ids, null) is null
    and cardinality(question_ids) between 1 and case when mode = 'exam' then 280 else 40 end
    and (mode <> 'exam' or cardinality(question_ids) <= 7 * section_size))
);
comment on table public.assignments is 'Work an instructor sets a cohort: a fixed list of questions, a mode (tutor | timed | exam), opens_at/due_at (UTC), sittings allowed. Taken as attempts of kind assignment; judged by get_assignment_results.';
comment on column public.assignments.section_size is 'Exam mode: questions per section (the last may be shorter); each section is one timed block of section_seconds.';
comment on column public.assignments.break_seconds is 'Exam mode: break time shared by all the gaps between sections.';
comment on column public.assignments.explanations_after_due is 'Explanations of this assignment''s questions are shown to its students only after due_at.';
comment on column public.assignments.max_attempts is 'How many sittings count; later ones are stored (never lost) but not counted.';
create index assignments_cohort_id_due_at_idx on public.assignments (cohort_id, due_at);
create index assignments_created_by_idx on public.assignments (created_by);
alter table public.assignments enable row level security;

create policy "Assignments are readable by the cohort's members and instructor" on public.assignments
  for select to authenticated
  using (cohort_id in (select private.instructed_cohort_ids()) or cohort_id in (select private.member_cohort_ids()));
create policy "Instructors can set assignments for cohorts they run" on public.assignments
  for insert to authenticated
  with check (cohort_id in (select private.instructed_cohort_ids()) and created_by = (select auth.uid()));
create policy "Assignments are editable by their cohort's instructor" on public.assignments
  for update to authenticated
  using (cohort_id in (select private.instructed_cohort_ids()))
  with check (cohort_id in (select private.instructed_cohort_ids()));
create policy "Assignments are deletable by their cohort's instructor" on public.assignments
  for delete to authenticated
  using (cohort_id in (select private.instructed_cohort_ids()));

revoke all on table public.assignments from public, anon, authenticated, service_role;
grant select, delete on table public.assignments to authenticated;
grant insert (id, cohort_id, title, question_ids, mode, time_limit_seconds, section_size, section_seconds, break_seconds,
              opens_at, due_at, explanations_after_due, max_attempts) on table public.assignments to authenticated;
grant update (title, opens_at, due_at, explanations_after_due, max_attempts) on table public.assignments to authenticated;
grant select, insert, update, delete on table public.assignments to service_role;

-- Creation: rate-limited, questions distinct and published (what a student's block of them needs), the
-- server's own creator and time. Definer: it checks questions the instructor may not read as drafts.
create function private.before_assignment_insert()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_missing bigint[];
begin
  if current_user in ('anon', 'authenticated', 'service_role') then
    if current_user <> 'service_role' then
      new.created_by := (select auth.uid());
    end if;
    new.created_at := now();
  end if;
  perform private.check_rate_limit('create_assignment', 20, 60);
  if (select count(distinct x) from unnest(new.question_ids) x) <> cardinality(new.question_ids) then
    raise exception 'An assignment cannot list the same question twice.' using errcode = '22023';
  end if;
  select coalesce(array_agg(x), '{}') into v_missing
    from unnest(new.question_ids) x
    where not exists (select 1 from public.questions q where q.id = x and q.published);
  if cardinality(v_missing) > 0 then
    raise exception 'Unknown or unpublished questions: %', array_to_string(v_missing, ', ')
      using errcode = '22023', hint = 'Publish the questions first, or pick others.';
  end if;
  return new;
end;
$$;
revoke all on function private.before_assignment_insert() from public, anon, authenticated, service_role;
create trigger assignments_before_insert
  before insert on public.assignments
  for each row execute function private.before_assignment_insert();
create trigger assignments_guard_immutable
  before update on public.assignments
  for each row execute function private.guard_immutable_columns(
    'anon,authenticated,service_role', 'id', 'cohort_id', 'created_by', 'question_ids', 'mode', 'time_limit_seconds',
    'section_size', 'section_seconds', 'break_seconds', 'created_at');

-- The questions of one section (0-based) of an assignment; a tutor or timed assignment is one section.
create function private.assignment_section(p_question_ids bigint[], p_section_size smallint, p_section integer)
returns bigint[]
language sql
immutable
set search_path = ''
as $$
  select p_question_ids[p_section * coalesce(p_section_size, 40) + 1 : (p_section + 1) * coalesce(p_section_size, 40)];
$$;
revoke all on function private.assignment_section(bigint[], smallint, integer) from public, anon, authenticated, service_role;
grant execute on function private.assignment_section(bigint[], smallint, integer) to authenticated, service_role;

-- Attempts: an assignment block names its assignment, its sitting (the device makes one id for all the
-- sections of one go at the assignment; a one-section assignment's sitting is the block's own id) and its
-- section. assignment_id is set null if the instructor deletes the assignment: the student's answers stay.
alter table public.attempts drop constraint attempts_kind_check;
alter table public.attempts add constraint attempts_kind_check check (kind in ('practice', 'review', 'assignment'));
comment on column public.attempts.kind is 'practice: a block built by the student; review: a spaced-review block of due cards (never counts for rank); assignment: a section of an assignment (counts for rank like practice).';
alter table public.attempts add column assignment_id uuid references public.assignments (id) on delete set null;
alter table public.attempts add column sitting_id uuid;
alter table public.attempts add column section smallint constraint attempts_section_check check (section between 0 and 6);
alter table public.attempts add constraint attempts_assignment_fields_check check (
  (kind = 'assignment') = (sitting_id is not null and section is not null)
  and (assignment_id is null or kind = 'assignment'));
comment on column public.attempts.sitting_id is 'Assignment blocks: one id shared by the sections of one sitting.';
create index attempts_assignment_id_idx on public.attempts (assignment_id, user_id) where assignment_id is not null;
create unique index attempts_sitting_section_key on public.attempts (sitting_id, section) where sitting_id is not null;
grant insert (assignment_id, sitting_id, section) on public.attempts to authenticated;

drop trigger attempts_guard_immutable on public.attempts;
create trigger attempts_guard_immutable
  before update on public.attempts
  for each row execute function private.guard_immutable_columns(
    'anon,authenticated,service_role', 'id', 'user_id', 'mode', 'kind', 'question_ids', 'time_limit_seconds', 'filters',
    'started_at', 'created_at', 'sitting_id', 'section');
-- assignment_id is left out of the guard only so that deleting an assignment can set it null; no API role
-- has an update grant on it.

-- before_attempt_insert: as in 20261122090400, and an assignment block must be exactly a section of an
-- assignment of one of the student's cohorts, opened, in the assignment's mode and time limit.
create or replace function private.before_attempt_insert()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_missing bigint[];
  v_a public.assignments;
  v_sections integer;
begin
  perform private.check_rate_limit('create_attempt', 30, 60);
  if (select count(distinct x) from unnest(new.question_ids) x) <> cardinality(new.question_ids) then
    raise exception 'An attempt cannot list the same question twice.' using errcode = '22023';
  end if;
  select coalesce(array_agg(x), '{}') into v_missing
    from unnest(new.question_ids) x
    where not exists (select 1 from public.questions q where q.id = x and q.published);
  if cardinality(v_missing) > 0 then
    raise exception 'Unknown or unpublished questions: %', array_to_string(v_missing, ', ')
      using errcode = '22023', hint = 'Refresh the question bank and build the block again.';
  end if;
  if new.kind = 'assignment' or new.assignment_id is not null then
    new.sitting_id := coalesce(new.sitting_id, new.id);
    select * into v_a from public.assignments x
      where x.id = new.assignment_id
        and x.cohort_id in (select m.cohort_id from public.cohort_members m where m.user_id = new.user_id);
    if v_a.id is null then
      raise exception 'No such assignment in your cohorts.' using errcode = '22023';
    end if;
    if now() < v_a.opens_at - interval '5 minutes' then
      raise exception 'This assignment opens at %.', v_a.opens_at using errcode = '22023';
    end if;
    v_sections := ceil(cardinality(v_a.question_ids)::numeric / coalesce(v_a.section_size, 40))::integer;
    if new.section is null or new.section < 0 or new.section >= v_sections
       or new.question_ids is distinct from private.assignment_section(v_a.question_ids, v_a.section_size, new.section) then
      raise exception 'This block is not a section of the assignment.' using errcode = '22023';
    end if;
    if new.mode <> (case when v_a.mode = 'tutor' then 'tutor' else 'timed' end)
       or new.time_limit_seconds is distinct from coalesce(v_a.section_seconds, v_a.time_limit_seconds) then
      raise exception 'This block does not have the assignment''s mode and time limit.' using errcode = '22023';
    end if;
  end if;
  new.created_at := now();
  return new;
end;
$$;
revoke all on function private.before_attempt_insert() from public, anon, authenticated, service_role;

-- submit_answers: as in 20261205100000, and an attempt may be kind 'assignment' with assignment_id,
-- sitting_id and section (checked against the assignment by the attempts trigger). A second block for the
-- same sitting and section (a forged or confused client) is refused like any other invalid attempt.
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
       and (jsonb_typeof(v_attempt -> 'kind') <> 'string' or (v_attempt ->> 'kind') not in ('practice', 'review', 'assignment')) then
      raise exception 'attempts[%].kind must be practice, review or assignment.', v_i - 1 using errcode = '22023';
    end if;
    if jsonb_typeof(v_attempt -> 'assignment_id') not in ('null', 'string')
       or (jsonb_typeof(v_attempt -> 'assignment_id') = 'string' and (v_attempt ->> 'assignment_id') !~ v_uuid_re)
       or jsonb_typeof(v_attempt -> 'sitting_id') not in ('null', 'string')
       or (jsonb_typeof(v_attempt -> 'sitting_id') = 'string' and (v_attempt ->> 'sitting_id') !~ v_uuid_re) then
      raise exception 'attempts[%].assignment_id and sitting_id must be UUIDs or null.', v_i - 1 using errcode = '22023';
    end if;
    if jsonb_typeof(v_attempt -> 'section') not in ('null', 'number')
       or (jsonb_typeof(v_attempt -> 'section') = 'number' and (v_attempt ->> 'section') !~ '^[0-6]$') then
      raise exception 'attempts[%].section must be a section number from 0 to 6, or null.', v_i - 1 using errcode = '22023';
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
        insert into public.attempts (id, user_id, mode, kind, question_ids, time_limit_seconds, filters, started_at,
                                     assignment_id, sitting_id, section)
        values (
          (v_attempt ->> 'id')::uuid, v_uid, v_attempt ->> 'mode', coalesce(v_attempt ->> 'kind', 'practice'),
          array(select x::bigint from jsonb_array_elements_text(v_attempt -> 'question_ids') x),
          (v_attempt ->> 'time_limit_seconds')::integer,
          coalesce(v_attempt -> 'filters', '{}'),
          coalesce((v_attempt ->> 'started_at')::timestamptz, now()),
          (v_attempt ->> 'assignment_id')::uuid, (v_attempt ->> 'sitting_id')::uuid, (v_attempt ->> 'section')::smallint)
        on conflict (id) do nothing;
        -- A device clock that ran backwards must not make the block unsyncable: never before the start.
        update public.attempts a set
          completed_at = case when v_attempt ->> 'completed_at' is null then null
                              else greatest((v_attempt ->> 'completed_at')::timestamptz, a.started_at) end,
          marked_question_ids = array(select x::bigint from jsonb_array_elements_text(coalesce(v_attempt -> 'marked_question_ids', '[]')) x)
        where a.id = (v_attempt ->> 'id')::uuid and a.user_id = v_uid and a.completed_at is null
          and (v_attempt ->> 'completed_at' is not null or v_attempt ? 'marked_question_ids');
      exception when sqlstate '22023' or sqlstate '23514' or sqlstate '23503' or sqlstate '22P02' or sqlstate '23505' then
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

-- answers_into_rollups: as in 20261205100000; assignment blocks claim first answers like practice blocks.
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
    -- Practice and assignment blocks claim alike.
    join public.attempts a on a.id = n.attempt_id and a.kind <> 'review'
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

-- assignment_sittings(assignment, user): the sittings of an assignment with the server's judgement:
-- sections completed, answers given, correct, late (not on time: the rule below), whether it
-- is complete (every section ended), whether it counts (the student's first max_attempts sittings by
-- start), and which one is the student's result (best counted: complete before incomplete, then most
-- correct, then the earlier). p_user_id = the caller: their own sittings; null: every student's, for the
-- instructor of the assignment's cohort only (42501 otherwise).
-- Definer, and the caller's right checked first: under the attempts' and answers' RLS an instructor's
-- read tests every row against the array of every student they teach (readable_user_ids), which made a
-- 10,000-student cohort's results take minutes (scripts/bench-assignment-results.ts).
create function private.assignment_sittings(p_assignment_id uuid, p_user_id uuid)
returns table (
  user_id uuid,
  sitting_id uuid,
  sitting_no integer,
  started_at timestamptz,
  completed_at timestamptz,
  sections_done integer,
  answered integer,
  correct integer,
  late integer,
  complete boolean,
  counted boolean,
  chosen boolean
)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if (select auth.uid()) is null then
    raise exception 'Sign in to read assignment results.' using errcode = '42501';
  end if;
  if p_user_id is null then
    if not exists (select 1 from public.assignments x join public.cohorts c on c.id = x.cohort_id
                   where x.id = p_assignment_id and c.instructor_id = (select auth.uid())) then
      raise exception 'Only the instructor of this assignment''s cohort can read its results.' using errcode = '42501';
    end if;
  elsif p_user_id <> (select auth.uid()) then
    raise exception 'Only your own results.' using errcode = '42501';
  end if;
  return query
  with a as (
    select x.id, x.due_at, x.max_attempts,
           ceil(cardinality(x.question_ids)::numeric / coalesce(x.section_size, 40))::integer as sections
    from public.assignments x where x.id = p_assignment_id
  ),
  per_block as (
    select t.user_id, t.sitting_id, t.id, t.started_at, t.completed_at,
           count(ans.id)::integer as answered,
           (count(ans.id) filter (where ans.is_correct))::integer as correct,
           -- The on-time rule for answers given offline (docs/decisions/023-assignments.md). answered_at is the
           -- device's clock; it is believed within the bounds the leaderboard uses (private.answer_effective_time:
           -- never after the server received the answer, at most 7 days before), and only for an answer that
           -- reached the server within 24 hours of the due date. Written out here, not called: a function with
           -- its own search_path is never inlined, and calling it per answer was most of this read's time.
           (count(ans.id) filter (where not (
              ans.received_at <= a.due_at + interval '24 hours'
              and least(ans.received_at, greatest(ans.answered_at, ans.received_at - interval '7 days')) <= a.due_at)))::integer as late
    from a
    join public.attempts t on t.assignment_id = a.id and (p_user_id is null or t.user_id = p_user_id)
    left join public.answers ans on ans.attempt_id = t.id
    group by t.user_id, t.sitting_id, t.id, t.started_at, t.completed_at
  ),
  s as (
    select b.user_id, b.sitting_id, min(b.started_at) as started_at,
           case when count(b.completed_at) = count(*) then max(b.completed_at) end as completed_at,
           count(b.completed_at)::integer as sections_done,
           sum(b.answered)::integer as answered, sum(b.correct)::integer as correct, sum(b.late)::integer as late
    from per_block b
    group by b.user_id, b.sitting_id
  ),
  numbered as (
    select s.*, (row_number() over (partition by s.user_id order by s.started_at, s.sitting_id))::integer as sitting_no,
           s.sections_done >= a.sections as complete, a.max_attempts
    from s cross join a
  )
  select n.user_id, n.sitting_id, n.sitting_no, n.started_at, n.completed_at, n.sections_done, n.answered, n.correct,
         n.late, n.complete, n.sitting_no <= n.max_attempts,
         n.sitting_no <= n.max_attempts
           and row_number() over (partition by n.user_id
                                  order by n.sitting_no <= n.max_attempts desc, n.complete desc, n.correct desc, n.sitting_no) = 1
  from numbered n;
end;
$$;
revoke all on function private.assignment_sittings(uuid, uuid) from public, anon, authenticated, service_role;
grant execute on function private.assignment_sittings(uuid, uuid) to authenticated;

-- get_my_assignments(): the assignments of the caller's cohorts with the caller's own standing on each:
-- status (not_started | in_progress | done | late: done with answers that were not on time), the result
-- sitting's counts, and how many sittings were used. Invoker; "mine" is user_id = auth.uid() in the query.
create function public.get_my_assignments()
returns table (
  id uuid,
  cohort_id uuid,
  cohort_name text,
  title text,
  question_ids bigint[],
  mode text,
  time_limit_seconds integer,
  section_size smallint,
  section_seconds integer,
  break_seconds integer,
  opens_at timestamptz,
  due_at timestamptz,
  explanations_after_due boolean,
  max_attempts smallint,
  status text,
  answered integer,
  correct integer,
  late integer,
  sittings_used integer,
  result_sitting_id uuid
)
language sql
stable
security invoker
set search_path = ''
as $$
  select x.id, x.cohort_id, c.name, x.title, x.question_ids, x.mode, x.time_limit_seconds, x.section_size,
         x.section_seconds, x.break_seconds, x.opens_at, x.due_at, x.explanations_after_due, x.max_attempts,
         case when r.sitting_id is null then 'not_started'
              when not r.complete then 'in_progress'
              when r.late > 0 then 'late'
              else 'done' end,
         coalesce(r.answered, 0), coalesce(r.correct, 0), coalesce(r.late, 0),
         coalesce(r.used, 0),
         r.sitting_id
  from public.assignments x
  join public.cohort_members m on m.cohort_id = x.cohort_id and m.user_id = (select auth.uid())
  join public.cohorts c on c.id = x.cohort_id
  left join lateral (
    select s.sitting_id, s.complete, s.late, s.answered, s.correct,
           (count(*) over ())::integer as used, s.chosen
    from private.assignment_sittings(x.id, (select auth.uid())) s
  ) r on r.chosen
  order by x.due_at, x.id
  limit 200;
$$;
comment on function public.get_my_assignments() is 'The caller''s assignments (of their cohorts) with their own status and result as the server judges it.';
revoke all on function public.get_my_assignments() from public, anon, authenticated, service_role;
grant execute on function public.get_my_assignments() to authenticated;

-- assignment_results(assignment): the instructor's view, computed without RLS once the caller is known to
-- teach the assignment's cohort (private.assignment_sittings checks it): every current member with their
-- status and result sitting, and per question the class's answers of result sittings by choice.
create function private.assignment_results(p_assignment_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  -- Checked here too: a missing assignment would otherwise give null, not a refusal.
  if not exists (select 1 from public.assignments x join public.cohorts c on c.id = x.cohort_id
                 where x.id = p_assignment_id and c.instructor_id = (select auth.uid())) then
    raise exception 'Only the instructor of this assignment''s cohort can read its results.' using errcode = '42501';
  end if;
  return (
  with r as (
    select * from private.assignment_sittings(p_assignment_id, null)
  ),
  x as (
    select a.id, a.cohort_id, a.question_ids from public.assignments a where a.id = p_assignment_id
  ),
  used as (
    select r.user_id, count(*)::integer as sittings from r group by r.user_id
  ),
  students as (
    select coalesce(jsonb_agg(jsonb_build_object(
             'user_id', m.user_id,
             'display_name', p.display_name,
             'status', case when c.sitting_id is null then 'not_started'
                            when not c.complete then 'in_progress'
                            when c.late > 0 then 'late'
                            else 'done' end,
             'answered', coalesce(c.answered, 0),
             'correct', coalesce(c.correct, 0),
             'late', coalesce(c.late, 0),
             'started_at', c.started_at,
             'completed_at', c.completed_at,
             'sittings', coalesce(u.sittings, 0))
           order by p.display_name, m.user_id), '[]') as j
    from x
    join public.cohort_members m on m.cohort_id = x.cohort_id
    join public.profiles p on p.id = m.user_id
    left join r c on c.user_id = m.user_id and c.chosen
    left join used u on u.user_id = m.user_id
  ),
  per_question as (
    select ans.question_id, count(*) as answered, count(*) filter (where ans.is_correct) as correct,
           count(*) filter (where ans.choice = 'A') as a, count(*) filter (where ans.choice = 'B') as b,
           count(*) filter (where ans.choice = 'C') as c, count(*) filter (where ans.choice = 'D') as d,
           count(*) filter (where ans.choice = 'E') as e
    from r
    join public.attempts t on t.sitting_id = r.sitting_id and t.assignment_id = p_assignment_id
    join public.answers ans on ans.attempt_id = t.id
    where r.chosen
    group by ans.question_id
  ),
  questions as (
    select coalesce(jsonb_agg(jsonb_build_object(
             'question_id', q.question_id, 'answered', coalesce(c.answered, 0), 'correct', coalesce(c.correct, 0),
             'a', coalesce(c.a, 0), 'b', coalesce(c.b, 0), 'c', coalesce(c.c, 0), 'd', coalesce(c.d, 0), 'e', coalesce(c.e, 0))
           order by q.ord), '[]') as j
    from x
    cross join unnest(x.question_ids) with ordinality q (question_id, ord)
    left join per_question c on c.question_id = q.question_id
  )
  select jsonb_build_object('assignment_id', x.id, 'total', cardinality(x.question_ids), 'students', s.j, 'questions', qs.j)
  from x, students s, questions qs
  );
end;
$$;
revoke all on function private.assignment_results(uuid) from public, anon, authenticated, service_role;
grant execute on function private.assignment_results(uuid) to authenticated;

-- get_assignment_results(assignment): for the cohort's instructor only (42501 otherwise, also for an
-- assignment that does not exist). Invoker; the computation is private.assignment_results.
create function public.get_assignment_results(p_assignment_id uuid)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  if (select auth.uid()) is null then
    raise exception 'Sign in as the cohort''s instructor.' using errcode = '42501';
  end if;
  if p_assignment_id is null then
    raise exception 'p_assignment_id is required.' using errcode = '22023';
  end if;
  return private.assignment_results(p_assignment_id);
end;
$$;
comment on function public.get_assignment_results(uuid) is 'An assignment''s results for its cohort''s instructor: each member''s status and result, and the class''s choices per question.';
revoke all on function public.get_assignment_results(uuid) from public, anon, authenticated, service_role;
grant execute on function public.get_assignment_results(uuid) to authenticated;
