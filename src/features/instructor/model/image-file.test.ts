import { expect, test } from 'vitest';
import { imageFileProblem, plannedWidths } from '@/features/instructor/model/image-file';
import { mediaErrors } from '@/features/instructor/model/question';

test('plannedWidths never upscales: the standard widths below the original, then the original up to 1600', () => {
  expect(plannedWidths(4000)).toEqual([480, 960, 1600]);
  expect(plannedWidths(1600)).toEqual([480, 960, 1600]);
  expect(plannedWidths(1200)).toEqual([480, 960, 1200]);
  expect(plannedWidths(960)).toEqual([480, 960]);
  expect(plannedWidths(300)).toEqual([300]);
});

test('imageFileProblem refuses non-images, GIF, SVG and files over 20 MB before any encoding', () => {
  expect(imageFileProblem({ name: 'ecg.png', type: 'image/png', size: 2_000_000 })).toBeNull();
  expect(imageFileProblem({ name: 'notes.pdf', type: 'application/pdf', size: 1000 })).toMatch(/notes\.pdf is not an image/);
  expect(imageFileProblem({ name: 'logo.svg', type: 'image/svg+xml', size: 1000 })).toMatch(/not an image Rounds can use/);
  expect(imageFileProblem({ name: 'cine.gif', type: 'image/gif', size: 1000 })).toMatch(/cine\.gif is a GIF, which Rounds does not take/);
  expect(imageFileProblem({ name: 'notes.txt', type: '', size: 10 })).toMatch(/notes\.txt is not an image/);
  expect(imageFileProblem({ name: 'scan.tif', type: 'image/tiff', size: 21 * 1024 * 1024 })).toMatch(/21\.0 MB; the limit is 20 MB/);
});

test('mediaErrors keys a missing alt text by the image, so the form shows it there and does not save', () => {
  const id = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
  const image = { id, placement: 'stem' as const, position: 0, alt: '', width: 480, height: 320, variants: [{ w: 480, path: `q/1/${id}-480.webp`, bytes: 10, type: 'image/webp' as const }] };
  expect(mediaErrors([image])).toEqual({ [`media.${id}.alt`]: expect.stringMatching(/Alt text is required/) });
  expect(mediaErrors([{ ...image, alt: 'Gram stain with clusters of purple cocci' }])).toEqual({});
});
