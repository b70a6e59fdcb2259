import { expect, test } from 'vitest';
import type { MediaItem } from '@/lib/question-media';
import type { QuestionMedia } from '@/features/instructor/model/bank-question';
import { bankImagePlan, exportMedia } from '@/features/instructor/model/bank-images';

const file = (name: string, part: QuestionMedia['part'], alt?: string): QuestionMedia => ({
  name,
  mimeType: 'image/png',
  bytes: new Uint8Array([name.length]),
  part,
  ...(alt === undefined ? {} : { alt }),
});

test('bank images keep the file’s alt text and place; one without gets a generated description, flagged', () => {
  const plan = bankImagePlan({
    where: 'question 3 (items/item-3.xml)',
    media: [file('histology.png', 'stem', '  Owl-eye\n nucleoli '), file('choice-d.png', 'D'), file('answer.png', 'explanation', '')],
  });
  expect(plan.leftOut).toEqual([]);
  expect(plan.images.map(({ bytes: _bytes, ...rest }) => rest)).toEqual([
    { name: 'histology.png', mimeType: 'image/png', placement: 'stem', alt: 'Owl-eye nucleoli', altGenerated: false },
    { name: 'choice-d.png', mimeType: 'image/png', placement: 'choice', choice: 'D', alt: 'Image 2 of question 3 (from choice-d.png)', altGenerated: true },
    { name: 'answer.png', mimeType: 'image/png', placement: 'explanation', alt: 'Image 3 of question 3 (from answer.png)', altGenerated: true },
  ]);
});

test('past ten images a question cannot take more: the rest are listed with the reason; long alt text is cut to 300', () => {
  const plan = bankImagePlan({ where: 'question 1', media: Array.from({ length: 12 }, (_, i) => file(`f${i + 1}.png`, 'stem', 'x'.repeat(400))) });
  expect(plan.images).toHaveLength(10);
  expect(plan.images[0]?.alt).toHaveLength(300);
  expect(plan.images[0]?.alt.endsWith('…')).toBe(true);
  expect(plan.leftOut).toEqual([
    { name: 'f11.png', reason: 'A Rounds question holds at most 10 images; this is image 11.' },
    { name: 'f12.png', reason: 'A Rounds question holds at most 10 images; this is image 12.' },
  ]);
});

const item = (placement: MediaItem['placement'], position: number, alt: string, choice?: MediaItem['choice']): MediaItem => ({
  id: crypto.randomUUID(),
  placement,
  ...(choice ? { choice } : {}),
  position,
  alt,
  width: 1200,
  height: 900,
  variants: [480, 960, 1200].map((w) => ({ w, path: `q/7/${alt}-${w}.webp`, bytes: w, type: 'image/webp' as const })),
});

test('an export takes each image’s widest variant, in the order the question shows them, named by place', () => {
  const fetched: string[] = [];
  const media = exportMedia([item('explanation', 0, 'e'), item('choice', 0, 'c', 'C'), item('stem', 1, 's2'), item('stem', 0, 's1')], (path) => {
    fetched.push(path);
    return new Uint8Array([path.length]);
  });
  expect(media.map(({ bytes: _bytes, ...rest }) => rest)).toEqual([
    { name: 'stem-1.webp', mimeType: 'image/webp', alt: 's1', part: 'stem' },
    { name: 'stem-2.webp', mimeType: 'image/webp', alt: 's2', part: 'stem' },
    { name: 'choice-c-1.webp', mimeType: 'image/webp', alt: 'c', part: 'C' },
    { name: 'explanation-1.webp', mimeType: 'image/webp', alt: 'e', part: 'explanation' },
  ]);
  expect(fetched).toEqual(['q/7/s1-1200.webp', 'q/7/s2-1200.webp', 'q/7/c-1200.webp', 'q/7/e-1200.webp']);
});
