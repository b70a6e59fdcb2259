-- Purpose: images in questions (issue #20) live in Supabase Storage: a private bucket `question-media`
-- whose objects are named `q/<question id>/<file>`, readable by whoever may read the question (every
-- signed-in user once it is published; its author and editors while it is a draft) and added, replaced
-- or removed only by those who may edit it (decision 019). Uploads are images only (JPEG, PNG, WebP) of at
-- most 5 MiB; the browser encodes phone-sized widths before upload (docs/decisions/025-question-images.md).
-- Affected: row storage.buckets 'question-media'; four policies on storage.objects; new function
-- private.question_media_access().
-- Hosted Supabase lets the project's `postgres` role add policies on storage.objects but not alter the
-- table (RLS is already on there), so this migration only inserts a bucket and creates policies.

-- Private (no public URLs): every read goes through the policies below, or a signed URL made by someone
-- they let read. The limits are checked by Storage before any policy: 413 and 415 in the body.
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('question-media', 'question-media', false, 5 * 1024 * 1024, array['image/jpeg', 'image/png', 'image/webp']);

-- May the caller read (p_write false) or change (p_write true) the object `p_name` of question-media?
-- Only names `q/<question id>/<file>` of an existing question, the file a plain name (letters, digits,
-- `.`, `_`, `-`, at most 128): reading follows the question's own rule (published, or the caller may edit
-- it), changing needs private.can_edit_question (the author or the author's editors, instructors only;
-- never the Rounds bank). Definer: a draft's media must be judged by its question even where the caller
-- cannot read the question row; it filters by auth.uid() itself, through can_edit_question.
create function private.question_media_access(p_name text, p_write boolean)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((
    select (not p_write and q.published) or private.can_edit_question(q.created_by)
    from public.questions q
    where q.id = substring(p_name from '^q/([1-9][0-9]{0,17})/[A-Za-z0-9][A-Za-z0-9._-]{0,127}$')::bigint
  ), false);
$$;
revoke all on function private.question_media_access(text, boolean) from public, anon, authenticated, service_role;
grant execute on function private.question_media_access(text, boolean) to authenticated;

-- One policy per operation, signed-in users only: anon has none, so it reads and writes nothing. An upsert
-- (`upload(…, { upsert: true })`, `update()`) needs INSERT, UPDATE and SELECT; `remove()` DELETE and SELECT.
create policy "Question media is readable by who may read the question" on storage.objects
  for select to authenticated
  using (bucket_id = 'question-media' and private.question_media_access(name, false));
create policy "Question media is addable by who may edit the question" on storage.objects
  for insert to authenticated
  with check (bucket_id = 'question-media' and private.question_media_access(name, true));
create policy "Question media is replaceable by who may edit the question" on storage.objects
  for update to authenticated
  using (bucket_id = 'question-media' and private.question_media_access(name, true))
  with check (bucket_id = 'question-media' and private.question_media_access(name, true));
create policy "Question media is removable by who may edit the question" on storage.objects
  for delete to authenticated
  using (bucket_id = 'question-media' and private.question_media_access(name, true));
