-- Purpose: live sessions (issue #19). An instructor runs a cohort through a question set together, one
-- question at a time with a server-timed window; students answer on their phones through the one answer
-- path (submit_answers): a live block is an ordinary attempt of kind 'live' tied to the session, and the
-- server accepts an answer only while its question is open (server time), refusing later ones with the
-- reason too_late (never stored, never counted). What the class sees moves by Supabase Realtime Broadcast
-- on private channels, authorized by RLS on realtime.messages and sent only by the database
-- (realtime.send in the functions and triggers below), so no client can forge a question, a close or a
-- leaderboard update. docs/decisions/027-live-sessions.md.
-- Topics: cohort:<cohort id> (members + instructor: 'live' when a session opens or ends, 'board' at most
-- about once a second while its members' answers move the leaderboard), live:<session id> (members +
-- instructor: 'question', 'closed', 'ended'), live-host:<session id> (the instructor: 'answers', 'joined').
-- Affected: new tables public.live_sessions, public.live_questions, private.board_signals; columns
-- public.attempts.live_session_id and kind 'live'; private.before_attempt_insert, public.submit_answers,
-- private.store_graded_answers (live answers only while open); policies on realtime.messages; new
-- functions private.may_listen, private.live_* and public.next_live_question, close_live_question,
-- end_live_session, get_live_session, get_live_report, get_my_live_sessions; triggers
-- live_sessions_before_insert, live_sessions_after_insert, attempts_live_joined, answers_broadcast.

-- ---------------------------------------------------------------------------------------------------
-- Sessions and the questions shown in them.

create table public.live_sessions (
  id uuid not null default gen_random_uuid() primary key,
  cohort_id uuid not null references public.cohorts (id) on delete cascade,
  created_by uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  title text not null constraint live_sessions_title_check check (length(btrim(title)) between 1 and 200 and length(title) <= 200),
  -- A live block is one attempt, so a session has at most an attempt's 40 questions.
  question_ids bigint[] not null constraint live_sessions_question_ids_check check (
    array_position(question_ids, null) is null and cardinality(question_ids) between 1 and 40),
  -- Where the questions came from, when they are an assignment's (informative only).
  assignment_id uuid references public.assignments (id) on delete set null,
  status text not null default 'open' constraint live_sessions_status_check check (status in ('open', 'ended')),
  -- The position (0-based, into question_ids) of the question shown last; null before the first.
  current_position smallint,
  created_at timestamptz not null default now(),
  ended_at timestamptz,
  constraint live_sessions_ended_check check ((status = 'ended') = (ended_at is not null)),
  constraint live_sessions_position_check check (current_position between 0 and cardinality(question_ids) - 1)
);
comment on table public.live_sessions is 'A live session: an instructor shows a cohort question_ids one at a time (live_questions); students answer in a live block (attempts.kind = live). Changed only through next_live_question, close_live_question, end_live_session.';
create index live_sessions_cohort_id_idx on public.live_sessions (cohort_id, created_at desc);
create index live_sessions_created_by_idx on public.live_sessions (created_by);
create index live_sessions_assignment_id_idx on public.live_sessions (assignment_id) where assignment_id is not null;
-- One session at a time per cohort: the students' "Join" has one place to go.
create unique index live_sessions_one_open_per_cohort on public.live_sessions (cohort_id) where status = 'open';
alter table public.live_sessions enable row level security;

create table public.live_questions (
  session_id uuid not null references public.live_sessions (id) on delete cascade,
  position smallint not null constraint live_questions_position_check check (position between 0 and 39),
  question_id bigint not null references public.questions (id),
  -- Server times: the stem is shown at shown_at, the choices at choices_at, answers are taken until
  -- closes_at (plus LIVE_GRACE for answers in flight) or until the instructor closes it (closed_at).
  shown_at timestamptz not null default now(),
  choices_at timestamptz not null,
  closes_at timestamptz not null,
  closed_at timestamptz,
  primary key (session_id, position),
  constraint live_questions_times_check check (shown_at <= choices_at and choices_at < closes_at)
);
comment on table public.live_questions is 'The questions a live session has shown, with server times: answers count only between shown_at and least(closes_at + 2 s, closed_at).';
create index live_questions_question_id_idx on public.live_questions (question_id);
alter table public.live_questions enable row level security;

-- Whether the caller may see a session: its cohort's instructor or a member. Definer: it reads
-- memberships and cohorts the caller's RLS would filter.
create function private.may_see_live_session(p_session_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.live_sessions s
    where s.id = p_session_id
      and (exists (select 1 from public.cohorts c where c.id = s.cohort_id and c.instructor_id = (select auth.uid()))
           or exists (select 1 from public.cohort_members m where m.cohort_id = s.cohort_id and m.user_id = (select auth.uid())))
  );
$$;
revoke all on function private.may_see_live_session(uuid) from public, anon, authenticated, service_role;
grant execute on function private.may_see_live_session(uuid) to authenticated;

create policy "Live sessions are readable by the cohort's members and instructor" on public.live_sessions
  for select to authenticated
  using (cohort_id in (select private.instructed_cohort_ids()) or cohort_id in (select private.member_cohort_ids()));
create policy "Instructors can start live sessions for cohorts they run" on public.live_sessions
  for insert to authenticated
  with check (cohort_id in (select private.instructed_cohort_ids()) and created_by = (select auth.uid()));
create policy "Live questions are readable by the session's cohort" on public.live_questions
  for select to authenticated
  using ((select private.may_see_live_session(session_id)));

revoke all on table public.live_sessions from public, anon, authenticated, service_role;
grant select on table public.live_sessions to authenticated;
grant insert (id, cohort_id, title, question_ids, assignment_id) on table public.live_sessions to authenticated;
grant select, insert, update, delete on table public.live_sessions to service_role;
revoke all on table public.live_questions from public, anon, authenticated, service_role;
grant select on table public.live_questions to authenticated;
grant select on table public.live_questions to service_role;

-- Starting: rate-limited, questions distinct and published, one open session per cohort (a clear 400
-- rather than the unique index's 409), the server's own creator, time and state.
create function private.before_live_session_insert()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_missing bigint[];
begin
  -- A user's request (a definer's current_user is the owner; the JWT says who is calling).
  if (select auth.uid()) is not null then
    new.created_by := (select auth.uid());
    -- Before anything that could tell a stranger about the cohort (e.g. that a session is running).
    if not exists (select 1 from public.cohorts c where c.id = new.cohort_id and c.instructor_id = new.created_by) then
      raise exception 'Only the cohort''s instructor can start a live session.' using errcode = '42501';
    end if;
  end if;
  new.created_at := now();
  new.status := 'open';
  new.current_position := null;
  new.ended_at := null;
  perform private.check_rate_limit('start_live_session', 10, 60);
  if (select count(distinct x) from unnest(new.question_ids) x) <> cardinality(new.question_ids) then
    raise exception 'A live session cannot list the same question twice.' using errcode = '22023';
  end if;
  select coalesce(array_agg(x), '{}') into v_missing
    from unnest(new.question_ids) x
    where not exists (select 1 from public.questions q where q.id = x and q.published);
  if cardinality(v_missing) > 0 then
    raise exception 'Unknown or unpublished questions: %', array_to_string(v_missing, ', ')
      using errcode = '22023', hint = 'Publish the questions first, or pick others.';
  end if;
  if exists (select 1 from public.live_sessions s where s.cohort_id = new.cohort_id and s.status = 'open') then
    raise exception 'This cohort already has a live session running.' using errcode = '22023',
      hint = 'End it first (or rejoin it from the cohort page).';
  end if;
  return new;
end;
$$;
revoke all on function private.before_live_session_insert() from public, anon, authenticated, service_role;
create trigger live_sessions_before_insert
  before insert on public.live_sessions
  for each row execute function private.before_live_session_insert();

-- Announces a new session to its cohort (students' "Live session — Join").
create function private.after_live_session_insert()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform realtime.send(
    jsonb_build_object('session_id', new.id, 'cohort_id', new.cohort_id, 'title', new.title, 'status', new.status),
    'live', 'cohort:' || new.cohort_id, true);
  return null;
end;
$$;
revoke all on function private.after_live_session_insert() from public, anon, authenticated, service_role;
create trigger live_sessions_after_insert
  after insert on public.live_sessions
  for each row execute function private.after_live_session_insert();

-- ---------------------------------------------------------------------------------------------------
-- Live blocks: attempts of kind 'live' that name their session. One per student and session, whatever
-- the device (the device derives the block's id from the session and the user, so a second phone
-- answers into the same block; the unique index below is what guarantees it).

alter table public.attempts drop constraint attempts_kind_check;
alter table public.attempts add constraint attempts_kind_check check (kind in ('practice', 'review', 'assignment', 'live'));
comment on column public.attempts.kind is 'practice: a block built by the student; review: a spaced-review block of due cards (never counts for rank); assignment: a section of an assignment; live: a student''s answers in a live session (live_session_id). All but review count for rank.';
-- Set null if the session goes (with its cohort): the student's answers stay, as with assignments.
alter table public.attempts add column live_session_id uuid references public.live_sessions (id) on delete set null;
alter table public.attempts add constraint attempts_live_session_check check (live_session_id is null or kind = 'live');
comment on column public.attempts.live_session_id is 'Live blocks: the session. Answers to it are accepted only while their question is open (store_graded_answers).';
create unique index attempts_live_session_user_key on public.attempts (live_session_id, user_id) where live_session_id is not null;
grant insert (live_session_id) on public.attempts to authenticated;

drop trigger attempts_guard_immutable on public.attempts;
create trigger attempts_guard_immutable
  before update on public.attempts
  for each row execute function private.guard_immutable_columns(
    'anon,authenticated,service_role', 'id', 'user_id', 'mode', 'kind', 'question_ids', 'time_limit_seconds', 'filters',
    'started_at', 'created_at', 'sitting_id', 'section', 'live_session_id');

-- before_attempt_insert: as in 20261206090000, and a live block must be exactly its session's (open, in one
-- of the student's cohorts, tutor mode, the session's questions).
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
  v_s public.live_sessions;
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
  if new.kind = 'live' or new.live_session_id is not null then
    select * into v_s from public.live_sessions s
      where s.id = new.live_session_id
        and s.cohort_id in (select m.cohort_id from public.cohort_members m where m.user_id = new.user_id);
    if v_s.id is null then
      raise exception 'No such live session in your cohorts.' using errcode = '22023';
    end if;
    if v_s.status <> 'open' then
      raise exception 'This live session has ended.' using errcode = '22023';
    end if;
    if new.kind <> 'live' or new.question_ids is distinct from v_s.question_ids
       or new.mode <> 'tutor' or new.time_limit_seconds is not null then
      raise exception 'This block is not the live session''s.' using errcode = '22023';
    end if;
  end if;
  new.created_at := now();
  return new;
end;
$$;
revoke all on function private.before_attempt_insert() from public, anon, authenticated, service_role;

-- submit_answers: as in 20261206090000, and an attempt may be kind 'live' with live_session_id (checked by
-- the attempts trigger).
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
       and (jsonb_typeof(v_attempt -> 'kind') <> 'string' or (v_attempt ->> 'kind') not in ('practice', 'review', 'assignment', 'live')) then
      raise exception 'attempts[%].kind must be practice, review, assignment or live.', v_i - 1 using errcode = '22023';
    end if;
    if jsonb_typeof(v_attempt -> 'assignment_id') not in ('null', 'string')
       or (jsonb_typeof(v_attempt -> 'assignment_id') = 'string' and (v_attempt ->> 'assignment_id') !~ v_uuid_re)
       or jsonb_typeof(v_attempt -> 'sitting_id') not in ('null', 'string')
       or (jsonb_typeof(v_attempt -> 'sitting_id') = 'string' and (v_attempt ->> 'sitting_id') !~ v_uuid_re)
       or jsonb_typeof(v_attempt -> 'live_session_id') not in ('null', 'string')
       or (jsonb_typeof(v_attempt -> 'live_session_id') = 'string' and (v_attempt ->> 'live_session_id') !~ v_uuid_re) then
      raise exception 'attempts[%].assignment_id, sitting_id and live_session_id must be UUIDs or null.', v_i - 1 using errcode = '22023';
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
                                     assignment_id, sitting_id, section, live_session_id)
        values (
          (v_attempt ->> 'id')::uuid, v_uid, v_attempt ->> 'mode', coalesce(v_attempt ->> 'kind', 'practice'),
          array(select x::bigint from jsonb_array_elements_text(v_attempt -> 'question_ids') x),
          (v_attempt ->> 'time_limit_seconds')::integer,
          coalesce(v_attempt -> 'filters', '{}'),
          coalesce((v_attempt ->> 'started_at')::timestamptz, now()),
          (v_attempt ->> 'assignment_id')::uuid, (v_attempt ->> 'sitting_id')::uuid, (v_attempt ->> 'section')::smallint,
          (v_attempt ->> 'live_session_id')::uuid)
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

-- store_graded_answers: as in 20261205100000, and an answer in a live block is stored only while its question
-- is open by the server's clock; otherwise it is rejected with reason too_late (or not_open before it is shown).
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
    left join public.live_questions lq on lq.session_id = a.live_session_id and lq.question_id = i.question_id
    where i.nth = 1
      -- A live answer only while its question is open, by the server's clock (LIVE_GRACE: 2 s for
      -- answers in flight when the timer ends; none after the instructor closes it).
      and (a.live_session_id is null
           or (now() >= lq.shown_at and now() <= least(lq.closes_at + interval '2 seconds', coalesce(lq.closed_at, 'infinity'))))
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
        when a.live_session_id is not null
             and not exists (select 1 from public.answers x where x.attempt_id = i.attempt_id and x.question_id = i.question_id) then
          jsonb_build_object('id', i.id, 'status', 'rejected',
                             'reason', case when lq.session_id is null or now() < lq.shown_at then 'not_open' else 'too_late' end)
        else
          jsonb_build_object('id', i.id, 'status', 'rejected', 'reason', 'already_answered')
      end as outcome
    from input i
    left join public.answers ans on ans.id = i.id
    left join public.attempts a on a.id = i.attempt_id and a.user_id = v_uid
    left join public.questions q on q.id = i.question_id
    left join public.live_questions lq on lq.session_id = a.live_session_id and lq.question_id = i.question_id
  ) o;

  return v_result;
end;
$$;
revoke all on function private.store_graded_answers(jsonb) from public, anon, authenticated, service_role;
grant execute on function private.store_graded_answers(jsonb) to authenticated;

-- ---------------------------------------------------------------------------------------------------
-- What the session's messages and reads say. Internal (no grants): called by the definer functions
-- below after they have checked the caller.

-- The name a classmate is shown by: the student's leaderboard alias, else a stable pseudonym (as
-- get_leaderboard shows students to students).
create function private.classmate_name(p_user_id uuid)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((select pr.leaderboard_alias from public.profiles pr where pr.id = p_user_id),
                  'Student ' || upper(left(md5(p_user_id::text), 4)));
$$;
revoke all on function private.classmate_name(uuid) from public, anon, authenticated, service_role;

-- A shown question as the clients see it (times are the server's; now lets a device correct its clock).
create function private.live_question_json(p_q public.live_questions, p_count integer)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'session_id', p_q.session_id, 'position', p_q.position, 'count', p_count, 'question_id', p_q.question_id,
    'shown_at', p_q.shown_at, 'choices_at', p_q.choices_at, 'closes_at', p_q.closes_at, 'closed_at', p_q.closed_at,
    'now', clock_timestamp());
$$;
revoke all on function private.live_question_json(public.live_questions, integer) from public, anon, authenticated, service_role;

-- One question's outcome: the key, how many chose each letter, how many answered of how many joined.
create function private.live_question_results(p_session_id uuid, p_position smallint)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'position', lq.position, 'question_id', lq.question_id, 'correct_choice', q.correct_choice,
    'counts', jsonb_build_object(
      'A', count(x.id) filter (where x.choice = 'A'), 'B', count(x.id) filter (where x.choice = 'B'),
      'C', count(x.id) filter (where x.choice = 'C'), 'D', count(x.id) filter (where x.choice = 'D'),
      'E', count(x.id) filter (where x.choice = 'E')),
    'answered', count(x.id),
    'correct', count(x.id) filter (where x.is_correct),
    'participants', count(distinct a.id),
    'closed_at', lq.closed_at)
  from public.live_questions lq
  join public.questions q on q.id = lq.question_id
  left join public.attempts a on a.live_session_id = lq.session_id
  left join public.answers x on x.attempt_id = a.id and x.question_id = lq.question_id
  where lq.session_id = p_session_id and lq.position = p_position
  group by lq.position, lq.question_id, q.correct_choice, lq.closed_at;
$$;
revoke all on function private.live_question_results(uuid, smallint) from public, anon, authenticated, service_role;

-- The session's standings: correct answers first, then the server-measured time to answer them
-- (received_at − choices_at, summed). `top` names the first p_top who have not opted out of leaderboards;
-- `scores` is [[correct, students], …] from the most correct down, from which a student's rank is
-- 1 + the students with more correct (ties share a rank).
create function private.live_standings(p_session_id uuid, p_top integer)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  with per as (
    select a.user_id,
           count(x.id) filter (where x.is_correct) as correct,
           count(x.id) as answered,
           coalesce(sum((extract(epoch from (x.received_at - lq.choices_at)) * 1000)::bigint) filter (where x.is_correct), 0) as ms
    from public.attempts a
    left join public.answers x on x.attempt_id = a.id
    left join public.live_questions lq on lq.session_id = a.live_session_id and lq.question_id = x.question_id
    where a.live_session_id = p_session_id
    group by a.user_id
  ),
  placed as (
    select per.*, row_number() over (order by per.correct desc, per.ms, per.user_id) as place
    from per
    where not coalesce((select pr.leaderboard_opt_out from public.profiles pr where pr.id = per.user_id), false)
  )
  select jsonb_build_object(
    'participants', (select count(*) from per),
    'top', coalesce((select jsonb_agg(jsonb_build_object('place', p.place, 'name', private.classmate_name(p.user_id),
                                                          'correct', p.correct, 'answered', p.answered, 'ms', p.ms)
                                      order by p.place)
                     from placed p where p.place <= p_top), '[]'),
    'scores', coalesce((select jsonb_agg(jsonb_build_array(s.correct, s.n) order by s.correct desc)
                        from (select per.correct, count(*) as n from per group by per.correct) s), '[]'));
$$;
revoke all on function private.live_standings(uuid, integer) from public, anon, authenticated, service_role;

-- The instructor's live count for the question on screen.
create function private.live_count(p_session_id uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'session_id', s.id, 'position', s.current_position,
    'answered', (select count(*) from public.attempts a
                 join public.answers x on x.attempt_id = a.id and x.question_id = s.question_ids[s.current_position + 1]
                 where a.live_session_id = s.id),
    'participants', (select count(*) from public.attempts a where a.live_session_id = s.id))
  from public.live_sessions s
  where s.id = p_session_id;
$$;
revoke all on function private.live_count(uuid) from public, anon, authenticated, service_role;

-- Closes the question on screen if it is still open and tells the class (results and standings).
-- Closing after the timer records the end of the window (closes_at + grace), not the late click.
create function private.live_close_current(p_session_id uuid)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_q public.live_questions;
  v_results jsonb;
begin
  update public.live_questions lq
    set closed_at = least(now(), lq.closes_at + interval '2 seconds')
    where lq.session_id = p_session_id and lq.closed_at is null
    returning lq.* into v_q;
  if v_q.session_id is null then
    return null;
  end if;
  v_results := private.live_question_results(p_session_id, v_q.position)
               || jsonb_build_object('session_id', p_session_id, 'standings', private.live_standings(p_session_id, 5));
  perform realtime.send(v_results, 'closed', 'live:' || p_session_id, true);
  return v_results;
end;
$$;
revoke all on function private.live_close_current(uuid) from public, anon, authenticated, service_role;

-- The session, locked for a change by its cohort's instructor (42501 for anyone else, 22023 if ended).
create function private.live_session_to_run(p_session_id uuid)
returns public.live_sessions
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_s public.live_sessions;
begin
  select s.* into v_s from public.live_sessions s where s.id = p_session_id for update;
  if v_s.id is null or not exists (
    select 1 from public.cohorts c where c.id = v_s.cohort_id and c.instructor_id = (select auth.uid())) then
    raise exception 'Only the cohort''s instructor can run this live session.' using errcode = '42501';
  end if;
  return v_s;
end;
$$;
revoke all on function private.live_session_to_run(uuid) from public, anon, authenticated, service_role;

-- ---------------------------------------------------------------------------------------------------
-- The instructor's controls. Public invoker RPCs check their arguments; the private definer halves check
-- the caller (live_session_to_run) and write.

create function private.live_next(p_session_id uuid, p_seconds integer, p_choices_after_seconds integer)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_s public.live_sessions := private.live_session_to_run(p_session_id);
  v_pos smallint;
  v_q public.live_questions;
  v_msg jsonb;
begin
  if v_s.status <> 'open' then
    raise exception 'This live session has ended.' using errcode = '22023';
  end if;
  v_pos := coalesce(v_s.current_position + 1, 0);
  if v_pos >= cardinality(v_s.question_ids) then
    raise exception 'That was the last question.' using errcode = '22023', hint = 'End the session to show the podium.';
  end if;
  perform private.live_close_current(v_s.id);
  insert into public.live_questions (session_id, position, question_id, shown_at, choices_at, closes_at)
  values (v_s.id, v_pos, v_s.question_ids[v_pos + 1], now(),
          now() + make_interval(secs => p_choices_after_seconds),
          now() + make_interval(secs => p_choices_after_seconds + p_seconds))
  returning * into v_q;
  update public.live_sessions s set current_position = v_pos where s.id = v_s.id;
  v_msg := private.live_question_json(v_q, cardinality(v_s.question_ids));
  perform realtime.send(v_msg, 'question', 'live:' || v_s.id, true);
  return v_msg;
end;
$$;
revoke all on function private.live_next(uuid, integer, integer) from public, anon, authenticated, service_role;
grant execute on function private.live_next(uuid, integer, integer) to authenticated;

create function public.next_live_question(p_session_id uuid, p_seconds integer default 30, p_choices_after_seconds integer default 3)
returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
  if (select auth.uid()) is null then
    raise exception 'Sign in to run a live session.' using errcode = '42501';
  end if;
  if p_session_id is null then
    raise exception 'p_session_id is required.' using errcode = '22023';
  end if;
  if p_seconds is null or p_seconds not between 5 and 600 then
    raise exception 'The time limit must be between 5 and 600 seconds.' using errcode = '22023';
  end if;
  if p_choices_after_seconds is null or p_choices_after_seconds not between 0 and 30 then
    raise exception 'The choices must follow the stem within 0 to 30 seconds.' using errcode = '22023';
  end if;
  perform private.check_rate_limit('run_live_session', 120, 60);
  return private.live_next(p_session_id, p_seconds, p_choices_after_seconds);
end;
$$;
revoke all on function public.next_live_question(uuid, integer, integer) from public, anon, authenticated, service_role;
grant execute on function public.next_live_question(uuid, integer, integer) to authenticated;

create function private.live_close(p_session_id uuid)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_s public.live_sessions := private.live_session_to_run(p_session_id);
begin
  if v_s.current_position is null then
    raise exception 'No question has been shown yet.' using errcode = '22023';
  end if;
  -- Already closed (e.g. a retried click): the same results, without a second message.
  return coalesce(private.live_close_current(v_s.id),
                  private.live_question_results(v_s.id, v_s.current_position)
                  || jsonb_build_object('session_id', v_s.id, 'standings', private.live_standings(v_s.id, 5)));
end;
$$;
revoke all on function private.live_close(uuid) from public, anon, authenticated, service_role;
grant execute on function private.live_close(uuid) to authenticated;

create function public.close_live_question(p_session_id uuid)
returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
  if (select auth.uid()) is null then
    raise exception 'Sign in to run a live session.' using errcode = '42501';
  end if;
  if p_session_id is null then
    raise exception 'p_session_id is required.' using errcode = '22023';
  end if;
  perform private.check_rate_limit('run_live_session', 120, 60);
  return private.live_close(p_session_id);
end;
$$;
revoke all on function public.close_live_question(uuid) from public, anon, authenticated, service_role;
grant execute on function public.close_live_question(uuid) to authenticated;

create function private.live_end(p_session_id uuid)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_s public.live_sessions := private.live_session_to_run(p_session_id);
  v_standings jsonb;
begin
  if v_s.status = 'ended' then
    return private.live_standings(v_s.id, 3);
  end if;
  perform private.live_close_current(v_s.id);
  update public.live_sessions s set status = 'ended', ended_at = now() where s.id = v_s.id;
  -- Every live block of the session is complete now (a device that comes back completes it too: once).
  update public.attempts a set completed_at = greatest(now(), a.started_at)
    where a.live_session_id = v_s.id and a.completed_at is null;
  v_standings := private.live_standings(v_s.id, 3);
  perform realtime.send(jsonb_build_object('session_id', v_s.id, 'standings', v_standings), 'ended', 'live:' || v_s.id, true);
  perform realtime.send(
    jsonb_build_object('session_id', v_s.id, 'cohort_id', v_s.cohort_id, 'title', v_s.title, 'status', 'ended'),
    'live', 'cohort:' || v_s.cohort_id, true);
  return v_standings;
end;
$$;
revoke all on function private.live_end(uuid) from public, anon, authenticated, service_role;
grant execute on function private.live_end(uuid) to authenticated;

create function public.end_live_session(p_session_id uuid)
returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
  if (select auth.uid()) is null then
    raise exception 'Sign in to run a live session.' using errcode = '42501';
  end if;
  if p_session_id is null then
    raise exception 'p_session_id is required.' using errcode = '22023';
  end if;
  perform private.check_rate_limit('run_live_session', 120, 60);
  return private.live_end(p_session_id);
end;
$$;
revoke all on function public.end_live_session(uuid) from public, anon, authenticated, service_role;
grant execute on function public.end_live_session(uuid) to authenticated;

-- ---------------------------------------------------------------------------------------------------
-- Reads. get_live_session is what a device reads when it joins, rejoins, reconnects, or cannot use
-- Realtime: the state the messages would have brought it to.

create function private.live_snapshot(p_session_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
  v_s public.live_sessions;
  v_q public.live_questions;
  v_is_instructor boolean;
  v_closed boolean;
begin
  select s.* into v_s from public.live_sessions s where s.id = p_session_id;
  if v_s.id is null or not private.may_see_live_session(v_s.id) then
    raise exception 'No such live session in your cohorts.' using errcode = '42501';
  end if;
  v_is_instructor := exists (select 1 from public.cohorts c where c.id = v_s.cohort_id and c.instructor_id = v_uid);
  select lq.* into v_q from public.live_questions lq where lq.session_id = v_s.id and lq.position = v_s.current_position;
  v_closed := v_q.session_id is not null and (v_q.closed_at is not null or now() > v_q.closes_at + interval '2 seconds');
  return jsonb_build_object(
    'session', jsonb_build_object('id', v_s.id, 'cohort_id', v_s.cohort_id, 'title', v_s.title, 'status', v_s.status,
                                  'question_ids', to_jsonb(v_s.question_ids), 'current_position', v_s.current_position,
                                  'created_at', v_s.created_at, 'ended_at', v_s.ended_at),
    'question', case when v_q.session_id is null then null
                     else private.live_question_json(v_q, cardinality(v_s.question_ids)) end,
    -- The key and the spread only once the question is closed (students see them at the close).
    'results', case when v_closed then private.live_question_results(v_s.id, v_q.position) end,
    'standings', case when v_closed or v_s.status = 'ended'
                      then private.live_standings(v_s.id, case when v_s.status = 'ended' then 3 else 5 end) end,
    'host', case when v_is_instructor then private.live_count(v_s.id) end,
    -- The caller's own answers in this session (a second phone learns what the first one sent).
    'mine', coalesce((
      select jsonb_agg(jsonb_build_object('question_id', x.question_id, 'choice', x.choice,
                                          'is_correct', case when v_closed or x.question_id <> v_q.question_id then x.is_correct end)
                       order by x.received_at)
      from public.attempts a join public.answers x on x.attempt_id = a.id
      where a.live_session_id = v_s.id and a.user_id = v_uid), '[]'),
    'now', clock_timestamp());
end;
$$;
revoke all on function private.live_snapshot(uuid) from public, anon, authenticated, service_role;
grant execute on function private.live_snapshot(uuid) to authenticated;

create function public.get_live_session(p_session_id uuid)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  if (select auth.uid()) is null then
    raise exception 'Sign in to join a live session.' using errcode = '42501';
  end if;
  if p_session_id is null then
    raise exception 'p_session_id is required.' using errcode = '22023';
  end if;
  return private.live_snapshot(p_session_id);
end;
$$;
revoke all on function public.get_live_session(uuid) from public, anon, authenticated, service_role;
grant execute on function public.get_live_session(uuid) to authenticated;

-- The instructor's report: every shown question's results, and every participant (real names, as on
-- the roster) with their answer to each question.
create function private.live_report(p_session_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_s public.live_sessions;
begin
  select s.* into v_s from public.live_sessions s where s.id = p_session_id;
  if v_s.id is null or not exists (
    select 1 from public.cohorts c where c.id = v_s.cohort_id and c.instructor_id = (select auth.uid())) then
    raise exception 'Only the cohort''s instructor can see this report.' using errcode = '42501';
  end if;
  return jsonb_build_object(
    'session', jsonb_build_object('id', v_s.id, 'cohort_id', v_s.cohort_id, 'title', v_s.title, 'status', v_s.status,
                                  'question_ids', to_jsonb(v_s.question_ids), 'created_at', v_s.created_at, 'ended_at', v_s.ended_at),
    'questions', coalesce((select jsonb_agg(private.live_question_results(v_s.id, lq.position) order by lq.position)
                           from public.live_questions lq where lq.session_id = v_s.id), '[]'),
    'students', coalesce((
      select jsonb_agg(st order by (st ->> 'correct')::integer desc, (st ->> 'ms')::bigint, st ->> 'name')
      from (
        select jsonb_build_object(
                 'user_id', a.user_id,
                 'name', (select pr.display_name from public.profiles pr where pr.id = a.user_id),
                 'correct', count(x.id) filter (where x.is_correct),
                 'answered', count(x.id),
                 'ms', coalesce(sum((extract(epoch from (x.received_at - lq.choices_at)) * 1000)::bigint) filter (where x.is_correct), 0),
                 'answers', coalesce(jsonb_agg(jsonb_build_object('position', lq.position, 'choice', x.choice, 'is_correct', x.is_correct,
                                                                  'ms', (extract(epoch from (x.received_at - lq.choices_at)) * 1000)::bigint)
                                               order by lq.position) filter (where x.id is not null), '[]')) as st
        from public.attempts a
        left join public.answers x on x.attempt_id = a.id
        left join public.live_questions lq on lq.session_id = a.live_session_id and lq.question_id = x.question_id
        where a.live_session_id = v_s.id
        group by a.user_id
      ) per), '[]'));
end;
$$;
revoke all on function private.live_report(uuid) from public, anon, authenticated, service_role;
grant execute on function private.live_report(uuid) to authenticated;

create function public.get_live_report(p_session_id uuid)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  if (select auth.uid()) is null then
    raise exception 'Sign in to see live session reports.' using errcode = '42501';
  end if;
  if p_session_id is null then
    raise exception 'p_session_id is required.' using errcode = '22023';
  end if;
  return private.live_report(p_session_id);
end;
$$;
revoke all on function public.get_live_report(uuid) from public, anon, authenticated, service_role;
grant execute on function public.get_live_report(uuid) to authenticated;

-- The sessions running in the caller's own cohorts (as a member): what "Live session — Join" offers.
create function public.get_my_live_sessions()
returns table (id uuid, cohort_id uuid, cohort_name text, title text, created_at timestamptz)
language sql
stable
security invoker
set search_path = ''
as $$
  select s.id, s.cohort_id, c.name, s.title, s.created_at
  from public.cohort_members m
  join public.live_sessions s on s.cohort_id = m.cohort_id and s.status = 'open'
  join public.cohorts c on c.id = s.cohort_id
  where m.user_id = (select auth.uid())
  order by s.created_at desc;
$$;
revoke all on function public.get_my_live_sessions() from public, anon, authenticated, service_role;
grant execute on function public.get_my_live_sessions() to authenticated;

-- ---------------------------------------------------------------------------------------------------
-- Messages that follow from answers: the instructor's live count, and the cohort boards.

-- When a cohort's 'board' message was last sent (at most about one a second per cohort).
create table private.board_signals (
  cohort_id uuid not null primary key references public.cohorts (id) on delete cascade,
  sent_at timestamptz not null
);
comment on table private.board_signals is 'Debounce of the cohort:<id> board message: when it was last sent.';
alter table private.board_signals enable row level security;
revoke all on table private.board_signals from public, anon, authenticated, service_role;

create function private.answers_broadcast()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id uuid;
  v_cohorts uuid[];
begin
  for v_id in
    select distinct a.live_session_id
    from new_answers n join public.attempts a on a.id = n.attempt_id
    where a.live_session_id is not null
  loop
    perform realtime.send(private.live_count(v_id), 'answers', 'live-host:' || v_id, true);
  end loop;

  -- Boards: the cohorts of whoever answered for rank (review answers never move a board). The update
  -- takes the row only when a second has passed, so concurrent batches of one cohort rarely wait on it;
  -- clients re-read the board about a second after a message, which covers the batches it skipped.
  select coalesce(array_agg(distinct m.cohort_id), '{}') into v_cohorts
  from (select distinct n.user_id from new_answers n
        where exists (select 1 from public.attempts a where a.id = n.attempt_id and a.kind <> 'review')) u
  join public.cohort_members m on m.user_id = u.user_id;
  if cardinality(v_cohorts) = 0 then
    return null;
  end if;
  insert into private.board_signals (cohort_id, sent_at)
    select c, '-infinity' from unnest(v_cohorts) c
    on conflict (cohort_id) do nothing;
  for v_id in
    update private.board_signals b set sent_at = now()
    where b.cohort_id = any (v_cohorts) and b.sent_at < now() - interval '1 second'
    returning b.cohort_id
  loop
    perform realtime.send(jsonb_build_object('cohort_id', v_id), 'board', 'cohort:' || v_id, true);
  end loop;
  return null;
end;
$$;
revoke all on function private.answers_broadcast() from public, anon, authenticated, service_role;
create trigger answers_broadcast
  after insert on public.answers
  referencing new table as new_answers
  for each statement execute function private.answers_broadcast();

-- A student's live block reached the server: the instructor's "n joined".
create function private.attempts_live_joined()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform realtime.send(private.live_count(new.live_session_id) || jsonb_build_object('joined', true),
                        'answers', 'live-host:' || new.live_session_id, true);
  return null;
end;
$$;
revoke all on function private.attempts_live_joined() from public, anon, authenticated, service_role;
create trigger attempts_live_joined
  after insert on public.attempts
  for each row when (new.live_session_id is not null)
  execute function private.attempts_live_joined();

-- ---------------------------------------------------------------------------------------------------
-- Realtime Authorization: who may join (and so receive) the app's topics. There is deliberately no
-- INSERT policy for them: clients cannot broadcast on these topics at all, so every question, close,
-- count and board message comes from the functions above.

create function private.may_listen(p_topic text)
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
  v_id uuid;
begin
  if v_uid is null or p_topic is null
     or p_topic !~ '^(cohort|live|live-host):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    return false;
  end if;
  v_id := split_part(p_topic, ':', 2)::uuid;
  case split_part(p_topic, ':', 1)
    when 'cohort' then
      return exists (select 1 from public.cohorts c where c.id = v_id and c.instructor_id = v_uid)
          or exists (select 1 from public.cohort_members m where m.cohort_id = v_id and m.user_id = v_uid);
    when 'live' then
      return private.may_see_live_session(v_id);
    else -- live-host
      return exists (select 1 from public.live_sessions s join public.cohorts c on c.id = s.cohort_id
                     where s.id = v_id and c.instructor_id = v_uid);
  end case;
end;
$$;
revoke all on function private.may_listen(text) from public, anon, authenticated, service_role;
grant execute on function private.may_listen(text) to authenticated;

create policy "Cohort and live topics are readable by the cohort" on realtime.messages
  for select to authenticated
  using (extension = 'broadcast' and (select private.may_listen((select realtime.topic()))));
