-- Purpose: cohort members are students. An instructor cannot join any cohort as a member (their own or a
-- colleague's): membership is what rosters, leaderboards, results exports and item statistics count, and
-- a member can read the cohort's leaderboard. Co-teaching is a separate, later feature.
-- Affected: trigger on public.cohort_members; function private.require_student_member().
-- Enforced on the table, so it holds for join_cohort() whatever it becomes, for the service role and for
-- any future path that inserts memberships. See docs/decisions/019-question-ownership-and-cohort-members.md.

-- Refuses a membership whose user is not a student: 403 instructor_cannot_join, with a message written
-- for the person who typed the code (the join form shows it). Definer: it reads the member's profile,
-- which the inserting role may not be able to read.
create function private.require_student_member()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if exists (select 1 from public.profiles p where p.id = new.user_id and p.role <> 'student') then
    raise sqlstate 'PGRST' using
      message = json_build_object('code', 'instructor_cannot_join',
        'message', 'Instructors cannot join cohorts: cohort members are students.',
        'details', null,
        'hint', 'To teach a class, create a cohort of your own on the Instructor page.')::text,
      detail = json_build_object('status', 403, 'status_text', 'Forbidden', 'headers', json_build_object())::text;
  end if;
  return new;
end;
$$;
revoke all on function private.require_student_member() from public, anon, authenticated, service_role;

create trigger cohort_members_students_only
  before insert on public.cohort_members
  for each row execute function private.require_student_member();
