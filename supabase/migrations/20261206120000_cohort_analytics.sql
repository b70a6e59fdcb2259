-- Purpose: cohort analytics for the cohort's instructor (issue #18, "Cohort analytics";
-- docs/decisions/022-cohort-analytics.md): accuracy by organ system and discipline over first attempts,
-- the weakest topics (system × discipline) with their trend over 8 ISO weeks, weekly activity, and the
-- students at risk. Every read comes from rollups kept by the answers and membership triggers, so a
-- request costs the same for a cohort of 30 or of 10,000 students with 5,000,000 answers.
-- Affected: new tables private.cohort_topic_totals, private.cohort_topic_weekly,
-- private.cohort_activity_weekly, private.cohort_member_weeks, private.cohort_member_stats (back-filled);
-- new functions private.analytics_shard(uuid), private.rebuild_cohort_analytics(),
-- private.membership_analytics() (trigger cohort_members_analytics), private.question_topic_moved()
-- (trigger questions_topic_moved), trigger cohort_members_guard_immutable, private.cohort_topic_accuracy(uuid), private.cohort_activity(uuid),
-- private.cohort_students_at_risk(uuid, integer, integer), public.get_cohort_topic_accuracy(uuid),
-- public.get_cohort_activity(uuid), public.get_cohort_students_at_risk(uuid, integer, integer);
-- private.answers_into_rollups() replaced (claims from every block but review ones, as in
-- 20261206090000_assignments.sql; the leaderboard arithmetic unchanged; then the analytics rollups).
--
-- What counts:
--   - Accuracy (topics, systems, disciplines, a student's accuracy for the at-risk rule): first answers
--     (private.first_answers, decision 017), so retakes and review blocks never move it.
--   - Activity (students active, answers per week, last active): EVERY answer, review and retakes
--     included: a student who only reviews is working, not inactive.
--   - The week of an answer is the ISO week (UTC) of its effective time (decision 005), for both.
--   - A cohort's analytics are its CURRENT members' whole history: joining brings a student's history,
--     leaving takes it away (as the leaderboards do).
-- Rollups that every member of a big cohort writes (per cohort and topic, per cohort and week) are split
-- into 16 shards by the student's id, so two students' concurrent batches rarely wait on the same row;
-- reads add up the shards.

-- Nothing may insert answers or memberships, or move questions between topics, while the rollups are
-- back-filled (a row committed in between would be missed or counted twice).
lock table public.answers, public.cohort_members, public.questions in share row exclusive mode;

-- The shard (0–15) of a student's rows in the cohort-wide rollups: the low 4 bits of the uuid's last byte.
create function private.analytics_shard(p_user_id uuid)
returns smallint
language sql
immutable
parallel safe
set search_path = ''
as $$
  select (pg_catalog.get_byte(pg_catalog.uuid_send(p_user_id), 15) & 15)::smallint;
$$;
revoke all on function private.analytics_shard(uuid) from public, anon, authenticated, service_role;

create table private.cohort_topic_totals (
  cohort_id uuid not null references public.cohorts (id) on delete cascade,
  organ_system text not null,
  discipline text not null,
  shard smallint not null,
  answered integer not null default 0,
  correct integer not null default 0,
  primary key (cohort_id, organ_system, discipline, shard)
);
comment on table private.cohort_topic_totals is 'Per cohort and topic (organ system × discipline), in 16 shards by student: first answers of current members and how many were correct, all time. Maintained by triggers.';

create table private.cohort_topic_weekly (
  cohort_id uuid not null references public.cohorts (id) on delete cascade,
  week_start date not null,
  organ_system text not null,
  discipline text not null,
  shard smallint not null,
  answered integer not null default 0,
  correct integer not null default 0,
  primary key (cohort_id, week_start, organ_system, discipline, shard)
);
comment on table private.cohort_topic_weekly is 'As cohort_topic_totals, per ISO week (UTC, Monday) of the answer''s effective time. Maintained by triggers.';

create table private.cohort_activity_weekly (
  cohort_id uuid not null references public.cohorts (id) on delete cascade,
  week_start date not null,
  shard smallint not null,
  students_active integer not null default 0,
  answers integer not null default 0,
  primary key (cohort_id, week_start, shard)
);
comment on table private.cohort_activity_weekly is 'Per cohort and ISO week, in 16 shards by student: current members who gave at least one answer that week, and every answer they gave (review and retakes included). Maintained by triggers.';

create table private.cohort_member_weeks (
  cohort_id uuid not null,
  user_id uuid not null,
  week_start date not null,
  answers integer not null,
  -- No foreign key to the membership: its cascade would run before the membership trigger, which
  -- still needs these rows to take the member's weeks off the cohort's counters (it deletes them).
  primary key (cohort_id, user_id, week_start)
);
comment on table private.cohort_member_weeks is 'Per cohort member and ISO week: every answer they gave. Tells the trigger whether a member is new to a week''s active count. Maintained by triggers.';

create table private.cohort_member_stats (
  cohort_id uuid not null,
  user_id uuid not null,
  joined_at timestamptz not null,
  -- Effective time of the member's latest answer of any kind; null: never answered.
  last_active_at timestamptz,
  -- First answers and how many were correct (the leaderboard's all-time counts, kept here beside the
  -- activity so one index serves the at-risk read).
  answered integer not null default 0,
  correct integer not null default 0,
  quiet_since timestamptz not null generated always as (coalesce(last_active_at, joined_at)) stored,
  accuracy numeric generated always as (correct::numeric / nullif(answered, 0)) stored,
  -- Deleted with the membership by the membership trigger (see cohort_member_weeks).
  primary key (cohort_id, user_id)
);
comment on table private.cohort_member_stats is 'Per cohort member: last activity (any answer), first answers and correct ones. One row per member, made when they join. Read by get_cohort_students_at_risk. Maintained by triggers.';
-- The at-risk read: members quiet since a date, and the bottom of the accuracy order among members with
-- at least 50 first answers (the decile rule's population).
create index cohort_member_stats_quiet_idx on private.cohort_member_stats (cohort_id, quiet_since);
create index cohort_member_stats_accuracy_idx on private.cohort_member_stats (cohort_id, accuracy, user_id) where answered >= 50;

revoke all on private.cohort_topic_totals, private.cohort_topic_weekly, private.cohort_activity_weekly,
  private.cohort_member_weeks, private.cohort_member_stats from public, anon, authenticated, service_role;
-- No grants and no policies: only the definer functions below (owned by the migration role) touch them.
alter table private.cohort_topic_totals enable row level security;
alter table private.cohort_topic_weekly enable row level security;
alter table private.cohort_activity_weekly enable row level security;
alter table private.cohort_member_weeks enable row level security;
alter table private.cohort_member_stats enable row level security;

-- A membership's student, cohort and join time never change (cohort_member_stats keeps a copy of
-- joined_at; a member moved by an UPDATE would bypass the membership triggers). Students cannot update
-- memberships at all; this stops the service role too (decision 018's guard).
create trigger cohort_members_guard_immutable
  before update on public.cohort_members
  for each row execute function private.guard_immutable_columns('anon,authenticated,service_role', 'cohort_id', 'user_id', 'joined_at');

-- Rebuilds every analytics rollup from the answers, the first answers and the memberships (the same
-- arithmetic as the triggers). Run by this migration, and by the benchmark after its bulk load with the
-- triggers off. The caller must hold the locks this migration takes.
create function private.rebuild_cohort_analytics()
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from private.cohort_topic_totals;
  delete from private.cohort_topic_weekly;
  delete from private.cohort_activity_weekly;
  delete from private.cohort_member_weeks;
  delete from private.cohort_member_stats;

  insert into private.cohort_topic_totals (cohort_id, organ_system, discipline, shard, answered, correct)
  select m.cohort_id, q.organ_system, q.discipline, private.analytics_shard(a.user_id), count(*), count(*) filter (where a.is_correct)
  from private.first_answers f
  join public.answers a on a.id = f.answer_id
  join public.questions q on q.id = a.question_id
  join public.cohort_members m on m.user_id = a.user_id
  group by 1, 2, 3, 4;

  insert into private.cohort_topic_weekly (cohort_id, week_start, organ_system, discipline, shard, answered, correct)
  select m.cohort_id, private.iso_week_start(private.answer_effective_time(a.answered_at, a.received_at)),
         q.organ_system, q.discipline, private.analytics_shard(a.user_id), count(*), count(*) filter (where a.is_correct)
  from private.first_answers f
  join public.answers a on a.id = f.answer_id
  join public.questions q on q.id = a.question_id
  join public.cohort_members m on m.user_id = a.user_id
  group by 1, 2, 3, 4, 5;

  insert into private.cohort_member_weeks (cohort_id, user_id, week_start, answers)
  select m.cohort_id, a.user_id, private.iso_week_start(private.answer_effective_time(a.answered_at, a.received_at)), count(*)
  from public.answers a
  join public.cohort_members m on m.user_id = a.user_id
  group by 1, 2, 3;

  insert into private.cohort_activity_weekly (cohort_id, week_start, shard, students_active, answers)
  select w.cohort_id, w.week_start, private.analytics_shard(w.user_id), count(*), sum(w.answers)
  from private.cohort_member_weeks w
  group by 1, 2, 3;

  insert into private.cohort_member_stats (cohort_id, user_id, joined_at, last_active_at, answered, correct)
  select m.cohort_id, m.user_id, m.joined_at, act.last_at, coalesce(fa.n, 0), coalesce(fa.c, 0)
  from public.cohort_members m
  left join (
    select a.user_id, max(private.answer_effective_time(a.answered_at, a.received_at)) as last_at
    from public.answers a group by a.user_id
  ) act on act.user_id = m.user_id
  left join (
    select f.user_id, count(*)::integer as n, (count(*) filter (where a.is_correct))::integer as c
    from private.first_answers f join public.answers a on a.id = f.answer_id group by f.user_id
  ) fa on fa.user_id = m.user_id;
end;
$$;
revoke all on function private.rebuild_cohort_analytics() from public, anon, authenticated, service_role;

select private.rebuild_cohort_analytics();

-- answers_into_rollups: as in 20261206090000_assignments.sql for the first-answer claim (every block but
-- a review block claims) and the two leaderboard rollups (unchanged), then the analytics rollups:
--   1. activity, from every new answer: the member's week rows (a row the statement inserts, xmax = 0,
--      is a member new to that week's active count) and the cohort's weekly counters;
--   2. topics, from the claimed first answers only;
--   3. each member's last activity and first-answer counts.
-- Rows other students write too (topics, weekly counters) are upserted in primary-key order, so two
-- batches take their row locks in the same order and cannot deadlock; each student's own rows come first.
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
    -- Answers of review blocks never claim: a card's review is a repeat, whatever the block held.
    join public.attempts a on a.id = n.attempt_id and a.kind <> 'review'
    order by n.user_id, n.question_id, n.received_at, n.answered_at, n.id
    on conflict (user_id, question_id) do nothing
    returning answer_id
  )
  select array_agg(c.answer_id) into v_counted from claimed c;

  -- Activity counts every answer, claimed or not (a retake or a review is work done).
  with per_week as (
    select m.cohort_id, n.user_id, private.iso_week_start(private.answer_effective_time(n.answered_at, n.received_at)) as week_start,
           count(*)::integer as answers
    from new_answers n
    join public.cohort_members m on m.user_id = n.user_id
    group by 1, 2, 3
  ),
  member_weeks as (
    insert into private.cohort_member_weeks as w (cohort_id, user_id, week_start, answers)
    select p.cohort_id, p.user_id, p.week_start, p.answers from per_week p
    order by p.cohort_id, p.user_id, p.week_start
    on conflict (cohort_id, user_id, week_start) do update set answers = w.answers + excluded.answers
    returning w.cohort_id, w.user_id, w.week_start, (w.xmax = 0) as is_new
  )
  insert into private.cohort_activity_weekly as a (cohort_id, week_start, shard, students_active, answers)
  select p.cohort_id, p.week_start, private.analytics_shard(p.user_id),
         count(*) filter (where mw.is_new), sum(p.answers)
  from per_week p
  join member_weeks mw on mw.cohort_id = p.cohort_id and mw.user_id = p.user_id and mw.week_start = p.week_start
  group by 1, 2, 3
  order by 1, 2, 3
  on conflict (cohort_id, week_start, shard) do update set
    students_active = a.students_active + excluded.students_active,
    answers = a.answers + excluded.answers;

  if v_counted is not null then
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

    insert into private.cohort_topic_totals as t (cohort_id, organ_system, discipline, shard, answered, correct)
    select m.cohort_id, q.organ_system, q.discipline, private.analytics_shard(n.user_id), count(*), count(*) filter (where n.is_correct)
    from new_answers n
    join public.cohort_members m on m.user_id = n.user_id
    join public.questions q on q.id = n.question_id
    where n.id = any (v_counted)
    group by 1, 2, 3, 4
    order by 1, 2, 3, 4
    on conflict (cohort_id, organ_system, discipline, shard) do update set
      answered = t.answered + excluded.answered,
      correct = t.correct + excluded.correct;

    insert into private.cohort_topic_weekly as t (cohort_id, week_start, organ_system, discipline, shard, answered, correct)
    select m.cohort_id, private.iso_week_start(private.answer_effective_time(n.answered_at, n.received_at)),
           q.organ_system, q.discipline, private.analytics_shard(n.user_id), count(*), count(*) filter (where n.is_correct)
    from new_answers n
    join public.cohort_members m on m.user_id = n.user_id
    join public.questions q on q.id = n.question_id
    where n.id = any (v_counted)
    group by 1, 2, 3, 4, 5
    order by 1, 2, 3, 4, 5
    on conflict (cohort_id, week_start, organ_system, discipline, shard) do update set
      answered = t.answered + excluded.answered,
      correct = t.correct + excluded.correct;
  end if;

  update private.cohort_member_stats s set
    last_active_at = greatest(s.last_active_at, x.last_at),
    answered = s.answered + x.n,
    correct = s.correct + x.c
  from (
    select m.cohort_id, n.user_id, max(private.answer_effective_time(n.answered_at, n.received_at)) as last_at,
           (count(*) filter (where n.id = any (v_counted)))::integer as n,
           (count(*) filter (where n.id = any (v_counted) and n.is_correct))::integer as c
    from new_answers n
    join public.cohort_members m on m.user_id = n.user_id
    group by 1, 2
  ) x
  where s.cohort_id = x.cohort_id and s.user_id = x.user_id;
  return null;
end;
$$;
revoke all on function private.answers_into_rollups() from public, anon, authenticated, service_role;

-- A student who joins a cohort brings their history into its analytics; one who leaves takes it away.
-- Beside private.membership_rollups (the leaderboards), on the same rows.
-- Definer: writes the analytics rollups and reads private.first_answers and every answer of the student.
create function private.membership_analytics()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    insert into private.cohort_member_stats (cohort_id, user_id, joined_at, last_active_at, answered, correct)
    select new.cohort_id, new.user_id, new.joined_at,
           (select max(private.answer_effective_time(a.answered_at, a.received_at)) from public.answers a where a.user_id = new.user_id),
           count(*), count(*) filter (where a.is_correct)
    from private.first_answers f
    join public.answers a on a.id = f.answer_id
    where f.user_id = new.user_id;

    insert into private.cohort_member_weeks (cohort_id, user_id, week_start, answers)
    select new.cohort_id, new.user_id, private.iso_week_start(private.answer_effective_time(a.answered_at, a.received_at)), count(*)
    from public.answers a
    where a.user_id = new.user_id
    group by 3;

    insert into private.cohort_activity_weekly as t (cohort_id, week_start, shard, students_active, answers)
    select w.cohort_id, w.week_start, private.analytics_shard(w.user_id), 1, w.answers
    from private.cohort_member_weeks w
    where w.cohort_id = new.cohort_id and w.user_id = new.user_id
    order by w.week_start
    on conflict (cohort_id, week_start, shard) do update set
      students_active = t.students_active + excluded.students_active,
      answers = t.answers + excluded.answers;

    insert into private.cohort_topic_totals as t (cohort_id, organ_system, discipline, shard, answered, correct)
    select new.cohort_id, q.organ_system, q.discipline, private.analytics_shard(new.user_id), count(*), count(*) filter (where a.is_correct)
    from private.first_answers f
    join public.answers a on a.id = f.answer_id
    join public.questions q on q.id = f.question_id
    where f.user_id = new.user_id
    group by 2, 3
    order by 2, 3
    on conflict (cohort_id, organ_system, discipline, shard) do update set
      answered = t.answered + excluded.answered,
      correct = t.correct + excluded.correct;

    insert into private.cohort_topic_weekly as t (cohort_id, week_start, organ_system, discipline, shard, answered, correct)
    select new.cohort_id, private.iso_week_start(private.answer_effective_time(a.answered_at, a.received_at)),
           q.organ_system, q.discipline, private.analytics_shard(new.user_id), count(*), count(*) filter (where a.is_correct)
    from private.first_answers f
    join public.answers a on a.id = f.answer_id
    join public.questions q on q.id = f.question_id
    where f.user_id = new.user_id
    group by 2, 3, 4
    order by 2, 3, 4
    on conflict (cohort_id, week_start, organ_system, discipline, shard) do update set
      answered = t.answered + excluded.answered,
      correct = t.correct + excluded.correct;
    return new;
  end if;

  -- Leaving: subtract what joining (and the answers since) added, in the same order, then drop the
  -- member's own rows. (When the whole cohort is deleted its rollups go by the cascade anyway.)
  update private.cohort_activity_weekly t set
    students_active = t.students_active - 1,
    answers = t.answers - w.answers
  from private.cohort_member_weeks w
  where w.cohort_id = old.cohort_id and w.user_id = old.user_id
    and t.cohort_id = w.cohort_id and t.week_start = w.week_start and t.shard = private.analytics_shard(old.user_id);

  update private.cohort_topic_totals t set
    answered = t.answered - x.n,
    correct = t.correct - x.c
  from (
    select q.organ_system, q.discipline, count(*)::integer as n, (count(*) filter (where a.is_correct))::integer as c
    from private.first_answers f
    join public.answers a on a.id = f.answer_id
    join public.questions q on q.id = f.question_id
    where f.user_id = old.user_id
    group by 1, 2
  ) x
  where t.cohort_id = old.cohort_id and t.organ_system = x.organ_system and t.discipline = x.discipline
    and t.shard = private.analytics_shard(old.user_id);

  update private.cohort_topic_weekly t set
    answered = t.answered - x.n,
    correct = t.correct - x.c
  from (
    select private.iso_week_start(private.answer_effective_time(a.answered_at, a.received_at)) as week_start,
           q.organ_system, q.discipline, count(*)::integer as n, (count(*) filter (where a.is_correct))::integer as c
    from private.first_answers f
    join public.answers a on a.id = f.answer_id
    join public.questions q on q.id = f.question_id
    where f.user_id = old.user_id
    group by 1, 2, 3
  ) x
  where t.cohort_id = old.cohort_id and t.week_start = x.week_start and t.organ_system = x.organ_system
    and t.discipline = x.discipline and t.shard = private.analytics_shard(old.user_id);

  delete from private.cohort_member_weeks w where w.cohort_id = old.cohort_id and w.user_id = old.user_id;
  delete from private.cohort_member_stats s where s.cohort_id = old.cohort_id and s.user_id = old.user_id;
  return old;
end;
$$;
revoke all on function private.membership_analytics() from public, anon, authenticated, service_role;

create trigger cohort_members_analytics
  after insert or delete on public.cohort_members
  for each row execute function private.membership_analytics();

-- An edited question that changes organ system or discipline takes its counted first answers with it,
-- in every cohort (the rollups always use the bank's current taxonomy, like a GROUP BY over the answers
-- would). Reads the question's answers through answers_question_id_idx: one edit of a question answered
-- by 10,000 students moves a few hundred rollup rows.
-- Definer: the editing instructor may not write the rollups or read other cohorts' answers.
create function private.question_topic_moved()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  with moved as (
    select m.cohort_id, private.iso_week_start(private.answer_effective_time(a.answered_at, a.received_at)) as week_start,
           private.analytics_shard(a.user_id) as shard, count(*)::integer as n, (count(*) filter (where a.is_correct))::integer as c
    from public.answers a
    join private.first_answers f on f.answer_id = a.id
    join public.cohort_members m on m.user_id = a.user_id
    where a.question_id = new.id
    group by 1, 2, 3
  ),
  old_totals as (
    update private.cohort_topic_totals t set answered = t.answered - x.n, correct = t.correct - x.c
    from (select cohort_id, shard, sum(n)::integer as n, sum(c)::integer as c from moved group by 1, 2) x
    where t.cohort_id = x.cohort_id and t.organ_system = old.organ_system and t.discipline = old.discipline and t.shard = x.shard
    returning 1
  ),
  old_weeks as (
    update private.cohort_topic_weekly t set answered = t.answered - x.n, correct = t.correct - x.c
    from moved x
    where t.cohort_id = x.cohort_id and t.week_start = x.week_start and t.organ_system = old.organ_system
      and t.discipline = old.discipline and t.shard = x.shard
    returning 1
  ),
  new_totals as (
    insert into private.cohort_topic_totals as t (cohort_id, organ_system, discipline, shard, answered, correct)
    select x.cohort_id, new.organ_system, new.discipline, x.shard, sum(x.n), sum(x.c)
    from moved x group by x.cohort_id, x.shard
    order by 1, 4
    on conflict (cohort_id, organ_system, discipline, shard) do update set
      answered = t.answered + excluded.answered, correct = t.correct + excluded.correct
    returning 1
  )
  insert into private.cohort_topic_weekly as t (cohort_id, week_start, organ_system, discipline, shard, answered, correct)
  select x.cohort_id, x.week_start, new.organ_system, new.discipline, x.shard, x.n, x.c
  from moved x
  order by x.cohort_id, x.week_start, x.shard
  on conflict (cohort_id, week_start, organ_system, discipline, shard) do update set
    answered = t.answered + excluded.answered, correct = t.correct + excluded.correct;
  return null;
end;
$$;
revoke all on function private.question_topic_moved() from public, anon, authenticated, service_role;

create trigger questions_topic_moved
  after update of organ_system, discipline on public.questions
  for each row when (old.organ_system is distinct from new.organ_system or old.discipline is distinct from new.discipline)
  execute function private.question_topic_moved();

-- ------------------------------------------------------------------------------------------- reads
-- Each read is an invoker RPC that checks the caller instructs the cohort (42501) and its arguments
-- (22023), then calls one definer helper that reads the private rollups (which no API role can read);
-- the helper checks the instructor again and returns only that cohort's figures.

-- Accuracy over first answers: by organ system, by discipline, and the 10 weakest topics (system ×
-- discipline) among those with at least p_min_answers first answers, each with its last 8 ISO weeks
-- (the current one last; weeks without answers have answered = 0).
create function private.cohort_topic_accuracy(p_cohort_id uuid, p_min_answers integer)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_this_week date := private.iso_week_start(now());
  v_result jsonb;
begin
  perform private.require_cohort_instructor(p_cohort_id);
  with topics as (
    select t.organ_system, t.discipline, sum(t.answered)::integer as answered, sum(t.correct)::integer as correct
    from private.cohort_topic_totals t
    where t.cohort_id = p_cohort_id
    group by 1, 2
    having sum(t.answered) > 0
  ),
  weakest as (
    select t.*, row_number() over (order by t.correct::numeric / t.answered, t.answered desc, t.organ_system, t.discipline) as rank
    from topics t
    where t.answered >= p_min_answers
    order by rank
    limit 10
  ),
  weeks as (
    select (v_this_week - 7 * g)::date as week_start from generate_series(0, 7) g
  ),
  trend as (
    select w.organ_system, w.discipline, w.week_start, sum(w.answered)::integer as answered, sum(w.correct)::integer as correct
    from private.cohort_topic_weekly w
    join weakest k on k.organ_system = w.organ_system and k.discipline = w.discipline
    where w.cohort_id = p_cohort_id and w.week_start between v_this_week - 49 and v_this_week
    group by 1, 2, 3
  )
  select jsonb_build_object(
    'min_answers', p_min_answers,
    'by_system', coalesce((
      select jsonb_agg(jsonb_build_object('organ_system', s.organ_system, 'answered', s.answered, 'correct', s.correct) order by s.organ_system)
      from (select organ_system, sum(answered)::integer as answered, sum(correct)::integer as correct from topics group by 1) s), '[]'),
    'by_discipline', coalesce((
      select jsonb_agg(jsonb_build_object('discipline', d.discipline, 'answered', d.answered, 'correct', d.correct) order by d.discipline)
      from (select discipline, sum(answered)::integer as answered, sum(correct)::integer as correct from topics group by 1) d), '[]'),
    'weakest_topics', coalesce((
      select jsonb_agg(jsonb_build_object(
        'organ_system', k.organ_system, 'discipline', k.discipline, 'answered', k.answered, 'correct', k.correct,
        'weeks', (select jsonb_agg(jsonb_build_object('week_start', wk.week_start, 'answered', coalesce(tr.answered, 0), 'correct', coalesce(tr.correct, 0))
                                   order by wk.week_start)
                  from weeks wk
                  left join trend tr on tr.organ_system = k.organ_system and tr.discipline = k.discipline and tr.week_start = wk.week_start))
        order by k.rank)
      from weakest k), '[]'))
  into v_result;
  return v_result;
end;
$$;
revoke all on function private.cohort_topic_accuracy(uuid, integer) from public, anon, authenticated, service_role;
grant execute on function private.cohort_topic_accuracy(uuid, integer) to authenticated;

-- get_cohort_topic_accuracy(cohort) → {min_answers, by_system: [{organ_system, answered, correct}],
-- by_discipline: [{discipline, answered, correct}], weakest_topics: [{organ_system, discipline, answered,
-- correct, weeks: [{week_start, answered, correct} × 8]}]}: first answers of current members.
-- A topic needs 30 first answers to be ranked among the weakest (decision 022).
-- Invoker: the figures come from private.cohort_topic_accuracy. Instructor-only (checked first).
create function public.get_cohort_topic_accuracy(p_cohort_id uuid)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  perform private.require_cohort_instructor(p_cohort_id);
  return private.cohort_topic_accuracy(p_cohort_id, 30);
end;
$$;
revoke all on function public.get_cohort_topic_accuracy(uuid) from public, anon, authenticated, service_role;
grant execute on function public.get_cohort_topic_accuracy(uuid) to authenticated;

-- Weekly activity of the last 8 ISO weeks (the current one last): members with at least one answer that
-- week, and the answers they gave (every answer: review and retakes included), with the member count.
create function private.cohort_activity(p_cohort_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_this_week date := private.iso_week_start(now());
  v_result jsonb;
begin
  perform private.require_cohort_instructor(p_cohort_id);
  select jsonb_build_object(
    'members', (select count(*) from public.cohort_members m where m.cohort_id = p_cohort_id),
    'weeks', jsonb_agg(jsonb_build_object('week_start', w.week_start, 'students_active', coalesce(a.students_active, 0), 'answers', coalesce(a.answers, 0))
                       order by w.week_start))
  into v_result
  from (select (v_this_week - 7 * g)::date as week_start from generate_series(0, 7) g) w
  left join (
    select t.week_start, sum(t.students_active)::integer as students_active, sum(t.answers)::integer as answers
    from private.cohort_activity_weekly t
    where t.cohort_id = p_cohort_id and t.week_start between v_this_week - 49 and v_this_week
    group by 1
  ) a on a.week_start = w.week_start;
  return v_result;
end;
$$;
revoke all on function private.cohort_activity(uuid) from public, anon, authenticated, service_role;
grant execute on function private.cohort_activity(uuid) to authenticated;

-- get_cohort_activity(cohort) → {members, weeks: [{week_start, students_active, answers} × 8]}.
-- Invoker: the figures come from private.cohort_activity. Instructor-only (checked first).
create function public.get_cohort_activity(p_cohort_id uuid)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  perform private.require_cohort_instructor(p_cohort_id);
  return private.cohort_activity(p_cohort_id);
end;
$$;
revoke all on function public.get_cohort_activity(uuid) from public, anon, authenticated, service_role;
grant execute on function public.get_cohort_activity(uuid) to authenticated;

-- The members at risk (decision 022), one page in a fixed order: both reasons first, then the longest
-- quiet, then the lowest accuracy, then user id.
--   inactive: no answer for 7 days or more; a member who never answered counts from when they joined.
--   low_accuracy: at least 50 first answers, and first-answer accuracy at or below the cohort's 10th
--     percentile (nearest rank) among the members with at least 50 — applied once 10 members qualify.
create function private.cohort_students_at_risk(p_cohort_id uuid, p_limit integer, p_offset integer)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_quiet_before timestamptz := now() - interval '7 days';
  v_qualified integer;
  v_threshold numeric;
  v_result jsonb;
begin
  perform private.require_cohort_instructor(p_cohort_id);
  select count(*) into v_qualified from private.cohort_member_stats s where s.cohort_id = p_cohort_id and s.answered >= 50;
  if v_qualified >= 10 then
    select s.accuracy into v_threshold
    from private.cohort_member_stats s
    where s.cohort_id = p_cohort_id and s.answered >= 50
    order by s.accuracy, s.user_id
    offset ceil(v_qualified * 0.1)::integer - 1 limit 1;
  end if;

  with at_risk as (
    select s.user_id, s.joined_at, s.last_active_at, s.answered, s.correct, s.accuracy, s.quiet_since,
           s.quiet_since <= v_quiet_before as inactive,
           coalesce(s.answered >= 50 and s.accuracy <= v_threshold, false) as low_accuracy
    from private.cohort_member_stats s
    where s.cohort_id = p_cohort_id
      and (s.quiet_since <= v_quiet_before or (s.answered >= 50 and s.accuracy <= v_threshold))
  ),
  page as (
    select r.* from at_risk r
    order by (r.inactive and r.low_accuracy) desc, r.quiet_since, r.accuracy nulls first, r.user_id
    limit p_limit offset p_offset
  )
  select jsonb_build_object(
    'total', (select count(*) from at_risk),
    'inactive', (select count(*) from at_risk where inactive),
    'low_accuracy', (select count(*) from at_risk where low_accuracy),
    'qualified', v_qualified,
    'accuracy_threshold', v_threshold,
    'students', coalesce((
      select jsonb_agg(jsonb_build_object(
        'user_id', p.user_id, 'display_name', pr.display_name, 'joined_at', p.joined_at, 'last_active_at', p.last_active_at,
        'answered', p.answered, 'correct', p.correct,
        'reasons', to_jsonb(array_remove(array[case when p.inactive then case when p.last_active_at is null then 'never_active' else 'inactive' end end,
                                               case when p.low_accuracy then 'low_accuracy' end], null)))
        order by (p.inactive and p.low_accuracy) desc, p.quiet_since, p.accuracy nulls first, p.user_id)
      from page p
      join public.profiles pr on pr.id = p.user_id), '[]'))
  into v_result;
  return v_result;
end;
$$;
revoke all on function private.cohort_students_at_risk(uuid, integer, integer) from public, anon, authenticated, service_role;
grant execute on function private.cohort_students_at_risk(uuid, integer, integer) to authenticated;

-- get_cohort_students_at_risk(cohort, limit = 50, offset = 0) → {total, inactive, low_accuracy, qualified,
-- accuracy_threshold, students: [{user_id, display_name, joined_at, last_active_at, answered, correct,
-- reasons: ['inactive' | 'never_active', 'low_accuracy']}]}. limit 1–200, offset 0–100,000 (22023 otherwise).
-- Invoker: the figures come from private.cohort_students_at_risk. Instructor-only (checked first).
create function public.get_cohort_students_at_risk(p_cohort_id uuid, p_limit integer default 50, p_offset integer default 0)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  perform private.require_cohort_instructor(p_cohort_id);
  if p_limit is null or p_limit not between 1 and 200 then
    raise exception 'p_limit must be between 1 and 200.' using errcode = '22023';
  end if;
  if p_offset is null or p_offset not between 0 and 100000 then
    raise exception 'p_offset must be between 0 and 100000.' using errcode = '22023';
  end if;
  return private.cohort_students_at_risk(p_cohort_id, p_limit, p_offset);
end;
$$;
revoke all on function public.get_cohort_students_at_risk(uuid, integer, integer) from public, anon, authenticated, service_role;
grant execute on function public.get_cohort_students_at_risk(uuid, integer, integer) to authenticated;
