/**
 * The second half of importing a bank file with images (docs/decisions/026-lms-bank-formats.md,
 * "Images"): import_questions has created the questions (all or nothing, text only); each created
 * question with images then gets them through the one attaching path, `attachQuestionImages` (encoded
 * in the browser, uploaded, saved with the version check). A question whose images fail stays created;
 * every image that was not attached is returned with the reason — nothing is dropped silently.
 *
 * Publishing an import with images: the questions are created as drafts and published here, each once
 * its images are all attached (a question without images at once), so no student ever gets a question
 * whose stem points at an image that is not there yet — or never will be. A question whose images did
 * not all attach, or whose publishing failed, stays a draft and is listed in `drafts` with the reason.
 */
import { mutationOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { getErrorMessage } from '@/lib/errors';
import { questionMediaSchema } from '@/lib/question-media';
import type { BankImage } from '@/features/instructor/model/bank-images';
import { attachQuestionImages } from './upload-question-images';
import { setQuestionPublished } from './save-question';
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
  /** Questions to publish after their images (0 when the import is not published). */
  questions: number;
  questionsDone: number;
}

export interface BankImageFailure {
  questionId: number;
  where: string;
  name: string;
  message: string;
}

/** A created question left as a draft although the import asked to publish it, and why. */
export interface HeldDraft {
  questionId: number;
  where: string;
  message: string;
}

export interface AttachBankImagesInput {
  /** The created questions; with `publish`, every one of them (those without images are published too). */
  created: CreatedBankQuestion[];
  /** Publish each question once its images are attached (the import created them as drafts). */
  publish?: boolean;
  onProgress?: (progress: AttachProgress) => void;
}

/** Questions published at once (those without images): enough to keep a link busy, not to flood it. */
const PUBLISH_PARALLEL = 4;

const rowsSchema = z.array(z.object({ id: z.coerce.number().int(), version: z.coerce.number().int(), media: questionMediaSchema }));

/** Attaches every created question's images (and publishes them, with `publish`); says what was not done. */
export async function attachBankImages({
  created,
  publish = false,
  onProgress,
}: AttachBankImagesInput): Promise<{ attached: number; failed: BankImageFailure[]; published: number; drafts: HeldDraft[] }> {
  const withImages = created.filter((c) => c.images.length > 0);
  const failed: BankImageFailure[] = [];
  const drafts: HeldDraft[] = [];
  let published = 0;
  const todo = publish ? created : withImages;
  if (todo.length === 0) return { attached: 0, failed, published, drafts };
  const progress: AttachProgress = {
    images: withImages.reduce((n, c) => n + c.images.length, 0),
    imagesDone: 0,
    bytes: withImages.reduce((n, c) => n + c.images.reduce((b, i) => b + i.bytes.length, 0), 0),
    bytesDone: 0,
    questions: publish ? created.length : 0,
    questionsDone: 0,
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

  const publishOne = async (question: CreatedBankQuestion, version: number) => {
    try {
      await setQuestionPublished({ id: question.id, expectedVersion: version, published: true });
      published += 1;
    } catch (error) {
      drafts.push({ questionId: question.id, where: question.where, message: `It could not be published: ${getErrorMessage(error)}` });
    } finally {
      progress.questionsDone += 1;
      onProgress?.({ ...progress });
    }
  };

  let attached = 0;
  for (const question of withImages) {
    const fail = (message: string, images = question.images) => failed.push(...images.map((i) => ({ questionId: question.id, where: question.where, name: i.name, message })));
    const row = rows.get(question.id);
    const base = { imagesDone: progress.imagesDone, bytesDone: progress.bytesDone };
    const before = (index: number) => question.images.slice(0, index).reduce((b, i) => b + i.bytes.length, 0);
    let savedVersion: number | null = null;
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
      if (saved && notAttached.length === 0) savedVersion = saved.version;
    } catch (error) {
      fail(`The question's images could not be saved: ${getErrorMessage(error)}`);
    } finally {
      progress.imagesDone = base.imagesDone + question.images.length;
      progress.bytesDone = base.bytesDone + before(question.images.length);
      onProgress?.({ ...progress });
    }
    if (!publish) continue;
    if (savedVersion === null) {
      drafts.push({ questionId: question.id, where: question.where, message: 'Kept as a draft: not all of its images were attached.' });
      progress.questionsDone += 1;
      onProgress?.({ ...progress });
    } else {
      await publishOne(question, savedVersion);
    }
  }

  if (publish) {
    const queue = created.filter((c) => c.images.length === 0);
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const row = rows.get(next.id);
        if (row) await publishOne(next, row.version);
        else {
          drafts.push({ questionId: next.id, where: next.where, message: 'The question no longer exists.' });
          progress.questionsDone += 1;
          onProgress?.({ ...progress });
        }
      }
    };
    await Promise.all(Array.from({ length: PUBLISH_PARALLEL }, worker));
  }
  return { attached, failed, published, drafts };
}

/** Attaching an import's images: the result lists what was not attached; the question list refetches. */
export function attachBankImagesMutationOptions() {
  return mutationOptions({
    mutationKey: instructorMutationKeys.attachBankImages,
    mutationFn: attachBankImages,
    meta: { errorMessage: 'The questions were imported (as drafts, if you asked to publish them), but their images could not be attached.' },
    onSettled: (_result, _error, _input, _onMutateResult, { client }) => client.invalidateQueries({ queryKey: instructorKeys.questions() }),
  });
}
