import { mutationOptions, type QueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { isNotQuestionEditorError } from '@/features/instructor/model/ownership';
import {
  changedFields,
  fieldsOfRow,
  QUESTION_COLUMNS,
  questionRowSchema,
  type QuestionFields,
  type QuestionRow,
} from '@/features/instructor/model/question';
import { getQuestionQueryOptions, getQuestionsQueryOptions } from './get-questions';
import { instructorKeys, instructorMutationKeys } from './keys';

/** Someone saved the question after the editor loaded it; `current` is their version. */
export class VersionConflictError extends Error {
  readonly code = 'version_conflict';
  constructor(
    message: string,
    readonly current: QuestionRow,
  ) {
    super(message);
    this.name = 'VersionConflictError';
  }
}

const postgrestError = z.object({ code: z.string(), message: z.string(), details: z.string().nullish() });

/** Turns update_question/set_question_published's 409 into a VersionConflictError; rethrows the rest. */
function rethrow(error: unknown): never {
  const parsed = postgrestError.safeParse(error);
  if (parsed.success && parsed.data.code === 'version_conflict' && parsed.data.details) {
    const current = questionRowSchema.safeParse(JSON.parse(parsed.data.details));
    if (current.success) throw new VersionConflictError(parsed.data.message, current.data);
  }
  throw error;
}

/**
 * Saves an existing question as an edit of `expectedVersion`: field changes through update_question,
 * then publishing through set_question_published when it changed (each bumps the version, and the
 * second call expects the version the first returned). Throws VersionConflictError on a 409.
 */
export async function saveQuestion({
  id,
  expectedVersion,
  changes,
  published,
}: {
  id: number;
  expectedVersion: number;
  changes: Partial<QuestionFields>;
  published?: boolean | undefined;
}): Promise<QuestionRow> {
  try {
    let row: QuestionRow | undefined;
    let version = expectedVersion;
    if (Object.keys(changes).length > 0) {
      const { data } = await supabase.rpc('update_question', { p_id: id, p_expected_version: version, p_changes: changes }).throwOnError();
      row = questionRowSchema.parse(data);
      version = row.version;
    }
    if (published !== undefined) row = await setQuestionPublished({ id, expectedVersion: version, published });
    if (!row) {
      const { data } = await supabase.from('questions').select(QUESTION_COLUMNS).eq('id', id).single().throwOnError();
      row = questionRowSchema.parse(data);
    }
    return row;
  } catch (error) {
    rethrow(error);
  }
}

/** Publishes or unpublishes `expectedVersion` of a question (409 → VersionConflictError). */
export async function setQuestionPublished({
  id,
  expectedVersion,
  published,
}: {
  id: number;
  expectedVersion: number;
  published: boolean;
}): Promise<QuestionRow> {
  try {
    const { data } = await supabase
      .rpc('set_question_published', { p_id: id, p_expected_version: expectedVersion, p_published: published })
      .throwOnError();
    return questionRowSchema.parse(data);
  } catch (error) {
    rethrow(error);
  }
}

/** Adds a new question (RLS: instructors may insert; created_by defaults to the caller). */
export async function createQuestion(fields: QuestionFields & { published: boolean }): Promise<QuestionRow> {
  const { data } = await supabase.from('questions').insert(fields).select(QUESTION_COLUMNS).single().throwOnError();
  return questionRowSchema.parse(data);
}

/** What the editor saves: its fields and published flag, as an edit of `against` (null: a new question). */
export interface QuestionSave {
  fields: QuestionFields;
  published: boolean;
  against: QuestionRow | null;
}

/**
 * Refused because the instructor was removed as an editor since the page loaded: refreshed authors turn
 * the page read-only (or drop the list's Publish control). Not awaited: the refusal shows at once.
 */
function refreshEditRights(client: QueryClient, error: unknown): void {
  if (isNotQuestionEditorError(error)) void client.invalidateQueries({ queryKey: instructorKeys.questionAuthors() });
}

/**
 * Saving the editor's form: a new question is created; an existing one is saved as an edit of the
 * version it was based on, sending only the fields that changed. The saved row is the question's cached
 * copy, and the list refetches. On a version conflict the cached copy becomes the version saved meanwhile
 * (the form shows both and lets the instructor choose). The form shows failures itself.
 */
export function saveQuestionMutationOptions() {
  return mutationOptions({
    mutationKey: instructorMutationKeys.saveQuestion,
    mutationFn: ({ fields, published, against }: QuestionSave) =>
      against
        ? saveQuestion({
            id: against.id,
            expectedVersion: against.version,
            changes: changedFields(fieldsOfRow(against), fields),
            published: published === against.published ? undefined : published,
          })
        : createQuestion({ ...fields, published }),
    meta: { errorInline: true, serverWording: true },
    onSuccess: async (row, _save, _onMutateResult, { client }) => {
      client.setQueryData(getQuestionQueryOptions(row.id).queryKey, row);
      await client.invalidateQueries({ queryKey: instructorKeys.questions(), exact: true });
    },
    onError: (error, _save, _onMutateResult, { client }) => {
      if (error instanceof VersionConflictError) client.setQueryData(getQuestionQueryOptions(error.current.id).queryKey, error.current);
      refreshEditRights(client, error);
    },
  });
}

/** Publishing or unpublishing from the list: the row is updated in the list and in the question's copy. */
export function setQuestionPublishedMutationOptions() {
  return mutationOptions({
    mutationKey: instructorMutationKeys.setQuestionPublished,
    mutationFn: setQuestionPublished,
    meta: { errorInline: true, serverWording: true },
    onSuccess: (row, _variables, _onMutateResult, { client }) => {
      client.setQueryData(getQuestionsQueryOptions().queryKey, (old) => old?.map((q) => (q.id === row.id ? row : q)));
      client.setQueryData(getQuestionQueryOptions(row.id).queryKey, row);
    },
    onError: (error, _variables, _onMutateResult, { client }) => {
      // Someone edited it meanwhile: show the current list so the next click is informed.
      if (error instanceof VersionConflictError) void client.invalidateQueries({ queryKey: instructorKeys.questions() });
      refreshEditRights(client, error);
    },
  });
}
