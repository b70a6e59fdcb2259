/**
 * The network cost of one 20-question tutor block, from the create page to the review, counted — a
 * deterministic budget (not a timing). Answers are given one by one as a student would, so each answer
 * is its own submit_answers call; the block's creation rides with the first answer's call when it is
 * still queued, and the completion is one more call.
 */
import { expect, test } from './fixtures.ts';
import { signUpStudent } from './api.ts';
import { signInThroughUi } from './ui.ts';

test('one 20-question block costs at most 2 requests per answer plus a few reads', async ({ page }) => {
  test.setTimeout(90_000); // 20 questions answered through the UI: ~10 s alone, up to ~30 s on a loaded 2-core runner
  const student = await signUpStudent('budget');
  await page.goto('/');
  await signInThroughUi(page, student.email, student.password);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New block' }).click();
  await page.getByLabel('Number of questions').fill('20');
  await expect(page.getByRole('button', { name: 'Start block' })).toBeEnabled();

  const requests: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/rest/') || url.pathname.startsWith('/auth/')) requests.push(`${r.method()} ${url.pathname}`);
  });
  await page.getByRole('button', { name: 'Start block' }).click();
  for (let n = 1; n <= 20; n++) {
    await expect(page.getByRole('heading', { name: `Question ${n} of 20` })).toBeVisible();
    await page.keyboard.press('a');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: new RegExp(`^Question ${n}, answered`) })).toBeVisible();
    if (n < 20) await page.keyboard.press('n');
  }
  await page.getByRole('button', { name: 'End block' }).click();
  await page.getByRole('dialog', { name: 'End this block?' }).getByRole('button', { name: 'End block' }).click();
  await expect(page).toHaveURL(/\/review$/);
  await expect(page.getByTestId('sync-status')).toContainText('All answers synced');
  await expect(page.getByText(/Score/).first()).toBeVisible();

  const submits = requests.filter((r) => r === 'POST /rest/v1/rpc/submit_answers').length;
  const reads = requests.length - submits;
  console.log(`one 20-question block: ${requests.length} API requests (${submits} submit_answers, ${reads} other)\n${requests.join('\n')}`);
  // 20 answers + the block's creation + its completion, at most (creation usually rides with answer 1).
  expect(submits).toBeLessThanOrEqual(22);
  expect(submits).toBeGreaterThanOrEqual(20);
  expect(reads).toBeLessThanOrEqual(12);
});
