/** Every address answers: a page, a redirect to where it can be reached, or "Page not found" with a way back. */
import { DEMO_PASSWORD, demoStudent } from './api.ts';
import { expectNoSeriousA11yViolations, signInThroughUi, waitForServiceWorker } from './ui.ts';
import { expect, test } from './fixtures.ts';

test('signed out: an unknown address says so and leads to sign-in; a private one asks to sign in', async ({ page }) => {
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(page).toHaveTitle('Page not found · Rounds');
  await expect(page.getByText('/no/such/page')).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.getByRole('link', { name: 'Go to sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

  await page.goto('/instructor/questions');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page).toHaveURL(/\/signin$/);
});

test('signed in, online and offline: an unknown address is "Page not found", not home', async ({ page, context, consoleErrors }) => {
  // Offline, Chromium logs the requests the app tries (the role lookup); that is the point of the step.
  consoleErrors.expect(/ERR_INTERNET_DISCONNECTED|Failed to fetch|Failed to load resource/);
  await signInThroughUi(page, demoStudent.email, demoStudent.password);
  await waitForServiceWorker(page);
  await page.goto('/instructor/items');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(page).toHaveTitle('Page not found · Rounds');
  await expect(page.getByRole('heading', { name: 'Home' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Go to Home' }).click();
  await expect(page.getByRole('heading', { name: 'Home' })).toBeVisible();
  await expect(page).toHaveTitle('Home · Rounds');

  await context.setOffline(true);
  await page.goto('/blocks/new/extra');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await context.setOffline(false);

  // A page that exists for another role says so.
  await page.goto('/instructor');
  await expect(page.getByRole('heading', { name: 'Instructors only' })).toBeVisible();
  // And sign-in, while signed in, is home.
  await page.goto('/signin');
  await expect(page.getByRole('heading', { name: 'Home' })).toBeVisible();
});

test('an instructor on an address that does not exist under /instructor gets "Page not found"', async ({ page }) => {
  await signInThroughUi(page, 'instructor@example.com', DEMO_PASSWORD);
  await page.goto('/instructor/items');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});
