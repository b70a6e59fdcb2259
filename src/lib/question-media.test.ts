import { expect, test } from 'vitest';
import { chooseVariant, deviceTargetPx, mediaAt, mediaItemSchema, normalizeMediaItem, offlineImagePlan, questionMediaSchema, srcSetOf, type MediaItem } from '@/lib/question-media';

function item(overrides: Partial<MediaItem> = {}): MediaItem {
  const id = overrides.id ?? '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
  return {
    id,
    placement: 'stem',
    position: 0,
    alt: 'Chest film with a right upper lobe opacity',
    width: 2400,
    height: 1800,
    variants: [
      { w: 480, path: `q/7/${id}-480.webp`, bytes: 30_000, type: 'image/webp' },
      { w: 960, path: `q/7/${id}-960.webp`, bytes: 90_000, type: 'image/webp' },
      { w: 1600, path: `q/7/${id}-1600.webp`, bytes: 200_000, type: 'image/webp' },
    ],
    ...overrides,
  };
}

test('chooseVariant takes the narrowest width that covers the target, else the widest there is', () => {
  expect(chooseVariant(item(), 400)?.w).toBe(480);
  expect(chooseVariant(item(), 480)?.w).toBe(480);
  expect(chooseVariant(item(), 481)?.w).toBe(960);
  expect(chooseVariant(item(), 3000)?.w).toBe(1600);
  const small = item({ width: 300, variants: [{ w: 300, path: 'q/7/s-300.jpg', bytes: 9_000, type: 'image/jpeg' }] });
  expect(chooseVariant(small, 960)?.w).toBe(300);
});

test('deviceTargetPx: the narrower of screen and content column, times the pixel ratio capped at 2', () => {
  expect(deviceTargetPx(390, 3)).toBe(780);
  expect(deviceTargetPx(360, 1)).toBe(360);
  expect(deviceTargetPx(1920, 1)).toBe(736);
  expect(deviceTargetPx(1440, 2)).toBe(1472);
  expect(deviceTargetPx(320, 0.5)).toBe(320);
});

test('offlineImagePlan counts one variant per image and the bytes the records say', () => {
  const a = item();
  const b = item({ id: '11111111-2222-4333-8444-555555555555', placement: 'choice', choice: 'C', variants: [{ w: 480, path: 'q/8/b-480.webp', bytes: 12_345, type: 'image/webp' }], width: 600, height: 400 });
  const plan = offlineImagePlan([{ media: [a, b] }, { media: [] }], 780);
  expect(plan).toEqual({ paths: [a.variants[1]?.path, 'q/8/b-480.webp'], bytes: 90_000 + 12_345 });
  expect(offlineImagePlan([], 780)).toEqual({ paths: [], bytes: 0 });
});

test('the record schema requires alt text and refuses shapes the server refuses', () => {
  expect(mediaItemSchema.safeParse(item()).success).toBe(true);
  const noAlt = mediaItemSchema.safeParse(item({ alt: '   ' }));
  expect(noAlt.success).toBe(false);
  expect(noAlt.error?.issues[0]?.path).toEqual(['alt']);
  expect(mediaItemSchema.safeParse(item({ placement: 'choice' })).success).toBe(false);
  expect(mediaItemSchema.safeParse(item({ choice: 'A' })).success).toBe(false);
  expect(mediaItemSchema.safeParse(item({ width: 1000 })).success).toBe(false); // a 1600 variant would be upscaled
  expect(mediaItemSchema.safeParse(item({ variants: [{ w: 480, path: 'q/7/../x.webp', bytes: 1, type: 'image/webp' }] })).success).toBe(false);
  expect(questionMediaSchema.safeParse(Array.from({ length: 11 }, () => item())).success).toBe(false);
  // Rows stored before images existed (an offline copy) have no media: none.
  expect(questionMediaSchema.parse(undefined)).toEqual([]);
  // A null caption from the server reads as none; an emptied one is left out when saved.
  expect(mediaItemSchema.parse({ ...item(), caption: null }).caption).toBeNull();
  expect(normalizeMediaItem({ ...item(), alt: ' X-ray ', caption: '  ', credit: ' CC BY ' })).toEqual({ ...item(), alt: 'X-ray', credit: 'CC BY' });
});

test('mediaAt picks one place in position order; srcSetOf offers only the widths that have a URL', () => {
  const first = item({ id: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', position: 1 });
  const second = item({ id: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', position: 0 });
  const choice = item({ id: 'cccccccc-cccc-4ccc-8ccc-cccccccccccc', placement: 'choice', choice: 'B' });
  expect(mediaAt([first, second, choice], 'stem').map((m) => m.id)).toEqual([second.id, first.id]);
  expect(mediaAt([first, second, choice], 'choice', 'B')).toEqual([choice]);
  expect(mediaAt([first, second, choice], 'choice', 'A')).toEqual([]);

  const a = item();
  const all = new Map(a.variants.map((v) => [v.path, `https://api/${v.w}`]));
  expect(srcSetOf(a, all)).toEqual({ src: 'https://api/960', srcSet: 'https://api/480 480w, https://api/960 960w, https://api/1600 1600w' });
  const offline = new Map([[a.variants[0]?.path ?? '', 'https://api/480']]);
  expect(srcSetOf(a, offline)).toEqual({ src: 'https://api/480', srcSet: 'https://api/480 480w' });
  expect(srcSetOf(a, new Map())).toBeNull();
});
