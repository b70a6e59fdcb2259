import { expect, test } from 'vitest';
import { pageFor, SIGNED_IN_PATTERNS } from '@/app/routes';
import { signedInRoutes } from '@/app/signed-in-routes';

test('the signed-out start knows every signed-in address, and only those', () => {
  expect(signedInRoutes.map((r) => r.pattern)).toEqual([...SIGNED_IN_PATTERNS]);
});

test('a private address signed out goes to sign-in; a signed-out page signed in goes home; unknown is not found', () => {
  expect(pageFor('/review', false)).toEqual({ redirect: '/signin' });
  expect(pageFor('/blocks/abc/review', false)).toEqual({ redirect: '/signin' });
  expect(pageFor('/signin', true)).toEqual({ redirect: '/' });
  const home = pageFor('/', true);
  expect('route' in home && home.route.title).toBe('Home');
  const unknown = pageFor('/nowhere', true);
  expect('route' in unknown && unknown.route.title).toBe('Page not found');
});
