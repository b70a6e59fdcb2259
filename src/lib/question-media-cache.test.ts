import { expect, test } from 'vitest';
import { imageBodyProblem, isImageType, mediaCacheKey, MEDIA_CACHE, MEDIA_CACHES, SEEN_MEDIA_CACHE } from '@/lib/question-media-cache';

const whole = { status: 200, contentType: 'image/webp', bytes: 90_000 };

test('a whole image, as its record describes it, may be stored', () => {
  expect(imageBodyProblem(whole, 90_000)).toBeNull();
  expect(imageBodyProblem({ ...whole, contentType: 'IMAGE/PNG' }, 90_000)).toBeNull();
});

test('a short or long body is not stored, whatever its status and type say', () => {
  expect(imageBodyProblem({ ...whole, bytes: 89_999 }, 90_000)).toBe('89999 bytes, the record says 90000');
  expect(imageBodyProblem({ ...whole, bytes: 0 }, 90_000)).toBe('0 bytes, the record says 90000');
  expect(imageBodyProblem({ ...whole, bytes: 90_001 }, 90_000)).toBe('90001 bytes, the record says 90000');
});

test('an error answer or a body that is not an image is not stored, even at the right length', () => {
  // Storage answers its errors as HTTP 400 with a JSON body; a gateway may answer 5xx with HTML.
  expect(imageBodyProblem({ status: 400, contentType: 'application/json', bytes: 90_000 }, 90_000)).toBe('HTTP 400');
  expect(imageBodyProblem({ status: 304, contentType: 'image/webp', bytes: 90_000 }, 90_000)).toBe('HTTP 304');
  expect(imageBodyProblem({ ...whole, contentType: 'text/html; charset=utf-8' }, 90_000)).toBe('not an image (text/html; charset=utf-8)');
  expect(imageBodyProblem({ ...whole, contentType: null }, 90_000)).toBe('not an image (no content type)');
});

test('image types are told by their top-level type', () => {
  expect([isImageType('image/jpeg'), isImageType(' image/png'), isImageType('application/octet-stream'), isImageType(''), isImageType(null)]).toEqual([
    true,
    true,
    false,
    false,
    false,
  ]);
});

test('downloaded and seen images are two caches, downloaded first; keys carry no token', () => {
  expect(MEDIA_CACHES).toEqual([MEDIA_CACHE, SEEN_MEDIA_CACHE]);
  expect(MEDIA_CACHE).toBe('rounds-question-media-v1');
  expect(mediaCacheKey('http://127.0.0.1:54321/', 'q/7/a-960.webp')).toBe('http://127.0.0.1:54321/storage/v1/object/sign/question-media/q/7/a-960.webp');
});
