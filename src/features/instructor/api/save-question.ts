import { mutationOptions, type QueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { MEDIA_BUCKET, mediaPaths, type MediaItem } from '@/lib/question-media';
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

/** Removes objects of the question-media bucket; best-effort (what fails stays an orphan, decision 025). */
export async function removeQuestionObjects(paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return;
  await supabase.storage
    .from(MEDIA_BUCKET)
    .remove([...paths])
    .catch(() => undefined);
}

/** Objects `before` referred to that `after` does not: what a save made unreachable. */
export function droppedPaths(before: readonly MediaItem[], after: readonly MediaItem[]): string[] {
  const kept = new Set(mediaPaths(after));
  return mediaPaths(before).filter((p) => !kept.has(p));
}

/**
 * Saves an existing question as an edit of `expectedVersion`: field changes (and `media`, the whole list
 * of images, when given) through update_question,
 * then publishing through set_question_published when it changed (each bumps the version, and the
 * second call expects the version the first returned). Throws VersionConflictError on a 409.
 */
export async function saveQuestion({
  id,
  expectedVersion,
  changes,
  media,
  published,
}: {
  id: number;
  expectedVersion: number;
  changes: Partial<QuestionFields>;
  media?: MediaItem[] | undefined;
  published?: boolean | undefined;
}): Promise<QuestionRow> {
  try {
    let row: QuestionRow | undefined;
    let version = expectedVersion;
    const all = media ? { ...changes, media } : changes;
    if (Object.keys(all).length > 0) {
      const { data } = await supabase.rpc('update_question', { p_id: id, p_expected_version: version, p_changes: all }).throwOnError();
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
  /** The images as the form holds them (a new question has none: its id names their folder). */
  media: MediaItem[];
  published: boolean;
  against: QuestionRow | null;
}

const sameMedia = (a: readonly MediaItem[], b: readonly MediaItem[]) => JSON.stringify(a) === JSON.stringify(b);

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
    mutationFn: ({ fields, media, published, against }: QuestionSave) =>
      against
        ? saveQuestion({
            id: against.id,
            expectedVersion: against.version,
            changes: changedFields(fieldsOfRow(against), fields),
            media: sameMedia(media, against.media) ? undefined : media,
            published: published === against.published ? undefined : published,
          })
        : createQuestion({ ...fields, published }),
    meta: { errorInline: true, serverWording: true },
    onSuccess: async (row, save, _onMutateResult, { client }) => {
      // Images the saved version no longer has (replaced or removed) leave Storage; not awaited, and a
      // failure leaves an orphan object nobody refers to (decision 025), never a broken question.
      if (save.against) void removeQuestionObjects(droppedPaths(save.against.media, row.media));
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
