-- Purpose: the leaderboard ORDER is written once. private.board_key() builds a row's sort key, a bytea
-- whose byte order is the board order; each rollup row stores its key in a generated column; the rank
-- indexes are rebuilt on it; the two functions that rank (private.leaderboard_page,
-- private.my_board_counts) compare and order by board_key only.
-- Affected: function private.board_key(integer, integer, timestamptz, uuid); columns board_key of
-- public.leaderboard_all_time and public.leaderboard_weekly; indexes leaderboard_all_time_rank_idx and
-- leaderboard_weekly_rank_idx (replaced); view private.ranked_peers (adds board_key); functions
-- private.leaderboard_page(...) and private.my_board_counts(uuid, text) (same signatures, results, cursors).
-- Issue #16; docs/decisions/016-least-privilege-rpcs.md (addendum "resolved: one sort key").
--
-- Why a stored key: a comparison inside a function with `set search_path` is never inlined, so it cannot
-- use the rank index (the position was 5× slower that way). Here the function only builds keys: on write
-- (the generated column) and once per call (from a cursor); reads compare the stored column, and that
-- comparison is an index condition on the rank index.
-- Why bytea and not a composite type (record comparison in field order): on Postgres 15 a record
-- comparison costs about twice the row comparison it replaces, and counting ranks compares every row of
-- a board: the position was 1.7–2.5× slower, a deep page from an old cursor 2.4×. A bytea compares with
-- memcmp, as fast as before (figures in the decision record).

-- The board order: more correct answers first, then higher accuracy (basis points), then who reached that
-- correct count first (reached_at ascending; 'infinity' before the first correct answer), then the user id
-- as the final, stable tie-breaker. Callers pass the first two negated (as the sort_correct and
-- sort_accuracy columns store them), so every field sorts ascending, and the key is the fields' binary
-- forms concatenated: each integer and the timestamp big-endian with the sign bit flipped (then bytes
-- compare as the signed numbers do; infinities are the int64 extremes), the uuid as its 16 bytes (uuids
-- compare bytewise). Every key is 32 bytes; the empty bytea ('') sorts before all of them.
create function private.board_key(p_correct_desc integer, p_accuracy_desc integer, p_reached_at timestamptz, p_user_id uuid)
returns bytea
language sql
immutable
parallel safe
set search_path = ''
as $$
  select pg_catalog.set_byte(k.c, 0, pg_catalog.get_byte(k.c, 0) # 128)
         || pg_catalog.set_byte(k.a, 0, pg_catalog.get_byte(k.a, 0) # 128)
         || pg_catalog.set_byte(k.r, 0, pg_catalog.get_byte(k.r, 0) # 128)
         || pg_catalog.uuid_send(p_user_id)
  from (select pg_catalog.int4send(p_correct_desc) as c, pg_catalog.int4send(p_accuracy_desc) as a,
               pg_catalog.timestamptz_send(p_reached_at) as r) k;
$$;
comment on function private.board_key(integer, integer, timestamptz, uuid) is 'Leaderboard sort key: rows rank by it ascending (bytewise). Stored as board_key on the rollups.';
revoke all on function private.board_key(integer, integer, timestamptz, uuid) from public, anon, authenticated, service_role;
-- Generated columns run their function as whoever writes the row: the rollup triggers (definer, the
-- owner) and service_role, which holds insert and update on the rollups.
grant execute on function private.board_key(integer, integer, timestamptz, uuid) to service_role;

-- A generated column cannot read another one (sort_correct, sort_accuracy), so the negations are spelled
-- from the base columns exactly as those are; the cursor's c and a are read from sort_*, and the keyset
-- tests fail if the two ever disagree.
alter table public.leaderboard_all_time add column board_key bytea not null
  generated always as (private.board_key(-correct, -((correct * 10000) / greatest(answered, 1)), reached_at, user_id)) stored;
alter table public.leaderboard_weekly add column board_key bytea not null
  generated always as (private.board_key(-correct, -((correct * 10000) / greatest(answered, 1)), reached_at, user_id)) stored;
comment on column public.leaderboard_all_time.board_key is 'Sort key on the board (private.board_key); generated.';
comment on column public.leaderboard_weekly.board_key is 'Sort key on the board (private.board_key); generated.';

-- The rank indexes, on the key: a keyset page is one range scan and so is a count up to a key; user_id
-- is included for the visibility test, so counts can be index-only scans as before.
drop index public.leaderboard_all_time_rank_idx;
create index leaderboard_all_time_rank_idx on public.leaderboard_all_time (cohort_id, board_key) include (answered, hidden, user_id);
drop index public.leaderboard_weekly_rank_idx;
create index leaderboard_weekly_rank_idx on public.leaderboard_weekly (cohort_id, week_start, board_key) include (answered, hidden, user_id);

-- Ranked peers, as in 20261204120000, with each row's board_key (appended: `create or replace view`
-- keeps the existing columns in place).
create or replace view private.ranked_peers with (security_invoker = true) as
select r.period, r.cohort_id, r.user_id, r.answered, r.correct, r.accuracy_bp,
       r.sort_correct, r.sort_accuracy, r.reached_at, r.board_key
from (
  select 'all'::text as period, l.cohort_id, l.user_id, l.answered, l.correct, l.accuracy_bp,
         l.sort_correct, l.sort_accuracy, l.reached_at, l.hidden, l.board_key
  from public.leaderboard_all_time l
  union all
  select 'week'::text, w.cohort_id, w.user_id, w.answered, w.correct, w.accuracy_bp,
         w.sort_correct, w.sort_accuracy, w.reached_at, w.hidden, w.board_key
  from public.leaderboard_weekly w
  where w.week_start = private.iso_week_start(now())
) r
join public.cohorts c on c.id = r.cohort_id
where r.answered >= c.min_answers_to_rank
  and (not r.hidden or r.user_id = (select auth.uid()) or c.instructor_id = (select auth.uid()));
comment on view private.ranked_peers is 'Rollup rows ranked on the board of auth.uid() (threshold, opt-outs hidden from students), with their board_key. Internal: read by definer helpers only.';
revoke all on private.ranked_peers from public, anon, authenticated, service_role;

-- The caller's place among ranked peers, as in 20261204120000: how many ranked rows have a key below the
-- caller's, and how many there are. Null counts while the caller is unranked.
-- Definer: counts other students' rollup rows, which RLS hides from students. It returns two numbers
-- about the caller only (auth.uid(); no user argument), and only for a cohort the caller belongs to.
create or replace function private.my_board_counts(p_cohort_id uuid, p_period text, out ahead bigint, out total bigint)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
  v_me bytea;
begin
  if not exists (select 1 from public.cohort_members m where m.cohort_id = p_cohort_id and m.user_id = v_uid) then
    raise exception 'You are not a member of this cohort.' using errcode = '42501';
  end if;
  select v.board_key into v_me
    from private.ranked_peers v
   where v.period = p_period and v.cohort_id = p_cohort_id and v.user_id = v_uid;
  if not found then
    return;
  end if;
  select count(*) filter (where v.board_key < v_me), count(*)
    into ahead, total
    from private.ranked_peers v
   where v.period = p_period and v.cohort_id = p_cohort_id;
end;
$$;
revoke all on function private.my_board_counts(uuid, text) from public, anon, authenticated, service_role;
grant execute on function private.my_board_counts(uuid, text) to authenticated;

-- One keyset page of a cohort board, as in 20261204120000 (same arguments, rows and cursors), compared and
-- ordered by board_key. A cursor's c, a, r are the first three fields of the key of the last row shown;
-- old cursors add its user id 'u' (the whole key), current ones 'k', how many rows of that tie group
-- (same c, a, r) the caller has been shown.
-- Definer: reads other students' rollup rows and aliases (RLS hides both from students); checks that
-- the caller is a member or the instructor of the cohort; returns what the board shows and nothing else.
create or replace function private.leaderboard_page(
  p_cohort_id uuid,
  p_period text,
  p_limit integer,
  p_correct integer,
  p_accuracy integer,
  p_reached timestamptz,
  p_tie integer,
  p_user uuid,
  p_rank bigint
)
returns table (rank bigint, name text, is_me boolean, answered integer, correct integer, accuracy numeric, cursor jsonb)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
  v_is_instructor boolean;
  v_before bigint := 0;
  v_offset integer := 0;
  v_tie_base bigint := 0;
  -- The key of the cursor's tie group with the nil uuid, which sorts before every user id: where the group starts.
  v_group bytea := private.board_key(p_correct, p_accuracy, p_reached, '00000000-0000-0000-0000-000000000000');
  -- The page starts after this key.
  v_after bytea;
begin
  select c.instructor_id = v_uid into v_is_instructor from public.cohorts c where c.id = p_cohort_id;
  if v_is_instructor is null
     or not (v_is_instructor or exists (select 1 from public.cohort_members m where m.cohort_id = p_cohort_id and m.user_id = v_uid)) then
    raise exception 'You are not a member of this cohort.' using errcode = '42501';
  end if;

  if p_correct is null then
    -- First page: after the empty key, which sorts before every key, so both kinds of page are the same
    -- statement with the keyset predicate as an index condition, also once PL/pgSQL switches to a generic
    -- plan (an `is null or …` there would turn it into a filter).
    v_after := ''; -- the empty bytea, whatever standard_conforming_strings says
  elsif p_user is null then
    -- Cursor {c, a, r, k, n}: start AT the tie group and skip the k rows of it already shown. Only full
    -- ties (same c, a and r) are skipped over, so a page costs p_limit index entries plus the tie rows
    -- before it.
    v_after := v_group;
    v_offset := p_tie;
    v_tie_base := p_tie;
  else
    -- Old cursor {c, a, r, u[, n]}: the rows after its key, and how many rows of its tie group it covered.
    v_after := private.board_key(p_correct, p_accuracy, p_reached, p_user);
    select count(*) into v_tie_base from private.ranked_peers v
     where v.period = p_period and v.cohort_id = p_cohort_id
       and v.board_key between v_group and v_after;
  end if;

  if p_rank is not null then
    v_before := p_rank;
  elsif p_correct is not null then
    -- A cursor from before 20261123090000 (no 'n', so an old one): count the visible ranked rows up to it.
    select count(*) into v_before from private.ranked_peers v
     where v.period = p_period and v.cohort_id = p_cohort_id and v.board_key <= v_after;
  end if;

  return query
  with page as (
    select v.user_id, v.answered, v.correct, v.accuracy_bp, v.sort_correct, v.sort_accuracy, v.reached_at,
           v_before + row_number() over (order by v.board_key) as rnk
    from (
      select x.user_id, x.answered, x.correct, x.accuracy_bp, x.sort_correct, x.sort_accuracy, x.reached_at, x.board_key
      from private.ranked_peers x
      where x.period = p_period and x.cohort_id = p_cohort_id and x.board_key > v_after
      order by x.board_key
      offset v_offset
      limit p_limit
    ) v
  )
  select p.rnk,
         -- One primary-key lookup per row of the page (a join may hash the whole profiles table).
         case
           when v_is_instructor then (select pr.display_name from public.profiles pr where pr.id = p.user_id)
           else coalesce((select pr.leaderboard_alias from public.profiles pr where pr.id = p.user_id),
                         'Student ' || upper(left(md5(p.user_id::text), 4)))
         end,
         p.user_id = v_uid,
         p.answered,
         p.correct,
         round(p.accuracy_bp / 10000.0, 4),
         jsonb_build_object(
           'c', p.sort_correct, 'a', p.sort_accuracy, 'r', p.reached_at,
           -- Rows of this row's tie group shown up to and including it (those of earlier pages included).
           'k', count(*) over (partition by p.sort_correct, p.sort_accuracy, p.reached_at order by p.rnk)
                + case when (p.sort_correct, p.sort_accuracy, p.reached_at) = (p_correct, p_accuracy, p_reached)
                       then v_tie_base else 0 end,
           'n', p.rnk)
  from page p
  order by p.rnk;
end;
$$;
revoke all on function private.leaderboard_page(uuid, text, integer, integer, integer, timestamptz, integer, uuid, bigint)
  from public, anon, authenticated, service_role;
grant execute on function private.leaderboard_page(uuid, text, integer, integer, integer, timestamptz, integer, uuid, bigint)
  to authenticated;
