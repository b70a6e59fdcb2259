import { randomUUID } from 'node:crypto';
import { demoStudent } from './api.ts';
import { expectNoSeriousA11yViolations, signInThroughUi } from './ui.ts';
import { expect, test } from './fixtures.ts';

test('a new student signs up, joins a cohort by code and starts from zero', async ({ page }) => {
  const email = `e2e-${randomUUID().slice(0, 8)}@test.local`;

  await page.goto('/signin');
  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
  await expect(page.getByText('At least 6 characters.')).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await page.getByLabel('Display name').fill('Ada Student');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct-horse');
  await page.getByRole('button', { name: 'Create account' }).click();

  // Autoconfirm: the session starts and the app moves to home.
  await expect(page.getByRole('heading', { name: 'Home' })).toBeVisible();
  await expect(page).toHaveURL(/\/$/);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expect(page.getByLabel('Display name')).toHaveValue('Ada Student');
  await expect(page.getByText("You're not in a cohort yet")).toBeVisible();

  // Typed the way people read codes aloud: lower case with a space.
  await page.getByLabel('Join code').fill('rounds 28');
  await expect(page.getByLabel('Join code')).toHaveValue('ROUNDS28');
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'You joined Class of 2028 - Step 1.' })).toBeVisible();
  const myCohorts = page.getByRole('region', { name: 'My cohorts' });
  await expect(myCohorts.getByRole('listitem')).toHaveText(['Class of 2028 - Step 1']);

  await page.getByLabel('Leaderboard alias').fill('AdaLovesKrebs');
  await page.getByLabel('Hide me from leaderboards').check();
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
  const stats = page.getByRole('region', { name: 'Your stats' });
  await expect(stats.locator('dt', { hasText: 'Answered' })).toBeVisible();
  await expect(stats.getByRole('definition').first()).toHaveText('0');
  await expect(stats.getByText('Answer 10 more to be ranked')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Recent blocks' }).getByText('No blocks yet.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Create a block' })).toHaveAttribute('href', '/blocks/new');
  await expectNoSeriousA11yViolations(page);

  // The profile was stored, not just shown: a reload reads it back from the server.
  await page.goto('/settings');
  await expect(page.getByLabel('Leaderboard alias')).toHaveValue('AdaLovesKrebs');
  await expect(page.getByLabel('Hide me from leaderboards')).toBeChecked();

  // Then the first block, with the keyboard only: Tab-reachable controls and the player's shortcuts.
  const newBlock = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New block' });
  await newBlock.focus();
  await page.keyboard.press('Enter');
  const size = page.getByLabel('Number of questions');
  await size.focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('3');
  await page.getByRole('button', { name: 'Start block' }).focus();
  await page.keyboard.press('Enter');
  for (let n = 1; n <= 3; n++) {
    await expect(page.getByRole('heading', { name: `Question ${n} of 3` })).toBeVisible();
    await page.keyboard.press(String(n)); // 1–3 select A–C
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Explanation' })).toBeVisible();
    if (n < 3) await page.keyboard.press('ArrowRight');
  }
  await page.getByRole('button', { name: 'End block' }).focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/blocks\/[0-9a-f-]{36}\/review$/);
  // The review shows the three answers the server graded, with keys and explanations.
  await expect(page.getByText('Your answer')).toHaveCount(3, { timeout: 20_000 });
  await expect(page.getByTestId('sync-status')).toContainText('All answers synced');
});

test('signing up with an email that already has an account says to sign in instead', async ({ page, consoleErrors }) => {
  // Chromium logs the refused sign-up (422) to the console; that refusal is the point here.
  consoleErrors.expect(/status of 422/);
  await page.goto('/signup');
  await page.getByLabel('Display name').fill('Sam Again');
  await page.getByLabel('Email').fill('student@example.com');
  await page.getByLabel('Password').fill('whatever-long');
  await page.getByRole('button', { name: 'Create account' }).click();

  const alert = page.getByRole('alert');
  await expect(alert).toContainText('An account with this email already exists — sign in instead');
  await alert.getByRole('link', { name: 'Go to sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('a wrong join code shows the server’s explanation', async ({ page, consoleErrors }) => {
  consoleErrors.expect(/status of 400/);
  await page.goto('/signup');
  await page.getByLabel('Display name').fill('Code Tester');
  await page.getByLabel('Email').fill(`e2e-${randomUUID().slice(0, 8)}@test.local`);
  await page.getByLabel('Password').fill('correct-horse');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Home' })).toBeVisible();

  await page.goto('/settings');
  await page.getByLabel('Join code').fill('nope-1234');
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'No cohort has the join code NOPE1234.' })).toContainText(
    'Check the code with your instructor.',
  );
  await expect(page.getByLabel('Join code')).toHaveAttribute('aria-invalid', 'true');
});

test("home's accuracy is the plain share of correct answers, and the balanced score is labelled as such", async ({ page }) => {
  await signInThroughUi(page, demoStudent.email, demoStudent.password);
  const stats = page.getByRole('region', { name: 'Your stats' });
  const tile = (name: string) => stats.locator('dt', { hasText: new RegExp(`^${name}$`) }).locator('xpath=following-sibling::dd');
  await expect(tile('Answered')).toHaveText(/^\d+$/);
  const answered = Number(await tile('Answered').textContent());
  const correct = Number(await tile('Correct').textContent());
  expect(answered).toBeGreaterThan(0);
  await expect(tile('Accuracy')).toHaveText(`${Math.round((100 * correct) / answered)}\u00a0%`);
  await expect(stats.getByText(/Balanced across organ systems: \d+\u00a0%/)).toBeVisible();
});
