-- Purpose: a question records its images (issue #20): `questions.media`, a list of at most 10 images, each
-- placed in the stem, the explanation or one choice, with required alt text, an optional caption and
-- credit, its size in pixels and the widths encoded in the browser (objects `q/<question id>/<file>` of
-- the bucket question-media, 20261206150000_question_media.sql). It is saved through update_question with
-- the version check like every other field, so optimistic locking holds for images too.
-- Affected: column public.questions.media (+ check, triggers questions_media_valid_on_insert/_on_update);
-- functions private.question_media_errors(), private.validate_question_media(), public.update_question()
-- (replaced: accepts `media`). See docs/decisions/025-question-images.md.

-- A jsonb list rather than a table: the images are part of the question's content (one version, one
-- 409, one row in the offline bank and in the conflict view), they are few (≤ 10), and the bank read
-- carries them without a join or a second request.
alter table public.questions
  add column media jsonb not null default '[]'::jsonb
  constraint questions_media_is_list check (jsonb_typeof(media) = 'array' and jsonb_array_length(media) <= 10);
comment on column public.questions.media is 'Images of the question: [{id, placement stem|explanation|choice, choice A–E (choice only), position, alt, caption?, credit?, width, height, variants [{w, path q/<id>/…, bytes, type}]}], ≤ 10. Checked by private.question_media_errors().';

-- Problems with a question's media list, as [{"field": "media", "message"}] (empty when valid). p_id is
-- the question's id: every object path must be `q/<p_id>/<file>` (the file as the bucket's policies allow
-- it), so a question can never point at another question's objects.
create function private.question_media_errors(p_id bigint, p_media jsonb)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_errors jsonb := '[]';
  v_item jsonb;
  v_n bigint;
  v_variant jsonb;
  v_m bigint;
  v_prev_w integer;
  v_key text;
  v_problem text;
  v_allowed constant text[] := array['id', 'placement', 'choice', 'position', 'alt', 'caption', 'credit', 'width', 'height', 'variants'];
  v_variant_keys constant text[] := array['w', 'path', 'bytes', 'type'];
  v_path_re text := '^q/' || coalesce(p_id::text, 'x') || '/[A-Za-z0-9][A-Za-z0-9._-]{0,127}$';
  v_int_re constant text := '^[0-9]{1,9}$';
begin
  if p_media is null or jsonb_typeof(p_media) <> 'array' then
    return jsonb_build_array(jsonb_build_object('field', 'media', 'message', 'must be a list of images'));
  end if;
  if jsonb_array_length(p_media) > 10 then
    return jsonb_build_array(jsonb_build_object('field', 'media', 'message',
      format('may hold at most 10 images (got %s)', jsonb_array_length(p_media))));
  end if;
  for v_item, v_n in select e.value, e.ordinality from jsonb_array_elements(p_media) with ordinality e loop
    v_problem := null;
    if jsonb_typeof(v_item) <> 'object' then
      v_problem := 'must be an object';
    else
      select k into v_key from jsonb_object_keys(v_item) k where k <> all (v_allowed) order by k limit 1;
      if v_key is not null then
        v_problem := format('has an unknown key %s', v_key);
      elsif jsonb_typeof(v_item -> 'id') is distinct from 'string'
            or (v_item ->> 'id') !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
        v_problem := 'needs an id (a lowercase UUID)';
      elsif (v_item ->> 'placement') is null or (v_item ->> 'placement') not in ('stem', 'explanation', 'choice')
            or jsonb_typeof(v_item -> 'placement') <> 'string' then
        v_problem := 'placement must be stem, explanation or choice';
      elsif (v_item ->> 'placement') = 'choice'
            and (jsonb_typeof(v_item -> 'choice') is distinct from 'string' or (v_item ->> 'choice') not in ('A', 'B', 'C', 'D', 'E')) then
        v_problem := 'an image in a choice needs choice A, B, C, D or E';
      elsif (v_item ->> 'placement') <> 'choice' and jsonb_typeof(v_item -> 'choice') is distinct from 'null' and v_item ? 'choice' then
        v_problem := 'only an image in a choice has a choice letter';
      elsif jsonb_typeof(v_item -> 'position') is distinct from 'number' or (v_item ->> 'position') !~ '^[0-9]$' then
        v_problem := 'position must be a whole number from 0 to 9';
      elsif jsonb_typeof(v_item -> 'alt') is distinct from 'string' or length(btrim(v_item ->> 'alt')) not between 1 and 300 then
        v_problem := 'alt text is required (1 to 300 characters)';
      elsif v_item ? 'caption' and jsonb_typeof(v_item -> 'caption') <> 'null'
            and (jsonb_typeof(v_item -> 'caption') <> 'string' or length(btrim(v_item ->> 'caption')) not between 1 and 300) then
        v_problem := 'the caption must be text of 1 to 300 characters';
      elsif v_item ? 'credit' and jsonb_typeof(v_item -> 'credit') <> 'null'
            and (jsonb_typeof(v_item -> 'credit') <> 'string' or length(btrim(v_item ->> 'credit')) not between 1 and 300) then
        v_problem := 'the credit must be text of 1 to 300 characters';
      elsif jsonb_typeof(v_item -> 'width') is distinct from 'number' or (v_item ->> 'width') !~ v_int_re
            or (v_item ->> 'width')::integer not between 1 and 20000
            or jsonb_typeof(v_item -> 'height') is distinct from 'number' or (v_item ->> 'height') !~ v_int_re
            or (v_item ->> 'height')::integer not between 1 and 20000 then
        v_problem := 'width and height must be whole numbers of pixels from 1 to 20000';
      elsif jsonb_typeof(v_item -> 'variants') is distinct from 'array' or jsonb_array_length(v_item -> 'variants') not between 1 and 3 then
        v_problem := 'needs 1 to 3 encoded widths (variants)';
      else
        v_prev_w := 0;
        for v_variant, v_m in select e.value, e.ordinality from jsonb_array_elements(v_item -> 'variants') with ordinality e loop
          if jsonb_typeof(v_variant) <> 'object'
             or exists (select 1 from jsonb_object_keys(v_variant) k where k <> all (v_variant_keys)) then
            v_problem := format('variant %s must be {w, path, bytes, type}', v_m);
          elsif jsonb_typeof(v_variant -> 'w') is distinct from 'number' or (v_variant ->> 'w') !~ v_int_re
                or (v_variant ->> 'w')::integer not between 1 and 1600
                or (v_variant ->> 'w')::integer > (v_item ->> 'width')::integer
                or (v_variant ->> 'w')::integer <= v_prev_w then
            v_problem := format('variant %s: w must be 1 to 1600 pixels, at most the image''s width, widths in increasing order', v_m);
          elsif jsonb_typeof(v_variant -> 'path') is distinct from 'string' or (v_variant ->> 'path') !~ v_path_re then
            v_problem := format('variant %s: path must be q/%s/<file> in the question''s own folder', v_m, p_id);
          elsif jsonb_typeof(v_variant -> 'bytes') is distinct from 'number' or (v_variant ->> 'bytes') !~ v_int_re
                or (v_variant ->> 'bytes')::integer not between 1 and 5242880 then
            v_problem := format('variant %s: bytes must be 1 to 5242880', v_m);
          elsif jsonb_typeof(v_variant -> 'type') is distinct from 'string'
                or (v_variant ->> 'type') not in ('image/webp', 'image/jpeg', 'image/png') then
            v_problem := format('variant %s: type must be image/webp, image/jpeg or image/png', v_m);
          end if;
          exit when v_problem is not null;
          v_prev_w := (v_variant ->> 'w')::integer;
        end loop;
      end if;
    end if;
    if v_problem is not null then
      v_errors := v_errors || jsonb_build_object('field', 'media', 'message', format('image %s: %s', v_n, v_problem));
    end if;
  end loop;
  if jsonb_array_length(v_errors) = 0 then
    if (select count(distinct e ->> 'id') from jsonb_array_elements(p_media) e) <> jsonb_array_length(p_media) then
      v_errors := v_errors || jsonb_build_object('field', 'media', 'message', 'two images have the same id');
    elsif (select count(distinct (e ->> 'placement', e ->> 'choice', e ->> 'position')) from jsonb_array_elements(p_media) e)
          <> jsonb_array_length(p_media) then
      v_errors := v_errors || jsonb_build_object('field', 'media', 'message', 'two images have the same place and position');
    elsif (select count(distinct v ->> 'path') from jsonb_array_elements(p_media) e, jsonb_array_elements(e -> 'variants') v)
          <> (select count(*) from jsonb_array_elements(p_media) e, jsonb_array_elements(e -> 'variants') v) then
      v_errors := v_errors || jsonb_build_object('field', 'media', 'message', 'two variants have the same path');
    end if;
  end if;
  return v_errors;
end;
$$;
revoke all on function private.question_media_errors(bigint, jsonb) from public, anon, authenticated, service_role;
grant execute on function private.question_media_errors(bigint, jsonb) to authenticated, service_role;

-- The fence for every path that writes the column (update_question, a direct PATCH, the service role):
-- a bad list is 400 22023 and nothing is written. update_question checks first and answers with the
-- field report instead; this trigger is what holds if another path is ever granted.
create function private.validate_question_media()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_errors jsonb := private.question_media_errors(new.id, new.media);
begin
  if jsonb_array_length(v_errors) > 0 then
    raise exception 'media %', (select string_agg(x ->> 'message', '; ') from jsonb_array_elements(v_errors) x)
      using errcode = '22023';
  end if;
  return new;
end;
$$;
revoke all on function private.validate_question_media() from public, anon, authenticated, service_role;

create trigger questions_media_valid_on_insert
  before insert on public.questions
  for each row when (new.media <> '[]'::jsonb) execute function private.validate_question_media();
create trigger questions_media_valid_on_update
  before update on public.questions
  for each row when (old.media is distinct from new.media) execute function private.validate_question_media();

-- Images are attached after a question exists (its id names their folder), through update_question:
-- UPDATE only, never INSERT. The guard trigger (questions_guard_editor) and the update policy already
-- limit who may change the row; students hold no update path at all.
grant update (media) on public.questions to authenticated;

-- update_question(id, expected version, changes) → the saved row (version + 1). As before, plus `media`
-- (the whole list; replaces the stored one). Answers: 400 invalid_question with [{field, message}] in
-- details (media problems under field "media"), 409 version_conflict, 404, 403 — nothing written on any.
-- Invoker: instructors may update questions under RLS and the column grants.
create or replace function public.update_question(p_id bigint, p_expected_version integer, p_changes jsonb)
returns public.questions
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_errors jsonb;
  v_row public.questions%rowtype;
begin
  perform private.lock_question_for_edit(p_id, p_expected_version);
  if p_changes is null or jsonb_typeof(p_changes) <> 'object' or p_changes = '{}' then
    raise exception 'p_changes must be an object with at least one field to change.' using errcode = '22023';
  end if;
  v_errors := private.question_field_errors(p_changes - 'media', true);
  if p_changes ? 'media' then
    v_errors := v_errors || private.question_media_errors(p_id, p_changes -> 'media');
  end if;
  if jsonb_array_length(v_errors) > 0 then
    raise sqlstate 'PGRST' using
      message = json_build_object('code', 'invalid_question',
        'message', (select string_agg(coalesce(x ->> 'field', 'changes') || ' ' || (x ->> 'message'), '; ')
                    from jsonb_array_elements(v_errors) x) || '.',
        'details', v_errors::text, 'hint', null)::text,
      detail = json_build_object('status', 400, 'status_text', 'Bad Request', 'headers', json_build_object())::text;
  end if;
  update public.questions q set
    stem = case when p_changes ? 'stem' then btrim(p_changes ->> 'stem') else q.stem end,
    choices = case when p_changes ? 'choices'
                   then array(select btrim(c) from jsonb_array_elements_text(p_changes -> 'choices') with ordinality t(c, i) order by i)
                   else q.choices end,
    correct_choice = case when p_changes ? 'correct_choice' then p_changes ->> 'correct_choice' else q.correct_choice end,
    explanation = case when p_changes ? 'explanation' then btrim(p_changes ->> 'explanation') else q.explanation end,
    organ_system = case when p_changes ? 'organ_system' then p_changes ->> 'organ_system' else q.organ_system end,
    discipline = case when p_changes ? 'discipline' then p_changes ->> 'discipline' else q.discipline end,
    difficulty = case when p_changes ? 'difficulty' then (p_changes ->> 'difficulty')::smallint else q.difficulty end,
    tags = case when p_changes ? 'tags'
                then coalesce(array(select btrim(t) from jsonb_array_elements_text(p_changes -> 'tags') with ordinality x(t, i) order by i), '{}')
                else q.tags end,
    media = case when p_changes ? 'media' then p_changes -> 'media' else q.media end
  where q.id = p_id
  returning q.* into v_row;
  return v_row;
end;
$$;
revoke all on function public.update_question(bigint, integer, jsonb) from public, anon, authenticated, service_role;
grant execute on function public.update_question(bigint, integer, jsonb) to authenticated;
