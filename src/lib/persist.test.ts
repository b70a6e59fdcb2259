import { describe, expect, test } from 'vitest';
import { dehydrate, QueryClient } from '@tanstack/react-query';
import type { PersistedClient } from '@tanstack/react-query-persist-client';
import { dehydrateOptions, isJsonSafe, keepOutbox, markPendingAsPaused, type OutboxSpec } from './persist';

/** An app's outbox as this module sees it: its writes are the mutations keyed under 'outbox'. */
const outbox: OutboxSpec = { isOutboxMutationKey: (key) => key?.[0] === 'outbox', format: 1 };
const OUTBOX_FORMAT = outbox.format;

test('pending mutations (paused or in flight) are stored as paused so a restore resumes them', () => {
  const base = { submittedAt: 1, variables: {}, context: undefined, data: undefined, error: null, failureCount: 0, failureReason: null };
  const client: PersistedClient = {
    timestamp: 1,
    buster: 'b',
    clientState: {
      queries: [],
      mutations: [
        { mutationKey: ['outbox', 'send'], state: { ...base, status: 'pending', isPaused: false } },
        { mutationKey: ['outbox', 'send'], state: { ...base, status: 'pending', isPaused: true } },
        { mutationKey: ['outbox', 'create'], state: { ...base, status: 'success', isPaused: false } },
      ],
    },
  };
  const out = markPendingAsPaused(client);
  expect(out.clientState.mutations.map((m) => [m.state.status, m.state.isPaused])).toEqual([
    ['pending', true],
    ['pending', true],
    ['success', false],
  ]);
  // The input is not mutated (React Query keeps using it).
  expect(client.clientState.mutations[0]?.state.isPaused).toBe(false);
});

test('Maps, Sets and Dates are never persisted as query data (they would not survive JSON)', () => {
  expect([isJsonSafe(new Map()), isJsonSafe(new Set()), isJsonSafe(new Date())]).toEqual([false, false, false]);
  expect([isJsonSafe([1]), isJsonSafe({ a: 1 }), isJsonSafe('x'), isJsonSafe(null)]).toEqual([true, true, true, true]);
});

describe('keepOutbox: a stored outbox outlives a new build and a long absence, its queries do not', () => {
  const base = { submittedAt: 1, variables: { id: 'a1' }, context: undefined, data: undefined, error: null, failureCount: 0, failureReason: null };
  const DAY = 24 * 60 * 60 * 1000;
  const now = 100 * DAY;
  const stored = (buster: string, timestamp: number, outboxFormat?: number, owner?: string | null): PersistedClient & { outboxFormat?: number; owner?: string | null } => ({
    buster,
    timestamp,
    ...(owner === undefined ? {} : { owner }),
    ...(outboxFormat === undefined ? {} : { outboxFormat }),
    clientState: {
      queries: [{ queryKey: ['history'], queryHash: '["history"]', dehydratedAt: 1, state: { data: [], dataUpdateCount: 1, dataUpdatedAt: 1, error: null, errorUpdateCount: 0, errorUpdatedAt: 0, fetchFailureCount: 0, fetchFailureReason: null, fetchMeta: null, isInvalidated: false, status: 'success', fetchStatus: 'idle' } }],
      mutations: [
        { mutationKey: ['outbox', 'send'], state: { ...base, status: 'pending', isPaused: true } },
        { mutationKey: ['outbox', 'complete'], state: { ...base, status: 'pending', isPaused: true } },
        { mutationKey: ['settings', 'save'], state: { ...base, status: 'pending', isPaused: true } },
      ],
    },
  });
  const opts = { buster: 'build-2', outbox, now, maxAgeMs: 7 * DAY, owner: null };

  test('the same build within maxAge is restored as stored', () => {
    const client = stored('build-2', now - DAY, OUTBOX_FORMAT);
    expect(keepOutbox(client, opts)).toBe(client);
  });

  test('the same build within maxAge, written under the user signed in now, is restored as stored', () => {
    const client = stored('build-2', now - DAY, OUTBOX_FORMAT, 'user-a');
    expect(keepOutbox(client, { ...opts, owner: 'user-a' })).toBe(client);
  });

  test.each([
    ['another build', stored('build-1', now - DAY, OUTBOX_FORMAT), null],
    ['written while another user was signed in', stored('build-2', now - DAY, OUTBOX_FORMAT, 'user-a'), 'user-b'],
    ['written for a user, restored with nobody signed in', stored('build-2', now - DAY, OUTBOX_FORMAT, 'user-a'), null],
    ['8 days away', stored('build-2', now - 8 * DAY, OUTBOX_FORMAT), null],
    ['a client written before outboxFormat existed', stored('build-1', now - DAY), null],
  ])('%s: only the pending offline mutations come back, under this build and a fresh timestamp', (_label, client, owner) => {
    const kept = keepOutbox(client, { ...opts, owner });
    expect(kept?.buster).toBe('build-2');
    expect(kept?.timestamp).toBe(now);
    expect(kept?.clientState.queries).toEqual([]);
    expect(kept?.clientState.mutations.map((m) => m.mutationKey)).toEqual([['outbox', 'send'], ['outbox', 'complete']]);
    expect(kept?.clientState.mutations[0]?.state.variables).toEqual({ id: 'a1' });
  });

  test('an outbox of another format, or none at all, is left for React Query to drop', () => {
    const foreign = stored('build-1', now - DAY, OUTBOX_FORMAT + 1);
    expect(keepOutbox(foreign, opts)).toBe(foreign);
    const empty = { ...stored('build-1', now - DAY, OUTBOX_FORMAT), clientState: { queries: [], mutations: [] } };
    expect(keepOutbox(empty, opts)).toBe(empty);
    // The same build, another user's cache without an outbox: nothing of it comes back.
    const othersCache = { ...stored('build-2', now - DAY, OUTBOX_FORMAT, 'user-a'), clientState: { ...stored('build-2', now - DAY).clientState, mutations: [] } };
    expect(keepOutbox(othersCache, { ...opts, owner: 'user-b' })?.clientState).toEqual({ queries: [], mutations: [] });
    expect(keepOutbox(undefined, opts)).toBeUndefined();
  });
});

test('the stored copy holds pending outbox mutations and successful queries, not what opts out with meta.persist', async () => {
  const queryClient = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  queryClient.setQueryData(['kept'], { rows: [1] });
  queryClient.setQueryData(['map'], new Map([[1, 2]]));
  queryClient.setQueryDefaults(['big'], { meta: { persist: false } });
  queryClient.setQueryData(['big'], { rows: [2] });
  const cache = queryClient.getMutationCache();
  const pending = cache.build(queryClient, { mutationKey: ['outbox', 'send'], mutationFn: () => new Promise(() => undefined) });
  void pending.execute({ id: 'w1' });
  void cache.build(queryClient, { mutationKey: ['settings', 'save'], mutationFn: () => new Promise(() => undefined) }).execute({});
  const failed = cache.build(queryClient, { mutationKey: ['outbox', 'send'], mutationFn: () => Promise.reject(new Error('refused')) });
  await failed.execute({ id: 'w2' }).catch(() => undefined);

  const stored = dehydrate(queryClient, dehydrateOptions(outbox));
  expect(stored.queries.map((q) => q.queryKey)).toEqual([['kept']]);
  expect(stored.mutations.map((m) => [m.mutationKey, m.state.variables])).toEqual([[['outbox', 'send'], { id: 'w1' }]]);
});
