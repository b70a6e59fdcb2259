import { createFinishedBlock, demoStudent, signedInClient } from './api.ts';
import { expect, test } from './fixtures.ts';
import { expectNoSeriousA11yViolations, signInThroughUi } from './ui.ts';

test('a finished block is reviewed with answers, keys, explanations and how the cohort answered', async ({ page }) => {
  const block = await createFinishedBlock(await signedInClient(demoStudent.email));
  const [first, second] = block.questions;
  if (!first || !second) throw new Error('block too short');

  await signInThroughUi(page, demoStudent.email, demoStudent.password);
  await page.goto(`/blocks/${block.id}/review`);

  const summary = page.getByRole('region', { name: 'Block review' });
  await expect(summary).toContainText('3 of 5 correct (60 %)');
  await expect(summary).toContainText('Tutor block');

  // Question 1: peers have answered it, the student got it right.
  const q1 = page.getByRole('article', { name: /^Question 1 of 5/ });
  await expect(q1).toContainText(first.stem.slice(0, 60));
  await expect(q1.getByText('Correct', { exact: true })).toBeVisible();
  const key1 = q1.getByRole('listitem').filter({ has: page.getByText('Correct answer') });
  await expect(key1).toContainText(`${first.correct_choice}.`);
  await expect(key1).toContainText('Your answer');
  await expect(q1).toContainText(first.explanation.slice(0, 60));
  await expect(q1.getByText(/% of peers chose/)).toHaveCount(5);
  await expect(q1).toContainText(/how \d+ classmates answered on their first try/);

  // Question 2: wrong, marked, and too few peers for a distribution.
  const q2 = page.getByRole('article', { name: /^Question 2 of 5/ });
  await expect(q2.getByText('Incorrect', { exact: true })).toBeVisible();
  await expect(q2.getByText('Marked', { exact: true })).toBeVisible();
  await expect(q2.getByRole('listitem').filter({ has: page.getByText('Correct answer') })).toContainText(`${second.correct_choice}.`);
  await expect(q2.getByRole('listitem').filter({ has: page.getByText('Your answer') })).not.toContainText('Correct answer');
  await expect(q2).toContainText('Not enough peers yet');
  await expect(q2).toContainText(second.explanation.slice(0, 60));

  await expectNoSeriousA11yViolations(page);

  await page.getByRole('radio', { name: 'Incorrect (2)' }).check();
  const shown = page.getByRole('article');
  await expect(shown).toHaveCount(2);
  await expect(shown.nth(0)).toHaveAccessibleName(/^Question 2 of 5/);
  await expect(shown.nth(1)).toHaveAccessibleName(/^Question 4 of 5/);

  await page.getByRole('radio', { name: 'Marked (1)' }).check();
  await expect(shown).toHaveCount(1);
  await expect(shown.first()).toHaveAccessibleName(/^Question 2 of 5/);

  await page.getByRole('radio', { name: 'All (5)' }).check();
  await expect(shown).toHaveCount(5);
});

test('the home page links a finished block to its review', async ({ page }) => {
  const block = await createFinishedBlock(await signedInClient(demoStudent.email));
  await signInThroughUi(page, demoStudent.email, demoStudent.password);

  const recent = page.getByRole('region', { name: 'Recent blocks' });
  const item = recent.getByRole('listitem').filter({ has: page.locator(`a[href="/blocks/${block.id}/review"]`) });
  await expect(item).toContainText('Tutor · 5 questions');
  await expect(item).toContainText('3 of 5 correct (60 %)');
  await item.getByRole('link', { name: 'Review' }).click();
  await expect(page).toHaveURL(new RegExp(`/blocks/${block.id}/review$`));
  await expect(page.getByRole('region', { name: 'Block review' })).toBeVisible();
});
