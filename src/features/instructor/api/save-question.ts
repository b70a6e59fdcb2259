import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { QUESTION_COLUMNS, questionRowSchema, type QuestionFields, type QuestionRow } from '@/features/instructor/model/question';

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
