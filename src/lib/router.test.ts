import { expect, test } from 'vitest';
import { matchPath } from './router';

test('matchPath extracts params and rejects other shapes', () => {
  expect(matchPath('/blocks/:id/review', '/blocks/abc-1/review')).toEqual({ id: 'abc-1' });
  expect(matchPath('/blocks/:id', '/blocks/abc-1/review')).toBeNull();
  expect(matchPath('/', '/')).toEqual({});
  expect(matchPath('/settings', '/settings/')).toEqual({});
  expect(matchPath('/blocks/new', '/blocks/x')).toBeNull();
});
