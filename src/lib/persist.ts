/**
 * Persistence of the React Query cache and of the app's offline mutations (its outbox) in IndexedDB.
 *
 * Contract (see docs/offline-outbox.md for the pitfalls this answers):
 * - Stored with idb-keyval under one key, at most every 100 ms while the cache changes, and at once when
 *   the page is hidden or closed (`flushPersistence`).
 * - Restored queries older than 7 days, from another build (`buster`) or written while another user (or
 *   nobody) was signed in (`owner`), are dropped; gcTime ≥ maxAge.
 *   The outbox is not: its pending mutations outlive both (`keepOutbox`), because they are writes the
 *   server has not seen yet. Their stored shape is versioned by the outbox's own format, not by the build.
 * - The outbox's mutations (which keys they have is the app's to say: `OutboxSpec`, given by
 *   src/answer-sync/queue.ts) are persisted while pending — paused ones AND ones in flight when the app
 *   was killed (React Query only keeps paused ones by default; an in-flight write must not be lost). They
 *   are stored as paused so `resumePausedMutations()` picks them up after a restore; the outbox's server
 *   side must be idempotent, so re-sending one that did arrive is harmless. No other mutation is stored.
 * - Storage failures (quota exceeded, private mode) are reported in `storageProblem` so the UI can say
 *   so; they are never swallowed silently.
 * - Queries opt out of the stored copy with `meta: { persist: false }`.
 */
import { createAsyncStoragePersister } from '@tanstack/query-async-storage-persister';
import type { PersistedClient, Persister } from '@tanstack/react-query-persist-client';
import { dehydrate, type DehydrateOptions, type MutationKey, type QueryClient } from '@tanstack/react-query';
import { del, get, set } from 'idb-keyval';
import { createStore } from '@/lib/store';
import { storedUserId } from '@/lib/stored-session';

export const PERSIST_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
export const PERSIST_KEY = 'rounds.query-cache.v1';

/**
 * The offline mutations the app keeps across reloads, builds and absences (its outbox), as this module
 * needs to know them.
 */
export interface OutboxSpec {
  /** Whether a mutation with this key belongs to the outbox (a stored, dehydrated mutation has only its key). */
  isOutboxMutationKey(key: MutationKey | undefined): boolean;
  /**
   * Version of the outbox's stored keys and variables, counted from 1 (a client stored before the
   * version was written holds 1). A build that changes them bumps it and migrates stored mutations in
   * `keepOutbox`; until then a stored outbox of another format is dropped with the rest.
   */
  format: number;
}

/** What a persisted cache is written and restored with: this build's id, and the app's outbox. */
export interface PersistConfig {
  buster: string;
  outbox: OutboxSpec;
}

/** Why the cache cannot be written right now (shown by the sync bar), or null while writes succeed. */
export const storageProblem = createStore<string | null>(null);

function describeStorageError(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'QuotaExceededError') {
    return 'This device is out of storage for Rounds. Free some space — answers you give now may not be kept if the app closes before they sync.';
  }
  return 'Rounds cannot save to this device’s storage (private browsing?). Stay online until your answers have synced.';
}

/** Pending offline mutations are stored as paused, so a restore resumes them (see header). */
export function markPendingAsPaused(client: PersistedClient): PersistedClient {
  return {
    ...client,
    clientState: {
      ...client.clientState,
      mutations: client.clientState.mutations.map((m) =>
        m.state.status === 'pending' ? { ...m, state: { ...m.state, isPaused: true } } : m,
      ),
    },
  };
}

/**
 * Query data is stored as JSON: a Map or Set would come back as a plain object and break its readers
 * after a restore. Queries keep plain rows and build such structures in `select`; this guard keeps a
 * slip from ever being persisted.
 */
export function isJsonSafe(data: unknown): boolean {
  return !(data instanceof Map || data instanceof Set || data instanceof Date);
}

/**
 * What goes into the stored copy: the outbox's pending mutations, and every query that succeeded so the
 * app opens with data when there is no network — except those with `meta: { persist: false }`: large
 * data the app stores on its own (an offline download), minutes-fresh data that is useless offline
 * (leaderboards), or data that should not sit on a device longer than the screen needs it (rosters with
 * students' emails).
 */
export function dehydrateOptions(outbox: OutboxSpec): DehydrateOptions {
  return {
    shouldDehydrateMutation: (m) => outbox.isOutboxMutationKey(m.options.mutationKey) && m.state.status === 'pending',
    shouldDehydrateQuery: (q) => q.state.status === 'success' && q.meta?.persist !== false && isJsonSafe(q.state.data),
  };
}

const storage = {
  getItem: (key: string) => get<string>(key).then((v) => v ?? null),
  setItem: async (key: string, value: string) => {
    try {
      await set(key, value);
      storageProblem.set(null);
    } catch (error) {
      storageProblem.set(describeStorageError(error));
      throw error;
    }
  },
  removeItem: (key: string) => del(key),
};

/**
 * `owner`: the user whose session was stored when the cache was written (null: nobody). Its queries were
 * read under that user's RLS.
 */
type StoredClient = PersistedClient & { outboxFormat?: number; owner?: string | null };

const serializer = (outbox: OutboxSpec) => (client: PersistedClient) =>
  JSON.stringify({ ...markPendingAsPaused(client), outboxFormat: outbox.format, owner: storedUserId() } satisfies StoredClient);

/**
 * What a restore may use of the stored client. React Query drops a stored client from another build or
 * older than maxAge whole, outbox included. Queries may change shape between builds and go stale; the
 * outbox must outlive both: a deploy or a week away must not lose answers given offline. So such a client
 * comes back as its pending offline mutations alone, under this build's buster and a fresh timestamp.
 * The same goes for a client written while another user (or nobody) was signed in than `owner`, the user
 * signed in now: a session that ended without "Sign out" (revoked, expired for good) leaves its cache
 * behind, and the next student to sign in on the device must not see those rows. Its mutations stay:
 * each is stamped with its user and only ever sent under that user's session (src/answer-sync/outbox.ts).
 * Clients written before `outboxFormat` existed hold format 1.
 */
export function keepOutbox(
  stored: StoredClient | undefined,
  { buster, outbox, now, maxAgeMs, owner }: PersistConfig & { now: number; maxAgeMs: number; owner: string | null },
): PersistedClient | undefined {
  if (!stored) return undefined;
  const current = stored.buster === buster && now - stored.timestamp <= maxAgeMs;
  const sameOwner = (stored.owner ?? null) === owner;
  if (current && sameOwner) return stored;
  // Another format only comes with another build, which React Query drops whole.
  if ((stored.outboxFormat ?? 1) !== outbox.format) return current ? undefined : stored;
  const mutations = stored.clientState.mutations.filter((m) => m.state.status === 'pending' && outbox.isOutboxMutationKey(m.mutationKey));
  if (mutations.length === 0 && !current) return stored;
  return { buster, timestamp: now, clientState: { queries: [], mutations } };
}

/** The persister of this build: throttled writes to IndexedDB, restores that keep the outbox (above). */
export function createPersister(config: PersistConfig, maxAgeMs: number = PERSIST_MAX_AGE_MS): Persister {
  const base = createAsyncStoragePersister({ key: PERSIST_KEY, throttleTime: 100, storage, serialize: serializer(config.outbox) });
  return {
    ...base,
    restoreClient: async () => keepOutbox(await base.restoreClient(), { ...config, now: Date.now(), maxAgeMs, owner: storedUserId() }),
  };
}

/**
 * Writes the cache now (not throttled): called when the page is hidden or about to close. Straight to
 * storage, not through the persister: its writes are throttled, and a call made while one is already
 * scheduled only replaces that write's data and returns at once — the page could be gone before the
 * write. A throttled write cannot undo this one: one already running opened its IndexedDB transaction
 * first, so it commits first; one that runs later carries the cache as of the latest change, which
 * holds everything written here. Never rejects: a failure is reported in `storageProblem`.
 */
export async function flushPersistence(queryClient: QueryClient, { buster, outbox }: PersistConfig): Promise<void> {
  const client: PersistedClient = { buster, timestamp: Date.now(), clientState: dehydrate(queryClient, dehydrateOptions(outbox)) };
  try {
    await storage.setItem(PERSIST_KEY, serializer(outbox)(client));
  } catch {
    // Reported by storage.setItem; the throttled persister keeps trying on the next change.
  }
}
