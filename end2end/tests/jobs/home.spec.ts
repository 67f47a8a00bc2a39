import { expect, test } from '../support/test';
import { STAFF, applyAs, hydrated, signIn, unique } from '../support/app';

test('a recruiter starts the day on the home: new applicants since the last visit, stuck candidates, every pipeline', async ({ page, browser }) => {
  await signIn(page, STAFF.recruiter);
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Hello, Riley' })).toBeVisible();

  // Someone applies while the recruiter is signed in: the home lists them as new.
  const name = `Nova ${unique('Newcomer')}`;
  await applyAs(browser, 'customer-success', name, `${unique('nova')}@example.org`);
  await page.reload();
  await hydrated(page);
  const fresh = page.locator('section.todo', { hasText: 'New applicants' });
  await expect(fresh.getByRole('link', { name })).toBeVisible();
  await expect(fresh.locator('li', { hasText: name })).toContainText('Customer Success');

  // The demo data has candidates nobody moved for weeks.
  const stuck = page.locator('section.todo', { hasText: 'Stuck for 14+ days' });
  await expect(stuck.locator('li').first()).toContainText(/\d+ days/);

  // Each open job shows its candidates per stage and leads to its board.
  const job = page.locator('li.job-pipeline', { hasText: 'Customer Success' });
  await expect(job.locator('.stage-bar-name')).toContainText(['Applied', 'Phone screen', 'Interview', 'Offer', 'Hired']);
  expect(Number(await job.locator('.stage-bar-count').first().textContent())).toBeGreaterThan(0);
  await job.getByRole('link', { name: 'Pipeline' }).click();
  await expect(page).toHaveURL(/\/app\/jobs\/customer-success\/board$/);

  // The full list of jobs (closed ones too) is one click away.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Jobs' })).toBeVisible();
});
