-- Purpose: server-side rate limits as SQL, used by RPCs and triggers.
-- Affected: private.rate_limit_calls, private.check_rate_limit().
-- Sliding window, exact under concurrency: a transaction-scoped advisory lock per (user, action)
-- serialises the count-then-insert, and a refused call raises, so its row is rolled back and only
-- successful calls count. The 429 carries Retry-After through PostgREST's `RAISE SQLSTATE 'PGRST'`.

create table private.rate_limit_calls (
  user_id uuid not null,
  action text not null,
  called_at timestamptz not null default clock_timestamp()
);
comment on table private.rate_limit_calls is 'One row per successful rate-limited call, kept for one window. Internal: no API role has any grant.';
create index rate_limit_calls_lookup_idx on private.rate_limit_calls (user_id, action, called_at);
-- RLS on with no policy: nobody but the definer functions below (owner) can touch it.
alter table private.rate_limit_calls enable row level security;
revoke all on table private.rate_limit_calls from public, anon, authenticated, service_role;

create function private.check_rate_limit(p_action text, p_max_calls integer, p_window_seconds integer)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
  v_now timestamptz := clock_timestamp();
  v_window interval := make_interval(secs => p_window_seconds);
  v_count integer;
  v_oldest timestamptz;
  v_retry integer;
begin
  if v_uid is null then
    return; -- anonymous callers are refused by grants before they get here
  end if;
  perform pg_advisory_xact_lock(hashtextextended(v_uid::text || ':' || p_action, 0));
  -- Re-read the clock after the lock: time spent waiting must not widen the window.
  v_now := clock_timestamp();
  delete from private.rate_limit_calls
    where user_id = v_uid and action = p_action and called_at <= v_now - v_window;
  select count(*), min(called_at) into v_count, v_oldest
    from private.rate_limit_calls
    where user_id = v_uid and action = p_action;
  if v_count >= p_max_calls then
    v_retry := greatest(1, ceil(extract(epoch from (v_oldest + v_window - v_now)))::integer);
    raise sqlstate 'PGRST' using
      message = json_build_object(
        'code', 'rate_limited',
        'message', format('Too many %s requests: at most %s every %s seconds.', p_action, p_max_calls, p_window_seconds),
        'details', json_build_object('action', p_action, 'limit', p_max_calls, 'window_seconds', p_window_seconds, 'retry_after_seconds', v_retry)::text,
        'hint', format('Wait %s seconds and try again.', v_retry))::text,
      detail = json_build_object(
        'status', 429,
        'status_text', 'Too Many Requests',
        'headers', json_build_object('Retry-After', v_retry::text))::text;
  end if;
  insert into private.rate_limit_calls (user_id, action, called_at) values (v_uid, p_action, v_now);
end;
$$;
revoke all on function private.check_rate_limit(text, integer, integer) from public, anon, authenticated, service_role;
-- No grant: only definer functions owned by the migrator call it.
