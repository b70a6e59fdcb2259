-- Purpose: question authoring for instructors: edits and publishing with optimistic locking, bulk
-- import with all-or-nothing validation, and the per-field validation they share.
-- Affected: functions private.question_field_errors(), private.lock_question_for_edit(),
-- public.update_question(), public.set_question_published(), public.import_questions().
--
-- Errors the editor branches on use PostgREST's custom RAISE (SQLSTATE 'PGRST') so they can carry a
-- machine-readable payload: PostgREST only passes `details` through as a string, so the payload is
-- JSON text in `details` (the client JSON.parses it):
--   409 version_conflict  details = the CURRENT row (what the other editor saved)
--   404 question_not_found
--   400 invalid_question  details = [{"field", "message"}]           (update_question)
--   400 invalid_rows      details = [{"row", "field", "message"}]    (import_questions, rows from 1)

-- Taxonomy lists. They repeat the check constraints on public.questions (which stay the authority);
-- a change there needs a change here, in a migration that replaces this function.
create function private.question_taxonomy()
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select jsonb_build_object(
    'organ_system', jsonb_build_array(
      'cardiovascular', 'respiratory', 'renal', 'gastrointestinal', 'endocrine', 'reproductive',
      'musculoskeletal', 'nervous', 'hematology_oncology', 'skin', 'psychiatry', 'immune', 'multisystem'),
    'discipline', jsonb_build_array(
      'anatomy', 'physiology', 'biochemistry', 'pathology', 'pharmacology', 'microbiology',
      'immunology', 'genetics', 'behavioral_science'));
$$;
revoke all on function private.question_taxonomy() from public, anon, authenticated, service_role;
grant execute on function private.question_taxonomy() to authenticated;

-- Field errors of one question object, as [{"field", "message"}] (empty when valid). Mirrors the table's
-- checks so users get a sentence instead of a constraint name. p_partial: only the keys present are
-- checked (an edit); otherwise stem, choices, correct_choice, explanation, organ_system and discipline
-- are required and difficulty/tags are optional (an import row).
create function private.question_field_errors(p_row jsonb, p_partial boolean)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_errors jsonb := '[]';
  v_tax jsonb := private.question_taxonomy();
  v_key text;
  v_len integer;
  v_allowed constant text[] := array['stem', 'choices', 'correct_choice', 'explanation', 'organ_system', 'discipline', 'difficulty', 'tags'];
  v_required constant text[] := array['stem', 'choices', 'correct_choice', 'explanation', 'organ_system', 'discipline'];
begin
  if p_row is null or jsonb_typeof(p_row) <> 'object' then
    return jsonb_build_array(jsonb_build_object('field', null, 'message', 'must be a JSON object'));
  end if;
  for v_key in select k from jsonb_object_keys(p_row) k order by k loop
    if v_key <> all (v_allowed) then
      v_errors := v_errors || jsonb_build_object('field', v_key, 'message',
        format('is not an editable field (allowed: %s)', array_to_string(v_allowed, ', ')));
    end if;
  end loop;
  if not p_partial then
    foreach v_key in array v_required loop
      if not (p_row ? v_key) or jsonb_typeof(p_row -> v_key) = 'null' then
        v_errors := v_errors || jsonb_build_object('field', v_key, 'message', 'is required');
      end if;
    end loop;
  end if;

  if p_row ? 'stem' and jsonb_typeof(p_row -> 'stem') <> 'null' then
    if jsonb_typeof(p_row -> 'stem') <> 'string' then
      v_errors := v_errors || jsonb_build_object('field', 'stem', 'message', 'must be text');
    elsif length(btrim(p_row ->> 'stem')) not between 20 and 6000 then
      v_errors := v_errors || jsonb_build_object('field', 'stem', 'message',
        format('must be 20 to 6000 characters (got %s)', length(btrim(p_row ->> 'stem'))));
    end if;
  elsif p_partial and p_row ? 'stem' then
    v_errors := v_errors || jsonb_build_object('field', 'stem', 'message', 'cannot be empty');
  end if;

  if p_row ? 'choices' and jsonb_typeof(p_row -> 'choices') <> 'null' then
    if jsonb_typeof(p_row -> 'choices') <> 'array' or jsonb_array_length(p_row -> 'choices') <> 5 then
      v_errors := v_errors || jsonb_build_object('field', 'choices', 'message', 'must be a list of exactly 5 choices (A to E)');
    elsif exists (select 1 from jsonb_array_elements(p_row -> 'choices') c
                  where jsonb_typeof(c) <> 'string' or length(btrim(c #>> '{}')) not between 1 and 1000) then
      v_errors := v_errors || jsonb_build_object('field', 'choices', 'message', 'each choice must be text of 1 to 1000 characters');
    end if;
  elsif p_partial and p_row ? 'choices' then
    v_errors := v_errors || jsonb_build_object('field', 'choices', 'message', 'cannot be empty');
  end if;

  if p_row ? 'correct_choice' and jsonb_typeof(p_row -> 'correct_choice') <> 'null' then
    if jsonb_typeof(p_row -> 'correct_choice') <> 'string' or (p_row ->> 'correct_choice') not in ('A', 'B', 'C', 'D', 'E') then
      v_errors := v_errors || jsonb_build_object('field', 'correct_choice', 'message', 'must be one of A, B, C, D, E');
    end if;
  elsif p_partial and p_row ? 'correct_choice' then
    v_errors := v_errors || jsonb_build_object('field', 'correct_choice', 'message', 'cannot be empty');
  end if;

  if p_row ? 'explanation' and jsonb_typeof(p_row -> 'explanation') <> 'null' then
    if jsonb_typeof(p_row -> 'explanation') <> 'string' or length(btrim(p_row ->> 'explanation')) not between 1 and 10000 then
      v_errors := v_errors || jsonb_build_object('field', 'explanation', 'message', 'must be text of 1 to 10000 characters');
    end if;
  elsif p_partial and p_row ? 'explanation' then
    v_errors := v_errors || jsonb_build_object('field', 'explanation', 'message', 'cannot be empty');
  end if;

  foreach v_key in array array['organ_system', 'discipline'] loop
    if p_row ? v_key and jsonb_typeof(p_row -> v_key) <> 'null' then
      if jsonb_typeof(p_row -> v_key) <> 'string' or not (v_tax -> v_key) ? (p_row ->> v_key) then
        v_errors := v_errors || jsonb_build_object('field', v_key, 'message', format('must be one of %s',
          (select string_agg(x, ', ') from jsonb_array_elements_text(v_tax -> v_key) x)));
      end if;
    elsif p_partial and p_row ? v_key then
      v_errors := v_errors || jsonb_build_object('field', v_key, 'message', 'cannot be empty');
    end if;
  end loop;

  if p_row ? 'difficulty' and jsonb_typeof(p_row -> 'difficulty') <> 'null' then
    if jsonb_typeof(p_row -> 'difficulty') <> 'number' or (p_row ->> 'difficulty') not in ('1', '2', '3', '4', '5') then
      v_errors := v_errors || jsonb_build_object('field', 'difficulty', 'message', 'must be a whole number from 1 to 5');
    end if;
  elsif p_partial and p_row ? 'difficulty' then
    v_errors := v_errors || jsonb_build_object('field', 'difficulty', 'message', 'cannot be empty');
  end if;

  if p_row ? 'tags' and jsonb_typeof(p_row -> 'tags') <> 'null' then
    if jsonb_typeof(p_row -> 'tags') <> 'array' or jsonb_array_length(p_row -> 'tags') > 20 then
      v_errors := v_errors || jsonb_build_object('field', 'tags', 'message', 'must be a list of at most 20 tags');
    elsif exists (select 1 from jsonb_array_elements(p_row -> 'tags') t
                  where jsonb_typeof(t) <> 'string' or length(btrim(t #>> '{}')) not between 1 and 50) then
      v_errors := v_errors || jsonb_build_object('field', 'tags', 'message', 'each tag must be text of 1 to 50 characters');
    end if;
  end if;
  return v_errors;
end;
$$;
revoke all on function private.question_field_errors(jsonb, boolean) from public, anon, authenticated, service_role;
grant execute on function private.question_field_errors(jsonb, boolean) to authenticated;

-- Locks the question for an edit and checks the version the editor started from: 404 if it does not
-- exist, 409 with the current row if someone saved in between. Invoker: runs as the calling instructor
-- (the caller of update_question/set_question_published), whose RLS lets them read and update questions.
create function private.lock_question_for_edit(p_id bigint, p_expected_version integer)
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
  select * into v_current from public.questions q where q.id = p_id for update;
  if not found then
    raise sqlstate 'PGRST' using
      message = json_build_object('code', 'question_not_found',
        'message', format('Question %s does not exist.', p_id), 'details', null, 'hint', null)::text,
      detail = json_build_object('status', 404, 'status_text', 'Not Found', 'headers', json_build_object())::text;
  end if;
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

-- update_question(id, expected version, changes) → the saved row (version + 1).
-- p_changes: any of stem, choices, correct_choice, explanation, organ_system, discipline, difficulty,
-- tags. Publishing is set_question_published (a separate, deliberate act).
-- Invoker: instructors may update questions under RLS and the column grants.
create function public.update_question(p_id bigint, p_expected_version integer, p_changes jsonb)
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
  v_errors := private.question_field_errors(p_changes, true);
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
                else q.tags end
  where q.id = p_id
  returning q.* into v_row;
  return v_row;
end;
$$;
revoke all on function public.update_question(bigint, integer, jsonb) from public, anon, authenticated, service_role;
grant execute on function public.update_question(bigint, integer, jsonb) to authenticated;

-- set_question_published(id, expected version, published) → the saved row. Same locking as edits, so an
-- instructor never publishes a version they have not seen. Invoker, as update_question.
create function public.set_question_published(p_id bigint, p_expected_version integer, p_published boolean)
returns public.questions
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_row public.questions%rowtype;
begin
  perform private.lock_question_for_edit(p_id, p_expected_version);
  if p_published is null then
    raise exception 'p_published must be true or false.' using errcode = '22023';
  end if;
  update public.questions q set published = p_published where q.id = p_id returning q.* into v_row;
  return v_row;
end;
$$;
revoke all on function public.set_question_published(bigint, integer, boolean) from public, anon, authenticated, service_role;
grant execute on function public.set_question_published(bigint, integer, boolean) to authenticated;

-- import_questions(rows, defaults, publish) → the new ids, in row order.
--   p_rows: 1–500 question objects (the client parses CSV or Aiken into these).
--   p_defaults: fields applied to every row that lacks them (Aiken has no explanation or taxonomy, so
--     the import screen asks once and passes e.g. {"explanation": "…", "organ_system": "…"}).
--   p_publish: publish the new questions at once (default: drafts).
-- All or nothing: every row is validated first; if any is invalid nothing is written and the answer is
-- 400 invalid_rows with every problem as {row (1-based), field, message} in details.
-- Invoker: instructors may insert questions under RLS (created_by defaults to the caller).
create function public.import_questions(p_rows jsonb, p_defaults jsonb default '{}', p_publish boolean default false)
returns bigint[]
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_errors jsonb := '[]';
  v_defaults jsonb := coalesce(p_defaults, '{}');
  v_row record;
  v_ids bigint[];
begin
  if (select auth.uid()) is null or not (select private.is_instructor()) then
    raise exception 'Only instructors can import questions.' using errcode = '42501';
  end if;
  if p_rows is null or jsonb_typeof(p_rows) <> 'array' or jsonb_array_length(p_rows) = 0 then
    raise exception 'p_rows must be a non-empty JSON array of questions.' using errcode = '22023';
  end if;
  if jsonb_array_length(p_rows) > 500 then
    raise exception 'Too many questions in one import: % (the limit is 500).', jsonb_array_length(p_rows)
      using errcode = '22023', hint = 'Split the file and import it in parts.';
  end if;
  if jsonb_typeof(v_defaults) <> 'object' then
    raise exception 'p_defaults must be a JSON object.' using errcode = '22023';
  end if;
  if p_publish is null then
    raise exception 'p_publish must be true or false.' using errcode = '22023';
  end if;

  for v_row in select r.ordinality as n, r.value from jsonb_array_elements(p_rows) with ordinality r loop
    v_errors := v_errors || coalesce((
      select jsonb_agg(jsonb_build_object('row', v_row.n) || x)
      from jsonb_array_elements(private.question_field_errors(
        case when jsonb_typeof(v_row.value) = 'object' then v_defaults || v_row.value else v_row.value end, false)) x), '[]');
  end loop;
  if jsonb_array_length(v_errors) > 0 then
    raise sqlstate 'PGRST' using
      message = json_build_object('code', 'invalid_rows',
        'message', format('%s of %s rows have errors; nothing was imported.',
                          (select count(distinct x ->> 'row') from jsonb_array_elements(v_errors) x), jsonb_array_length(p_rows)),
        'details', v_errors::text,
        'hint', 'Fix the rows listed in details and import the whole file again.')::text,
      detail = json_build_object('status', 400, 'status_text', 'Bad Request', 'headers', json_build_object())::text;
  end if;

  with input as (
    select r.ordinality as n, v_defaults || r.value as q from jsonb_array_elements(p_rows) with ordinality r
  ),
  ins as (
    insert into public.questions (stem, choices, correct_choice, explanation, organ_system, discipline, difficulty, tags, published)
    select btrim(i.q ->> 'stem'),
           array(select btrim(c) from jsonb_array_elements_text(i.q -> 'choices') with ordinality t(c, o) order by o),
           i.q ->> 'correct_choice',
           btrim(i.q ->> 'explanation'),
           i.q ->> 'organ_system',
           i.q ->> 'discipline',
           coalesce((i.q ->> 'difficulty')::smallint, 3),
           coalesce(array(select btrim(t) from jsonb_array_elements_text(coalesce(nullif(i.q -> 'tags', 'null'), '[]')) with ordinality x(t, o) order by o), '{}'),
           p_publish
    from input i
    order by i.n
    returning id
  )
  -- Identity values follow the insert order, so sorting the ids restores row order.
  select array_agg(id order by id) into v_ids from ins;
  return v_ids;
end;
$$;
revoke all on function public.import_questions(jsonb, jsonb, boolean) from public, anon, authenticated, service_role;
grant execute on function public.import_questions(jsonb, jsonb, boolean) to authenticated;
