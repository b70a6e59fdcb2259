import { DEMO_PASSWORD } from './api.ts';
import { expect, test } from './fixtures.ts';
import { BIG_COHORT, QUIET_STUDENTS } from './seed-big-cohort.ts';
import { expectNoSeriousA11yViolations, signInThroughUi } from './ui.ts';

test('the instructor opens the big cohort\'s analytics, sees every section, and a student at risk leads to their roster row', async ({ page }) => {
  await signInThroughUi(page, 'instructor@example.com', DEMO_PASSWORD);
  await page.goto(`/instructor/cohorts/${BIG_COHORT.id}`);
  await page.getByRole('navigation', { name: 'Cohort tools' }).getByRole('link', { name: 'Analytics' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Cohort analytics' })).toBeVisible();

  // The members who joined a month ago and never answered, longest quiet first.
  await expect(page.getByRole('heading', { name: `Students at risk (${QUIET_STUDENTS})` })).toBeVisible();
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
  await expect(page.getByRole('rowheader', { name })).toBeFocused();
});
