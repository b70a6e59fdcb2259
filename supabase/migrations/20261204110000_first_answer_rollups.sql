-- Purpose: leaderboards that cannot be farmed (issue #14, item 5; docs/decisions/017). Rank, percentile
-- and every peer comparison built on the rollups count only a student's FIRST answer to each question;
-- answering the same questions again in a new block still counts in the student's own history (answers
-- are untouched) but no longer on the boards.
-- Affected: new table private.first_answers (back-filled); functions private.answers_into_rollups() and
-- private.membership_rollups() replaced (their triggers stay); public.leaderboard_all_time and
-- public.leaderboard_weekly recomputed from the first answers.
--
-- "First" = the first answer the server RECEIVED for (user, question): whichever transaction claims the
-- (user_id, question_id) primary key of private.first_answers first. A later arrival never displaces it,
-- even with an earlier answered_at (answered_at is the client's clock: letting it decide would let a
-- forged clock swap a wrong first answer for a right one, and would rewrite boards already shown).
-- Within one batch (or the back-fill) ties go to the earliest received_at, then answered_at, then id.

-- Nothing may insert answers or memberships while the first answers are back-filled and the rollups
-- rebuilt (a row committed in between would be counted by the old trigger function and then lost or
-- double-counted); reads go on. The rollups are locked too so an opt-out toggled meanwhile waits and
-- then lands on the rebuilt rows.
lock table public.answers, public.cohort_members in share row exclusive mode;
lock table public.leaderboard_all_time, public.leaderboard_weekly in exclusive mode;

create table private.first_answers (
  user_id uuid not null,
  question_id bigint not null,
  -- The counted answer. Deleting it (its attempt or its student) removes the claim with it.
  answer_id uuid not null unique references public.answers (id) on delete cascade,
  primary key (user_id, question_id)
);
comment on table private.first_answers is 'The answer that counts for rank, percentile and peer comparisons: the first one received per student and question. Written only by the answers trigger.';
revoke all on private.first_answers from public, anon, authenticated, service_role;
-- No grants: only the definer trigger functions (owned by the migration role) read and write it.
alter table private.first_answers enable row level security;

insert into private.first_answers (user_id, question_id, answer_id)
select distinct on (a.user_id, a.question_id) a.user_id, a.question_id, a.id
from public.answers a
order by a.user_id, a.question_id, a.received_at, a.answered_at, a.id;

-- Adds the newly inserted answers that are their student's first answer to a question to the rollups of
-- every cohort the student belongs to. Statement-level with a transition table, as before.
-- Exactly once, race-free under READ COMMITTED: the claim is an INSERT … ON CONFLICT DO NOTHING on the
-- (user_id, question_id) primary key, so of two concurrent batches answering the same question (two
-- devices, two blocks) the second waits on the first's index entry and, once it commits, skips the row;
-- RETURNING gives exactly the answers this statement claimed. Replays never reach the trigger (the
-- answers insert skips known ids). Claims are inserted in (user_id, question_id) order so two batches of
-- the same student lock the keys in the same order and cannot deadlock each other.
-- Definer: writes the rollups and private.first_answers, which no API role can write.
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

-- A student who joins a cohort brings their history, counted by the same rule: first answers only.
-- One who leaves takes it with them.
-- Definer: writes the rollups and reads private.first_answers.
create or replace function private.membership_rollups()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    insert into public.leaderboard_all_time (cohort_id, user_id, answered, correct, reached_at, hidden)
    select new.cohort_id, new.user_id, count(*), count(*) filter (where a.is_correct),
           coalesce(max(private.answer_effective_time(a.answered_at, a.received_at)) filter (where a.is_correct), 'infinity'),
           (select p.leaderboard_opt_out from public.profiles p where p.id = new.user_id)
    from private.first_answers f
    join public.answers a on a.id = f.answer_id
    where f.user_id = new.user_id
    having count(*) > 0
    on conflict do nothing;
    insert into public.leaderboard_weekly (cohort_id, week_start, user_id, answered, correct, reached_at, hidden)
    select new.cohort_id, private.iso_week_start(private.answer_effective_time(a.answered_at, a.received_at)), new.user_id,
           count(*), count(*) filter (where a.is_correct),
           coalesce(max(private.answer_effective_time(a.answered_at, a.received_at)) filter (where a.is_correct), 'infinity'),
           (select p.leaderboard_opt_out from public.profiles p where p.id = new.user_id)
    from private.first_answers f
    join public.answers a on a.id = f.answer_id
    where f.user_id = new.user_id
    group by 2
    on conflict do nothing;
    return new;
  end if;
  delete from public.leaderboard_all_time where cohort_id = old.cohort_id and user_id = old.user_id;
  delete from public.leaderboard_weekly where cohort_id = old.cohort_id and user_id = old.user_id;
  return old;
end;
$$;
revoke all on function private.membership_rollups() from public, anon, authenticated, service_role;

-- Existing rollups counted every answer: rebuild them from the first answers (same arithmetic as the
-- trigger: reached_at is the latest effective time among the counted correct answers).
delete from public.leaderboard_weekly;
delete from public.leaderboard_all_time;

insert into public.leaderboard_all_time (cohort_id, user_id, answered, correct, reached_at, hidden)
select m.cohort_id, a.user_id, count(*), count(*) filter (where a.is_correct),
       coalesce(max(private.answer_effective_time(a.answered_at, a.received_at)) filter (where a.is_correct), 'infinity'),
       bool_or(p.leaderboard_opt_out)
from private.first_answers f
join public.answers a on a.id = f.answer_id
join public.cohort_members m on m.user_id = a.user_id
join public.profiles p on p.id = a.user_id
group by m.cohort_id, a.user_id;

insert into public.leaderboard_weekly (cohort_id, week_start, user_id, answered, correct, reached_at, hidden)
select m.cohort_id, private.iso_week_start(private.answer_effective_time(a.answered_at, a.received_at)), a.user_id,
       count(*), count(*) filter (where a.is_correct),
       coalesce(max(private.answer_effective_time(a.answered_at, a.received_at)) filter (where a.is_correct), 'infinity'),
       bool_or(p.leaderboard_opt_out)
from private.first_answers f
join public.answers a on a.id = f.answer_id
join public.cohort_members m on m.user_id = a.user_id
join public.profiles p on p.id = a.user_id
group by 1, 2, 3;

comment on table public.leaderboard_all_time is 'Per cohort and student: first answers (one per question, private.first_answers) and how many were correct, all time. Maintained by triggers; read through get_leaderboard().';
comment on table public.leaderboard_weekly is 'Per cohort, ISO week (UTC, Monday) and student: first answers (one per question) given that week and how many were correct. Maintained by triggers.';
