import { afterEach, expect, test } from 'vitest';
import { MutationObserver, type MutationMeta } from '@tanstack/react-query';
import { queryClient, writeFailureNotice } from '@/lib/query-client';
import { NetworkError } from '@/lib/network/network-error';

afterEach(() => {
  queryClient.getMutationCache().clear();
  writeFailureNotice.set(null);
});

/** Runs one write through the app's client; `fail` decides its outcome. */
function write(mutationKey: readonly unknown[], meta: MutationMeta | undefined, fail: unknown = null) {
  const observer = new MutationObserver(queryClient, {
    mutationKey,
    meta,
    mutationFn: () => (fail === null ? Promise.resolve('ok') : Promise.reject(fail)),
  });
  return observer.mutate().catch(() => undefined);
}

test('a failed online write becomes the one app-level notice, in its own words then the reason', async () => {
  await write(['instructor', 'rotate-join-code'], { errorMessage: 'The join code was not changed.' }, new NetworkError('timeout'));
  expect(writeFailureNotice.get()).toMatchObject({
    message: 'The join code was not changed. Rounds is taking too long to answer — try again in a moment.',
  });
});

test('a newer failure replaces the notice, and is a new one (announced again even with the same words)', async () => {
  const meta = { errorMessage: 'The student could not be removed.' };
  await write(['instructor', 'remove-cohort-member'], meta, new NetworkError('server', { status: 503 }));
  const first = writeFailureNotice.get();
  await write(['instructor', 'remove-cohort-member'], meta, new NetworkError('server', { status: 503 }));
  const second = writeFailureNotice.get();
  expect(second?.message).toBe(first?.message);
  expect(second?.id).not.toBe(first?.id);
});

test('trying the same write again takes its notice down; another write leaves it', async () => {
  await write(['auth', 'sign-out'], { errorMessage: "Couldn't sign out." }, new NetworkError('offline'));
  await write(['instructor', 'export-cohort-results'], { errorMessage: 'The results could not be exported.' });
  expect(writeFailureNotice.get()?.message).toMatch(/^Couldn't sign out\. /);

  const retried = write(['auth', 'sign-out'], { errorMessage: "Couldn't sign out." });
  expect(writeFailureNotice.get()).toBeNull();
  await retried;
  expect(writeFailureNotice.get()).toBeNull();
});

test('a write whose form shows its failure in place gets no notice', async () => {
  await write(['account', 'update-profile'], { errorMessage: 'Your profile was not saved.', errorInline: true }, new NetworkError('offline'));
  await write(['account', 'join-cohort'], { errorInline: true, serverWording: true }, new NetworkError('offline'));
  expect(writeFailureNotice.get()).toBeNull();
});

test('offline writes (the answer outbox) never reach the notice: the sync bar reports them', async () => {
  await write(['answers', 'submit'], undefined, new NetworkError('client', { status: 400 }));
  await write(['attempts', 'complete'], undefined, new NetworkError('client', { status: 400 }));
  expect(queryClient.getMutationCache().findAll({ status: 'error' })).toHaveLength(2);
  expect(writeFailureNotice.get()).toBeNull();
});

test('online writes are not retried behind the user’s back', async () => {
  let attempts = 0;
  await new MutationObserver(queryClient, {
    mutationKey: ['instructor', 'create-cohort'],
    meta: { errorInline: true },
    mutationFn: () => {
      attempts += 1;
      return Promise.reject(new NetworkError('server', { status: 503 }));
    },
  })
    .mutate()
    .catch(() => undefined);
  expect(attempts).toBe(1);
});
