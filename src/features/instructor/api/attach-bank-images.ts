/**
 * The second half of importing a bank file with images (docs/decisions/026-lms-bank-formats.md,
 * "Images"): import_questions has created the questions (all or nothing, text only); each created
 * question with images then gets them through the one attaching path, `attachQuestionImages` (encoded
 * in the browser, uploaded, saved with the version check). A question whose images fail stays created;
 * every image that was not attached is returned with the reason — nothing is dropped silently.
 */
import { mutationOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { getErrorMessage } from '@/lib/errors';
import { questionMediaSchema } from '@/lib/question-media';
import type { BankImage } from '@/features/instructor/model/bank-images';
import { attachQuestionImages } from './upload-question-images';
import { instructorKeys, instructorMutationKeys } from './keys';

export interface CreatedBankQuestion {
  id: number;
  /** "question 3", as the preview named it. */
  where: string;
  images: BankImage[];
}

export interface AttachProgress {
  images: number;
  imagesDone: number;
  bytes: number;
  bytesDone: number;
}

export interface BankImageFailure {
  questionId: number;
  where: string;
  name: string;
  message: string;
}

export interface AttachBankImagesInput {
  created: CreatedBankQuestion[];
  onProgress?: (progress: AttachProgress) => void;
}

const rowsSchema = z.array(z.object({ id: z.coerce.number().int(), version: z.coerce.number().int(), media: questionMediaSchema }));

/** Attaches every created question's images; resolves with how many were attached and which were not. */
export async function attachBankImages({ created, onProgress }: AttachBankImagesInput): Promise<{ attached: number; failed: BankImageFailure[] }> {
  const todo = created.filter((c) => c.images.length > 0);
  const failed: BankImageFailure[] = [];
  if (todo.length === 0) return { attached: 0, failed };
  const progress: AttachProgress = {
    images: todo.reduce((n, c) => n + c.images.length, 0),
    imagesDone: 0,
    bytes: todo.reduce((n, c) => n + c.images.reduce((b, i) => b + i.bytes.length, 0), 0),
    bytesDone: 0,
  };
  onProgress?.({ ...progress });
  // Their current version and media (version 1 and none, unless someone was quicker): the save checks it.
  const { data } = await supabase
    .from('questions')
    .select('id, version, media')
    .in(
      'id',
      todo.map((c) => c.id),
    )
    .throwOnError();
  const rows = new Map(rowsSchema.parse(data).map((r) => [r.id, r]));
  let attached = 0;
  for (const question of todo) {
    const fail = (message: string, images = question.images) => failed.push(...images.map((i) => ({ questionId: question.id, where: question.where, name: i.name, message })));
    const row = rows.get(question.id);
    const base = { imagesDone: progress.imagesDone, bytesDone: progress.bytesDone };
    const before = (index: number) => question.images.slice(0, index).reduce((b, i) => b + i.bytes.length, 0);
    try {
      if (!row) {
        fail('The question no longer exists.');
        continue;
      }
      const { saved, notAttached } = await attachQuestionImages(
        row,
        question.images.map((i) => ({
          file: new File([new Uint8Array(i.bytes)], i.name, { type: i.mimeType }),
          placement: i.placement,
          choice: i.choice,
          alt: i.alt,
        })),
        (index, p) => {
          const finished = p.stage === 'uploading' && p.done === p.total;
          progress.imagesDone = base.imagesDone + index + (finished ? 1 : 0);
          progress.bytesDone = base.bytesDone + before(index + (finished ? 1 : 0));
          onProgress?.({ ...progress });
        },
      );
      for (const n of notAttached) fail(n.message, question.images.slice(n.index, n.index + 1));
      if (saved) attached += question.images.length - notAttached.length;
    } catch (error) {
      fail(`The question's images could not be saved: ${getErrorMessage(error)}`);
    } finally {
      progress.imagesDone = base.imagesDone + question.images.length;
      progress.bytesDone = base.bytesDone + before(question.images.length);
      onProgress?.({ ...progress });
    }
  }
  return { attached, failed };
}

/** Attaching an import's images: the result lists what was not attached; the question list refetches. */
export function attachBankImagesMutationOptions() {
  return mutationOptions({
    mutationKey: instructorMutationKeys.attachBankImages,
    mutationFn: attachBankImages,
    meta: { errorMessage: 'The questions were imported, but their images could not be attached.' },
    onSettled: (_result, _error, _input, _onMutateResult, { client }) => client.invalidateQueries({ queryKey: instructorKeys.questions() }),
  });
}
