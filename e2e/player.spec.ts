/**
 * Building and taking blocks: the create page, the keyboard-first player (tutor and timed), the answers
 * reaching the server, and axe on both screens. Tests that change a student's history use a fresh
 * student signed up through the API, except the keyboard walk-through, which is the demo student's.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { pageAccessToken, serverAnswerIds, signUpStudent, type Student } from './api.ts';

const demoStudent: Student = { email: 'student@example.com', password: 'rounds-demo' };

async function signIn(page: Page, student: Student): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Email').fill(student.email);
  await page.getByLabel('Password').fill(student.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious).toEqual([]);
}

/** How many answers the server holds for an attempt, read with the page's own session (RLS: own rows). */
async function serverAnswerCount(page: Page, attemptId: string): Promise<number> {
  return (await serverAnswerIds(await pageAccessToken(page), attemptId)).length;
}

/** Focus a control the way Tab would reach it, then operate it with a key (no mouse anywhere). */
async function press(page: Page, locator: ReturnType<Page['getByRole']>, key: string): Promise<void> {
  await locator.focus();
  await page.keyboard.press(key);
}

/** The create page's live count ("37 questions match — …"). */
const blockStatus = (page: Page) => page.getByRole('form', { name: 'Create a block' }).getByRole('status');

const attemptIdFrom = (url: string): string => {
  const id = /\/blocks\/([0-9a-f-]{36})/.exec(url)?.[1];
  if (!id) throw new Error(`no attempt id in ${url}`);
  return id;
};

test('the demo student builds a 5-question tutor block and answers it with the keyboard only', async ({ page }) => {
  await signIn(page, demoStudent);
  await press(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New block' }), 'Enter');
  await expect(page.getByRole('heading', { name: 'Create a block' })).toBeVisible();

  await press(page, page.getByRole('radio', { name: /^Tutor/ }), 'Space');
  const size = page.getByLabel('Number of questions');
  await size.focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('5');
  await press(page, page.getByRole('radio', { name: /^All/ }), 'Space');
  await expect(blockStatus(page)).toHaveText(/^\d+ questions match — your block will have 5 questions\.$/);

  // Clearing a group leaves nothing to pick from: Start is disabled and the page says why.
  await press(page, page.getByRole('button', { name: 'Clear organ systems' }), 'Enter');
  await expect(blockStatus(page)).toHaveText('Choose at least one organ system.');
  await expect(page.getByRole('button', { name: 'Start block' })).toBeDisabled();
  await press(page, page.getByRole('button', { name: 'All organ systems' }), 'Enter');
  await expect(page.getByRole('button', { name: 'Start block' })).toBeEnabled();
  await expectNoSeriousA11yViolations(page);

  await press(page, page.getByRole('button', { name: 'Start block' }), 'Enter');
  await expect(page).toHaveURL(/\/blocks\/[0-9a-f-]{36}$/);
  const attemptId = attemptIdFrom(page.url());

  for (let n = 1; n <= 5; n++) {
    await expect(page.getByRole('heading', { name: `Question ${n} of 5` })).toBeVisible();
    if (n === 1) {
      // X strikes the selected choice (and deselects it).
      await page.keyboard.press('b');
      await expect(page.getByRole('radio', { name: /^B\./ })).toBeChecked();
      await page.keyboard.press('x');
      await expect(page.getByRole('button', { name: 'Strike out B' })).toHaveAttribute('aria-pressed', 'true');
      await expect(page.getByRole('radio', { name: /^B\./ })).not.toBeChecked();
    }
    if (n === 2) {
      await page.keyboard.press('m');
      await expect(page.getByRole('button', { name: /^Mark/ })).toHaveAttribute('aria-pressed', 'true');
      await expect(page.getByRole('button', { name: 'Question 2, not answered, marked' })).toBeVisible();
    }
    if (n === 3) {
      await page.keyboard.press('l');
      const labs = page.getByRole('dialog', { name: 'Lab values' });
      await expect(labs).toBeVisible();
      await expect(labs.getByRole('heading', { name: 'Serum chemistry' })).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(labs).toBeHidden();
      // Focus is back where it was before L (the question heading, after N moved there).
      await expect(page.getByRole('heading', { name: 'Question 3 of 5' })).toBeFocused();
    }
    await page.keyboard.press('a');
    await expect(page.getByRole('radio', { name: /^A\./ })).toBeChecked();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Explanation' })).toBeVisible();
    await expect(page.getByRole('heading', { name: /^(Correct|Incorrect)$/ })).toBeVisible();
    await expect(page.getByRole('button', { name: new RegExp(`^Question ${n}, answered`) })).toHaveAttribute('aria-current', 'step');
    if (n === 1) await expectNoSeriousA11yViolations(page);
    if (n < 5) await page.keyboard.press('n');
  }

  await press(page, page.getByRole('button', { name: 'End block' }), 'Enter');
  const confirm = page.getByRole('dialog', { name: 'End this block?' });
  await expect(confirm).toContainText('5 of 5 answered');
  await expect(confirm).toContainText('0 questions unanswered');
  await expect(confirm).toContainText('1 question marked');
  // Focus starts on "Keep working"; Tab moves to "End block".
  await expect(confirm.getByRole('button', { name: 'Keep working' })).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL(new RegExp(`/blocks/${attemptId}/review$`));
  await expect.poll(() => serverAnswerCount(page, attemptId)).toBe(5);
});

test('a timed block ends by itself when the time runs out, submitting the pending selection', async ({ page }) => {
  const student = await signUpStudent();
  await page.clock.install();
  await signIn(page, student);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New block' }).click();

  await page.getByRole('radio', { name: /^Timed/ }).check();
  await page.getByLabel('Number of questions').fill('1');
  await expect(blockStatus(page)).toHaveText(/^\d+ questions match — your block will have 1 question\.$/);
  await page.getByRole('button', { name: 'Start block' }).click();
  await expect(page).toHaveURL(/\/blocks\/[0-9a-f-]{36}$/);
  const attemptId = attemptIdFrom(page.url());

  await expect(page.getByRole('timer', { name: 'Time left' })).toHaveText(/^01:(30|29)$/);
  await page.keyboard.press('c');
  await expect(page.getByRole('radio', { name: /^C\./ })).toBeChecked();
  await expectNoSeriousA11yViolations(page);

  await page.clock.fastForward('01:31');
  await expect(page).toHaveURL(new RegExp(`/blocks/${attemptId}/review$`));
  await expect.poll(() => serverAnswerCount(page, attemptId)).toBe(1);
});

test('a reload in the middle of a block keeps answers, marks and the current question', async ({ page }) => {
  const student = await signUpStudent();
  await signIn(page, student);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New block' }).click();
  await page.getByLabel('Number of questions').fill('3');
  await page.getByRole('button', { name: 'Start block' }).click();
  await expect(page).toHaveURL(/\/blocks\/[0-9a-f-]{36}$/);
  const attemptId = attemptIdFrom(page.url());
  // The player's shortcuts exist once it is on screen (its route is a lazy chunk).
  await expect(page.getByRole('heading', { name: 'Question 1 of 3' })).toBeVisible();

  await page.keyboard.press('d');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Explanation' })).toBeVisible();
  await page.keyboard.press('n');
  await page.keyboard.press('m');
  await expect(page.getByRole('button', { name: 'Question 2, not answered, marked' })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Question 2 of 3' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Question 1, answered' })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Mark/ })).toHaveAttribute('aria-pressed', 'true');
  // The answer given before the reload reached the server once, and is not sent again.
  await expect.poll(() => serverAnswerCount(page, attemptId)).toBe(1);
  await page.keyboard.press('p');
  await expect(page.getByRole('radio', { name: /^D\./ })).toBeChecked();
  await expect(page.getByRole('heading', { name: 'Explanation' })).toBeVisible();
});

test('a block starts and is answered while the server is failing; everything syncs once it recovers', async ({ page, consoleErrors }) => {
  test.setTimeout(120_000);
  // Chromium logs the refused requests; they are the point of this test.
  consoleErrors.expect(/status of 500/);
  const student = await signUpStudent();
  await signIn(page, student);
  let failing = true;
  await page.route('**/rest/v1/rpc/submit_answers', (route) =>
    failing
      ? route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ code: 'XX000', message: 'boom', details: null, hint: null }) })
      : route.fallback(),
  );
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New block' }).click();
  await page.getByLabel('Number of questions').fill('2');
  await page.getByRole('button', { name: 'Start block' }).click();

  await expect(page.getByRole('heading', { name: 'Question 1 of 2' })).toBeVisible();
  // The student works through the block on this device; the answer waits calmly in the outbox.
  await page.keyboard.press('a');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Explanation' })).toBeVisible();
  await expect(page.getByTestId('sync-status')).toContainText(/1 answer waiting to sync|Syncing 1 answer/);

  // The server recovers: the block and its answer reach it once, without the student doing anything.
  failing = false;
  // "Sync now" speeds it up when it is offered; the queue must drain by itself either way (its retry
  // backoff and the client's circuit breaker both end within 30 s).
  await page.getByRole('button', { name: /^(Sync now|Retry)$/ }).click({ timeout: 5_000 }).catch(() => undefined);
  const attemptId = attemptIdFrom(page.url());
  await expect.poll(() => serverAnswerCount(page, attemptId), { timeout: 75_000 }).toBe(1);
  await expect(page.getByTestId('sync-status')).toContainText('All answers synced');
});
