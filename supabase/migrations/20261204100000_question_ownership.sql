-- Purpose: a question belongs to its author. Only the author, or instructors the author names as editors,
-- change it (update_question, set_question_published, a direct PATCH); drafts are readable only by them.
-- The seeded bank (created_by null, "the Rounds bank") is changed by nobody through the API but the
-- service role.
-- Affected: table public.question_editors; policies and a trigger on public.questions; functions
-- private.editable_question_owner_ids(), private.can_edit_question(), private.require_question_editor(),
-- private.guard_question_edit(), private.lock_question_for_edit() (replaced), private.is_instructor_id(),
-- private.instructor_by_email(),
-- private.my_question_editors(), private.question_authors(), public.add_question_editor(),
-- public.get_question_editors(), public.get_question_authors().
-- See docs/decisions/019-question-ownership-and-cohort-members.md.

-- An author names colleagues who may edit ALL of the author's questions (not one question at a time):
-- teaching teams share a bank, and one list per author is what an author can keep right.
create table public.question_editors (
  owner_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  editor_id uuid not null references public.profiles (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (owner_id, editor_id),
  constraint question_editors_not_self check (owner_id <> editor_id)
);
comment on table public.question_editors is 'Instructors an author lets edit all of the author''s questions. Added by add_question_editor() (by email), removed by a plain delete.';
-- The primary key serves owner_id; editor_id is what the editor's own policy and the edit check filter on.
create index question_editors_editor_id_idx on public.question_editors (editor_id);
alter table public.question_editors enable row level security;
revoke all on table public.question_editors from public, anon, authenticated, service_role;

-- Authors who named the caller an editor. Definer: the questions policies ask it, and it must not depend
-- on what the caller's RLS shows of question_editors.
create function private.editable_question_owner_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select e.owner_id from public.question_editors e where e.editor_id = (select auth.uid());
$$;
revoke all on function private.editable_question_owner_ids() from public, anon, authenticated, service_role;
grant execute on function private.editable_question_owner_ids() to authenticated;

-- May the caller change a question whose author is p_created_by? Only an instructor who is the author or
-- one of the author's editors; never a question without an author (the Rounds bank).
create function private.can_edit_question(p_created_by uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select p_created_by is not null
    and (select private.is_instructor())
    and (p_created_by = (select auth.uid())
         or exists (select 1 from public.question_editors e
                    where e.owner_id = p_created_by and e.editor_id = (select auth.uid())));
$$;
revoke all on function private.can_edit_question(uuid) from public, anon, authenticated, service_role;
grant execute on function private.can_edit_question(uuid) to authenticated;

-- The one refusal every edit path gives: 403 not_question_editor, with a hint that says who to ask.
create function private.require_question_editor(p_created_by uuid)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if not private.can_edit_question(p_created_by) then
    raise sqlstate 'PGRST' using
      message = json_build_object('code', 'not_question_editor',
        'message', 'Only the question''s author or its editors can change it.',
        'details', null,
        'hint', case when p_created_by is null
                     then 'This question is part of the Rounds bank, which only the Rounds team changes.'
                     else 'Ask its author to add you as an editor.' end)::text,
      detail = json_build_object('status', 403, 'status_text', 'Forbidden', 'headers', json_build_object())::text;
  end if;
end;
$$;
revoke all on function private.require_question_editor(uuid) from public, anon, authenticated, service_role;
grant execute on function private.require_question_editor(uuid) to authenticated;

-- Every UPDATE through the API by a signed-in user, whatever the path (the RPCs or a direct PATCH), is
-- refused with the 403 above unless the caller may edit the question. The service role (which maintains
-- the Rounds bank) and definer helpers (owner) pass. created_by cannot change (questions_guard_immutable),
-- so checking the old row's author is checking the new one's.
create function private.guard_question_edit()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user in ('anon', 'authenticated') then
    perform private.require_question_editor(old.created_by);
  end if;
  return new;
end;
$$;
revoke all on function private.guard_question_edit() from public, anon, authenticated, service_role;

create trigger questions_guard_editor
  before update on public.questions
  for each row execute function private.guard_question_edit();

-- Drafts are work in progress: only the people who may finish them read them. Published questions stay
-- readable by every signed-in user (students need the keys offline, decision 002).
drop policy "Published questions are readable by signed-in users; drafts by instructors" on public.questions;
create policy "Published questions are readable by signed-in users; drafts by their author and editors"
  on public.questions for select to authenticated
  using (
    published
    or ((select private.is_instructor())
        and (created_by = (select auth.uid()) or created_by in (select private.editable_question_owner_ids())))
  );

-- USING lets an instructor's UPDATE reach any question they can read, so that changing someone else's
-- published question is refused out loud (403 from questions_guard_editor) instead of silently matching
-- no row; WITH CHECK is the fence that holds even without the trigger.
drop policy "Instructors can edit questions" on public.questions;
create policy "Questions are editable by their author and the author's editors"
  on public.questions for update to authenticated
  using ((select private.is_instructor()))
  with check (
    (select private.is_instructor())
    and (created_by = (select auth.uid()) or created_by in (select private.editable_question_owner_ids()))
  );

-- Locks the question for an edit: 404 if the caller cannot see it, 403 if they may not change it (before
-- the version check, so a refused caller never gets a 409 with the row), 409 with the current row if
-- someone saved in between. Invoker, as before.
create or replace function private.lock_question_for_edit(p_id bigint, p_expected_version integer)
returns void
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_current public.questions%rowtype;
begin
  if (select auth.uid()) is null or not (select private.is_instructor()) then
    raise exception 'Only instructors can edit questions.' using errcode = '42501';
  end if;
  if p_id is null or p_expected_version is null then
    raise exception 'p_id and p_expected_version are required.' using errcode = '22023';
  end if;
  select * into v_current from public.questions q where q.id = p_id;
  if not found then
    raise sqlstate 'PGRST' using
      message = json_build_object('code', 'question_not_found',
        'message', format('Question %s does not exist.', p_id), 'details', null, 'hint', null)::text,
      detail = json_build_object('status', 404, 'status_text', 'Not Found', 'headers', json_build_object())::text;
  end if;
  -- The author never changes, so the check holds for the row locked next.
  perform private.require_question_editor(v_current.created_by);
  select * into v_current from public.questions q where q.id = p_id for update;
  if v_current.version <> p_expected_version then
    raise sqlstate 'PGRST' using
      message = json_build_object('code', 'version_conflict',
        'message', format('Question %s was changed by someone else since you opened it (you edited version %s; it is now version %s).',
                          p_id, p_expected_version, v_current.version),
        'details', to_jsonb(v_current)::text,
        'hint', 'Review the current version (in details), then apply your changes to it.')::text,
      detail = json_build_object('status', 409, 'status_text', 'Conflict', 'headers', json_build_object())::text;
  end if;
end;
$$;
revoke all on function private.lock_question_for_edit(bigint, integer) from public, anon, authenticated, service_role;
grant execute on function private.lock_question_for_edit(bigint, integer) to authenticated;

-- Is p_id an instructor? Definer: instructors cannot read other profiles.
create function private.is_instructor_id(p_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (select 1 from public.profiles p where p.id = p_id and p.role = 'instructor');
$$;
revoke all on function private.is_instructor_id(uuid) from public, anon, authenticated, service_role;
grant execute on function private.is_instructor_id(uuid) to authenticated;

-- question_editors: the author manages the list; an editor sees the rows that name them. No UPDATE: a
-- row is added or removed, never changed.
create policy "Question editors are readable by the author and the editor"
  on public.question_editors for select to authenticated
  using (owner_id = (select auth.uid()) or editor_id = (select auth.uid()));

-- Only instructors name editors, only for themselves, and only instructors can be named (a student is
-- never an editor). Naming oneself is refused by question_editors_not_self.
create policy "Instructors can name other instructors as editors of their questions"
  on public.question_editors for insert to authenticated
  with check (
    owner_id = (select auth.uid())
    and (select private.is_instructor())
    and private.is_instructor_id(editor_id)
  );

create policy "Question editors are removable by the author"
  on public.question_editors for delete to authenticated
  using (owner_id = (select auth.uid()));

-- Rows are never updated through the API (no grant); the guard keeps it so if a grant ever appears.
create trigger question_editors_guard_immutable
  before update on public.question_editors
  for each row execute function private.guard_immutable_columns(
    'anon,authenticated,service_role', 'owner_id', 'editor_id', 'created_at');
create trigger question_editors_server_columns
  before insert on public.question_editors
  for each row execute function private.set_server_columns_on_insert();

grant select, delete on public.question_editors to authenticated;
grant insert (owner_id, editor_id) on public.question_editors to authenticated;
grant select, insert, delete on public.question_editors to service_role;

-- The instructor with this email, as {id, display_name}, or null. Rate limited (10 a minute per caller,
-- counted whether or not an instructor is found): it tells whether an address belongs to an instructor,
-- so it must not be a free probe. Students and unknown addresses look the same. Definer: reads
-- auth.users and other people's profiles, which no API role can.
create function private.instructor_by_email(p_email text)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_found jsonb;
begin
  if not (select private.is_instructor()) then
    raise exception 'Only instructors can name editors.' using errcode = '42501';
  end if;
  perform private.check_rate_limit('add_question_editor', 10, 60);
  select jsonb_build_object('id', p.id, 'display_name', p.display_name) into v_found
  from auth.users u
  join public.profiles p on p.id = u.id
  where lower(u.email) = lower(btrim(p_email)) and p.role = 'instructor'
  limit 1;
  return v_found;
end;
$$;
revoke all on function private.instructor_by_email(text) from public, anon, authenticated, service_role;
grant execute on function private.instructor_by_email(text) to authenticated;

-- add_question_editor(email) → {editor_id, display_name}: names the instructor with this email an editor
-- of all of the caller's questions. Idempotent. Answers (all 4xx, nothing written):
--   400 editor_not_found  no instructor has this email (students included: an editor is an instructor)
--   400 22023             not an email, or the caller's own
--   403 42501             the caller is not an instructor
--   429 rate_limited      more than 10 look-ups a minute
-- Invoker: the insert goes through the question_editors policies; only the look-up is privileged.
create function public.add_question_editor(p_email text)
returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
  v_email text := lower(btrim(coalesce(p_email, '')));
  v_editor jsonb;
begin
  if v_uid is null or not (select private.is_instructor()) then
    raise exception 'Only instructors can name editors.' using errcode = '42501';
  end if;
  if v_email !~ '^[^@\s]+@[^@\s]+$' or length(v_email) > 320 then
    raise exception 'Enter the email address of an instructor.' using errcode = '22023';
  end if;
  v_editor := private.instructor_by_email(v_email);
  if v_editor is null then
    -- Answer 400 WITHOUT raising: raising would roll back the rate-limit row, and misses are exactly
    -- what the limit must count (as join_cohort does with a wrong code).
    perform set_config('response.status', '400', true);
    return jsonb_build_object(
      'code', 'editor_not_found',
      'message', format('No instructor has the email %s.', v_email),
      'details', null,
      'hint', 'An editor must already have an instructor account on Rounds.');
  end if;
  if (v_editor ->> 'id')::uuid = v_uid then
    raise exception 'That is your own email: you can always edit your own questions.' using errcode = '22023';
  end if;
  insert into public.question_editors (owner_id, editor_id) values (v_uid, (v_editor ->> 'id')::uuid)
  on conflict do nothing;
  return jsonb_build_object('editor_id', v_editor ->> 'id', 'display_name', v_editor ->> 'display_name');
end;
$$;
revoke all on function public.add_question_editor(text) from public, anon, authenticated, service_role;
grant execute on function public.add_question_editor(text) to authenticated;

-- The caller's editors with their names, oldest first. Definer: names live in profiles the caller
-- cannot read; it shows only rows where the caller is the author.
create function private.my_question_editors()
returns table (editor_id uuid, display_name text, added_at timestamptz)
language sql
stable
security definer
set search_path = ''
as $$
  select e.editor_id, p.display_name, e.created_at
  from public.question_editors e
  join public.profiles p on p.id = e.editor_id
  where e.owner_id = (select auth.uid())
  order by e.created_at, e.editor_id;
$$;
revoke all on function private.my_question_editors() from public, anon, authenticated, service_role;
grant execute on function private.my_question_editors() to authenticated;

-- get_question_editors() → [{editor_id, display_name, added_at}]: who may edit the caller's questions.
-- Removing one is a plain DELETE on question_editors (the author's policy).
create function public.get_question_editors()
returns table (editor_id uuid, display_name text, added_at timestamptz)
language sql
stable
security invoker
set search_path = ''
as $$
  select m.editor_id, m.display_name, m.added_at from private.my_question_editors() m;
$$;
revoke all on function public.get_question_editors() from public, anon, authenticated, service_role;
grant execute on function public.get_question_editors() to authenticated;

-- Authors of the questions the caller can read, with their names and whether the caller may edit their
-- questions: the caller, authors of published questions, and authors who named the caller. Definer:
-- names live in profiles instructors cannot read; the author set repeats the questions select policy so
-- it names nobody whose questions the caller cannot see. Instructors only.
create function private.question_authors()
returns table (author_id uuid, display_name text, can_edit boolean, is_me boolean)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if not (select private.is_instructor()) then
    raise exception 'Only instructors can see question authors.' using errcode = '42501';
  end if;
  return query
    select p.id, p.display_name, private.can_edit_question(p.id), p.id = (select auth.uid())
    from public.profiles p
    where p.id in (
      select distinct q.created_by from public.questions q where q.published and q.created_by is not null
      union
      select (select auth.uid())
      union
      select o from private.editable_question_owner_ids() o)
    order by p.display_name, p.id;
end;
$$;
revoke all on function private.question_authors() from public, anon, authenticated, service_role;
grant execute on function private.question_authors() to authenticated;

-- get_question_authors() → [{author_id, display_name, can_edit, is_me}]: for the question list and
-- editor ("By Dr X", read-only). A question with no author is the Rounds bank, read-only to everyone.
create function public.get_question_authors()
returns table (author_id uuid, display_name text, can_edit boolean, is_me boolean)
language sql
stable
security invoker
set search_path = ''
as $$
  select a.author_id, a.display_name, a.can_edit, a.is_me from private.question_authors() a;
$$;
revoke all on function public.get_question_authors() from public, anon, authenticated, service_role;
grant execute on function public.get_question_authors() to authenticated;
