import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

const student = { email: 'student@example.com', password: 'rounds-demo' };

async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious).toEqual([]);
}

async function signIn(page: Page, password: string): Promise<void> {
  await page.getByLabel('Email').fill(student.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('the sign-in page has no serious accessibility violations', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test('a student signs in, lands on home with the main navigation, and signs out', async ({ page }) => {
  await page.goto('/');
  await signIn(page, student.password);

  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'New block' })).toBeVisible();
  await expect(page).toHaveURL(/\/$/);
  await expectNoSeriousA11yViolations(page);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('a private page asks signed-out visitors to sign in first', async ({ page }) => {
  await page.goto('/settings');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page).toHaveURL(/\/signin$/);
});

test('a wrong password shows a friendly error', async ({ page, consoleErrors }) => {
  // Chromium logs every failed request to the console; the 400 from the token endpoint is the point here.
  consoleErrors.expect(/status of 400/);
  await page.goto('/');
  await signIn(page, 'not-the-password');

  await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});
