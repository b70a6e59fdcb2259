-- Purpose: find orphaned objects of the bucket question-media (docs/decisions/025-question-images.md,
-- "Removing objects, and orphans"): objects that no question's `media` names as a variant path — uploads
-- of an edit abandoned without saving, removals that failed, every object of a deleted question, and any
-- object outside `q/<id>/…` — once older than a minimum age, so an editor's upload that is not saved yet is
-- never taken. scripts/sweep-media.ts (`npm run sweep:media`) pages through them and removes them through
-- the Storage API (deleting storage.objects rows in SQL would leave the files on hosted Supabase).
-- Affected: new function public.question_media_orphans(interval, integer, text), executable by
-- service_role only.

-- question_media_orphans(min age, limit, after) → up to `p_limit` (1–1000, the API's max rows) object
-- names of question-media, in name order after `p_after` (a keyset cursor: the last name of the previous
-- page; null for the first), each created more than `p_min_age` (≥ 0, default 24 hours) ago and named by no
-- question's media. Read only: it removes nothing.
-- Invoker, for the service role alone: service_role may read storage.objects and public.questions and
-- bypasses RLS, so it sees every object and question; anon and authenticated may not execute it at all
-- (the names of other instructors' drafts' objects are not theirs to list).
-- One set-based statement whose cost follows the objects walked, not the size of the bank: the objects are
-- walked in the order of Storage's (bucket_id, name) index, each object's question is found by its primary
-- key from the name (`q/<id>/<file>`; private.question_media_errors confines every media path to its own
-- question's folder, so no other question can name it), and the name is looked up in that one question's
-- media with a jsonpath. A page costs its orphans plus the named objects between them. Measured on Postgres
-- (2 cores, shared) with 50,000 questions of three widths each and 16,000 orphans (166,000 objects): the
-- whole bucket in 17 pages of 1,000 in 2–4 s; a page that had to walk all 150,000 named objects first took
-- 1.3 s (about 9 µs an object, under the API's 8 s statement timeout). The first page (16,000 objects
-- walked) took 0.2 s this way, 0.5–0.6 s with jsonb containment (`@>`) instead of the jsonpath, and 5–10 s
-- as one hash anti-join against every media path extracted from every question.
create function public.question_media_orphans(
  p_min_age interval default interval '24 hours',
  p_limit integer default 1000,
  p_after text default null
)
returns setof text
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  if p_min_age is null or p_min_age < interval '0' then
    raise exception 'p_min_age must be an interval of zero or more (e.g. 24 hours).' using errcode = '22023';
  end if;
  if p_limit is null or p_limit not between 1 and 1000 then
    raise exception 'p_limit must be from 1 to 1000.' using errcode = '22023';
  end if;
  return query
    select o.name
    from storage.objects o
    left join public.questions q
      on q.id = substring(o.name from '^q/([0-9]{1,18})/')::bigint
    where o.bucket_id = 'question-media'
      and (p_after is null or o.name > p_after)
      and o.created_at < pg_catalog.now() - p_min_age
      and not coalesce(
        pg_catalog.jsonb_path_exists(q.media, '$[*].variants[*] ? (@.path == $name)', pg_catalog.jsonb_build_object('name', o.name)),
        false)
    order by o.name
    limit p_limit;
end;
$$;
revoke all on function public.question_media_orphans(interval, integer, text) from public, anon, authenticated, service_role;
grant execute on function public.question_media_orphans(interval, integer, text) to service_role;
