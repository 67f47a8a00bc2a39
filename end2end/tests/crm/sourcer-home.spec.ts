import { expect, test } from '../support/test';
import { STAFF, hydrated, signIn } from '../support/app';

// A sourcer starts the day on their own home: who replied and waits for an answer, what the
// recent campaigns drew, and who is new in the talent pool.
test('a sourcer home shows replies to answer and campaign activity, and leads to each', async ({ page }) => {
  await signIn(page, STAFF.sourcer);
  await hydrated(page);
  await expect(page).toHaveTitle(/^Home/);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Home' })).toHaveAttribute('aria-current', 'page');

  const replies = page.getByRole('region', { name: /Replies to answer/ });
  await expect(replies.locator('.badge')).toHaveText(/^[1-9]\d*$/);
  // Other specs add replies of their own meanwhile: this one's are the demo campaign's.
  const first = replies.locator('li', { hasText: 'Silver medalists: new backend roles' }).first();
  await expect(first).toBeVisible();
  const name = (await first.locator('a').first().textContent())!;

  const activity = page.getByRole('table');
  const row = activity.getByRole('row', { name: /Silver medalists: new backend roles/ });
  await expect(row).toContainText('completed');
  await expect(row.getByRole('cell').last()).toHaveText(/^\d+$/);

  await first.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name, exact: true })).toBeVisible();
  await page.goBack();
  await row.getByRole('link', { name: 'Silver medalists: new backend roles' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Silver medalists: new backend roles' })).toBeVisible();
});
