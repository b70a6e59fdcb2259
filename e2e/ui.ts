/** Page-level helpers shared by the specs. */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect } from './fixtures.ts';
import { pageAccessToken, signUpStudent, type Student } from './api.ts';
import type { QueueBlockInput } from '../src/app/e2e-hooks.ts';

/** Fails with the rule ids and targets of every serious or critical axe-core violation on the page. */
export async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious).toEqual([]);
}

/** Signs in through the form and waits for home. */
export async function signInThroughUi(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/signin');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

/** Resolves once a service worker is active and controls the page (sw.ts claims on first install). */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (navigator.serviceWorker.controller) return;
    await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
  });
}

/** Resolves once the e2e build's test hooks (src/app/e2e-hooks.ts) are installed on the page. */
export async function waitForE2EHooks(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__roundsE2E !== undefined);
}

/**
 * One entry of idb-keyval's default store (database 'keyval-store', object store 'keyval') as the page
 * sees it: resolves to its value before `change` (undefined when there was none); `change` then puts a new
 * value or deletes the entry.
 */
export async function storedValue(page: Page, key: string, change?: { put: string } | 'delete'): Promise<unknown> {
  return page.evaluate(
    async ({ key: k, change: c }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open('keyval-store');
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const store = db.transaction('keyval', 'readwrite').objectStore('keyval');
      const before = await new Promise<unknown>((resolve, reject) => {
        const req = store.get(k);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      if (c !== undefined) {
        await new Promise<void>((resolve, reject) => {
          const req = c === 'delete' ? store.delete(k) : store.put(c.put, k);
          req.onsuccess = () => resolve();
          req.onerror = () => reject(req.error);
        });
      }
      db.close();
      return before;
    },
    { key, change },
  );
}

/**
 * The query cache the persister last wrote to IndexedDB (its stored JSON string, or null); with `replace`,
 * that string is stored in its place first (to make it look written by another build, say).
 */
export async function persistedCache(page: Page, replace?: string): Promise<string | null> {
  const raw = await storedValue(page, 'rounds.query-cache.v1', replace === undefined ? undefined : { put: replace });
  return typeof raw === 'string' ? raw : null;
}

/** Offline mutations in the cache the persister last wrote to IndexedDB, by their key's first part. */
export async function persistedOfflineMutations(page: Page): Promise<{ answers: number; attempts: number }> {
  const raw = await persistedCache(page);
  const counts = { answers: 0, attempts: 0 };
  if (raw === null) return counts;
  const client: { clientState?: { mutations?: { mutationKey?: unknown[]; state?: { status?: string } }[] } } = JSON.parse(raw);
  for (const m of client.clientState?.mutations ?? []) {
    const scope = m.mutationKey?.[0];
    if (m.state?.status === 'pending' && (scope === 'answers' || scope === 'attempts')) counts[scope]++;
  }
  return counts;
}

/**
 * A new student signed in through the form on `page`, with the service worker in control and the e2e
 * hooks installed: ready to go offline. Returns the student and their access token.
 */
export async function signInNewStudent(page: Page, tag: string): Promise<{ student: Student; token: string }> {
  const student = await signUpStudent(tag);
  await signInThroughUi(page, student.email, student.password);
  await waitForServiceWorker(page);
  await waitForE2EHooks(page);
  return { student, token: await pageAccessToken(page) };
}

/** Queues a block through the app's own mutations (the e2e hook `queueBlock`, src/app/e2e-hooks.ts). */
export async function queueBlock(page: Page, input: QueueBlockInput): Promise<{ attemptId: string; answerIds: string[] }> {
  return page.evaluate((block) => {
    const hooks = window.__roundsE2E;
    if (!hooks) throw new Error('e2e hooks missing: build with npm run build:e2e');
    return hooks.queueBlock(block);
  }, input);
}
