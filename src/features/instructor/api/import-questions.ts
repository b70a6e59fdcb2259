import { mutationOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { instructorKeys, instructorMutationKeys } from './keys';

export interface RowError {
  /** 1-based position in the file's questions (the import's row, not a line number). */
  row: number;
  field: string | null;
  message: string;
}

/** import_questions refused the file: nothing was written; `rows` lists every problem. */
export class InvalidRowsError extends Error {
  readonly code = 'invalid_rows';
  constructor(
    message: string,
    readonly rows: RowError[],
  ) {
    super(message);
    this.name = 'InvalidRowsError';
  }
}

const rowErrorSchema = z.object({ row: z.coerce.number().int(), field: z.string().nullable(), message: z.string() });
// The file parsers type their fields loosely; the RPC takes JSON, so that is what is checked on the way out.
const jsonRecord = z.record(z.string(), z.json());
const postgrestError = z.object({ code: z.string(), message: z.string(), details: z.string().nullish() });

export interface ImportInput {
  rows: Record<string, unknown>[];
  /** Applied by the server to every row that lacks the field (Aiken has no explanation or taxonomy). */
  defaults: Record<string, unknown>;
  publish: boolean;
}

/** All-or-nothing import; resolves with the new ids in row order, or throws InvalidRowsError. */
export async function importQuestions({ rows, defaults, publish }: ImportInput): Promise<number[]> {
  try {
    const { data } = await supabase.rpc('import_questions', { p_rows: z.array(jsonRecord).parse(rows), p_defaults: jsonRecord.parse(defaults), p_publish: publish }).throwOnError();
    return z.array(z.coerce.number().int()).parse(data);
  } catch (error) {
    const parsed = postgrestError.safeParse(error);
    if (parsed.success && parsed.data.code === 'invalid_rows' && parsed.data.details) {
      const rowsParsed = z.array(rowErrorSchema).safeParse(JSON.parse(parsed.data.details));
      if (rowsParsed.success) throw new InvalidRowsError(parsed.data.message, rowsParsed.data);
    }
    throw error;
  }
}

/** Importing: the form shows a refusal (the rows' problems, or the reason); the question list refetches. */
export function importQuestionsMutationOptions() {
  return mutationOptions({
    mutationKey: instructorMutationKeys.importQuestions,
    mutationFn: importQuestions,
    meta: { errorInline: true },
    onSuccess: (_ids, _input, _onMutateResult, { client }) => client.invalidateQueries({ queryKey: instructorKeys.questions() }),
  });
}
