/**
 * Persistence of the React Query cache and of the offline mutations (the answer outbox) in IndexedDB.
 *
 * Contract (see docs/offline-outbox.md for the pitfalls this answers):
 * - Stored with idb-keyval under one key, at most every 100 ms while the cache changes, and at once when
 *   the page is hidden or closed (`flushPersistence`).
 * - Restored queries older than 7 days, from another build (`buster`) or written while another user (or
 *   nobody) was signed in (`owner`), are dropped; gcTime ≥ maxAge.
 *   The outbox is not: pending offline mutations outlive both (`keepOutbox`), because they are answers
 *   the server has not seen yet. Their stored shape is versioned by `OUTBOX_FORMAT`, not by the build.
 * - Mutations whose key starts with 'answers' or 'attempts' are persisted while pending — paused ones
 *   AND ones in flight when the app was killed (React Query only keeps paused ones by default; an
 *   in-flight answer must not be lost). They are stored as paused so `resumePausedMutations()` picks them
 *   up after a restore; the server's idempotency makes re-sending an answer that did arrive harmless.
 * - Storage failures (quota exceeded, private mode) are reported through `subscribeStorageProblem` so the
 *   UI can say so; they are never swallowed silently.
 */
import { createAsyncStoragePersister } from '@tanstack/query-async-storage-persister';
import type { PersistedClient, Persister } from '@tanstack/react-query-persist-client';
import { dehydrate, type DehydrateOptions, type Mutation, type QueryClient } from '@tanstack/react-query';
import { del, get, set } from 'idb-keyval';
import { storedUserId } from '@/lib/stored-session';

export const PERSIST_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
export const PERSIST_KEY = 'rounds.query-cache.v1';
export const OFFLINE_MUTATION_SCOPES: readonly string[] = ['answers', 'attempts'];

let storageProblem: string | null = null;
const problemListeners = new Set<() => void>();
function reportStorageProblem(message: string | null) {
  if (storageProblem === message) return;
  storageProblem = message;
  for (const l of problemListeners) l();
}
export function getStorageProblem(): string | null {
  return storageProblem;
}
export function subscribeStorageProblem(listener: () => void): () => void {
  problemListeners.add(listener);
  return () => problemListeners.delete(listener);
}

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

export function isOfflineMutation(m: Pick<Mutation, 'options'>): boolean {
  return isOfflineMutationKey(m.options.mutationKey);
}

/** The same test on a mutation key alone (a stored, dehydrated mutation has no options). */
function isOfflineMutationKey(key: readonly unknown[] | undefined): boolean {
  const scope = key?.[0];
  return typeof scope === 'string' && OFFLINE_MUTATION_SCOPES.includes(scope);
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
export const dehydrateOptions: DehydrateOptions = {
  shouldDehydrateMutation: (m) => isOfflineMutation(m) && m.state.status === 'pending',
  shouldDehydrateQuery: (q) => q.state.status === 'success' && q.meta?.persist !== false && isJsonSafe(q.state.data),
};

const storage = {
  getItem: (key: string) => get<string>(key).then((v) => v ?? null),
  setItem: async (key: string, value: string) => {
    try {
      await set(key, value);
      reportStorageProblem(null);
    } catch (error) {
      reportStorageProblem(describeStorageError(error));
      throw error;
    }
  },
  removeItem: (key: string) => del(key),
};

/**
 * Version of the stored outbox: the keys and variables of offline mutations. A build that changes them
 * bumps it and migrates stored mutations in `keepOutbox`; until then a stored outbox of another format is
 * dropped with the rest (the player's saved block sessions then re-queue what they can).
 */
export const OUTBOX_FORMAT = 1;

/**
 * `owner`: the user whose session was stored when the cache was written (null: nobody). Its queries were
 * read under that user's RLS.
 */
type StoredClient = PersistedClient & { outboxFormat?: number; owner?: string | null };

const serialize = (client: PersistedClient) =>
  JSON.stringify({ ...markPendingAsPaused(client), outboxFormat: OUTBOX_FORMAT, owner: storedUserId() } satisfies StoredClient);

/**
 * What a restore may use of the stored client. React Query drops a stored client from another build or
 * older than maxAge whole, outbox included. Queries may change shape between builds and go stale; the
 * outbox must outlive both: a deploy or a week away must not lose answers given offline. So such a client
 * comes back as its pending offline mutations alone, under this build's buster and a fresh timestamp.
 * The same goes for a client written while another user (or nobody) was signed in than `owner`, the user
 * signed in now: a session that ended without "Sign out" (revoked, expired for good) leaves its cache
 * behind, and the next student to sign in on the device must not see those rows. Its mutations stay:
 * each is stamped with its user and only ever sent under that user's session (lib/outbox).
 * Clients written before `outboxFormat` existed hold format 1.
 */
export function keepOutbox(
  stored: StoredClient | undefined,
  { buster, now, maxAgeMs, owner }: { buster: string; now: number; maxAgeMs: number; owner: string | null },
): PersistedClient | undefined {
  if (!stored) return undefined;
  const current = stored.buster === buster && now - stored.timestamp <= maxAgeMs;
  const sameOwner = (stored.owner ?? null) === owner;
  if (current && sameOwner) return stored;
  // Another format only comes with another build, which React Query drops whole.
  if ((stored.outboxFormat ?? 1) !== OUTBOX_FORMAT) return current ? undefined : stored;
  const mutations = stored.clientState.mutations.filter(
    (m) => m.state.status === 'pending' && isOfflineMutationKey(m.mutationKey),
  );
  if (mutations.length === 0 && !current) return stored;
  return { buster, timestamp: now, clientState: { queries: [], mutations } };
}

/** The persister of this build: throttled writes to IndexedDB, restores that keep the outbox (above). */
export function createPersister(buster: string, maxAgeMs: number = PERSIST_MAX_AGE_MS): Persister {
  const base = createAsyncStoragePersister({ key: PERSIST_KEY, throttleTime: 100, storage, serialize });
  return {
    ...base,
    restoreClient: async () => keepOutbox(await base.restoreClient(), { buster, now: Date.now(), maxAgeMs, owner: storedUserId() }),
  };
}

/**
 * Writes the cache now (not throttled): called when the page is hidden or about to close. Straight to
 * storage, not through the persister: its writes are throttled, and a call made while one is already
 * scheduled only replaces that write's data and returns at once — the page could be gone before the
 * write. A throttled write cannot undo this one: one already running opened its IndexedDB transaction
 * first, so it commits first; one that runs later carries the cache as of the latest change, which
 * holds everything written here. Never rejects: a failure is reported through `subscribeStorageProblem`.
 */
export async function flushPersistence(queryClient: QueryClient, buster: string): Promise<void> {
  const client: PersistedClient = { buster, timestamp: Date.now(), clientState: dehydrate(queryClient, dehydrateOptions) };
  try {
    await storage.setItem(PERSIST_KEY, serialize(client));
  } catch {
    // Reported by storage.setItem; the throttled persister keeps trying on the next change.
  }
}
