import { DEMO_PASSWORD } from './api.ts';
import { expect, test } from './fixtures.ts';
import { BIG_COHORT, QUIET_STUDENTS } from './seed-big-cohort.ts';
import { expectNoSeriousA11yViolations, signInThroughUi } from './ui.ts';

test('the instructor opens the big cohort\'s analytics, sees every section, and a student at risk leads to their roster row', async ({ page }) => {
  test.setTimeout(120_000);
  await signInThroughUi(page, 'instructor@example.com', DEMO_PASSWORD);
  await page.goto(`/instructor/cohorts/${BIG_COHORT.id}`);
  await page.getByRole('navigation', { name: 'Cohort tools' }).getByRole('link', { name: 'Analytics' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Cohort analytics' })).toBeVisible();

  // The members who joined a month ago and never answered, longest quiet first.
  // The first reads of a fresh server on a busy machine can take seconds (PGlite plans cold).
  await expect(page.getByRole('heading', { name: `Students at risk (${QUIET_STUDENTS})` })).toBeVisible({ timeout: 20_000 });
  const risk = page.getByRole('region', { name: `Students at risk (${QUIET_STUDENTS})` });
  await expect(risk.getByRole('row')).toHaveCount(QUIET_STUDENTS + 1);
  await expect(risk.getByRole('row').nth(1)).toContainText('Never answered');

  await expect(page.getByRole('heading', { name: 'Where the class is weak' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'By organ system' }).getByRole('row')).not.toHaveCount(1);
  await expect(page.getByRole('heading', { name: 'Weakest topics' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Weekly activity' })).toBeVisible();
  // 8 weeks in the activity table (plus its header row); the 40 students with answers are active this week.
  const activity = page.getByRole('region', { name: 'Weekly activity' });
  await expect(activity.getByRole('row')).toHaveCount(9);
  await expect(activity.getByRole('row').last()).toContainText('40');
  await expectNoSeriousA11yViolations(page);

  // A student's link opens the cohort page on their roster row (past the roster's first 500), focused.
  const first = risk.getByRole('row').nth(1).getByRole('link');
  const name = (await first.textContent()) ?? '';
  await first.click();
  // The roster of 10,000 (get_cohort_roster, e-mail addresses and last activity per member) takes a while on PGlite.
  await expect(page.getByRole('rowheader', { name })).toBeFocused({ timeout: 60_000 });
});
