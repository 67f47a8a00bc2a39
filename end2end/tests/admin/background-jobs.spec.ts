import { expect, test } from '../support/test';
import { STAFF, hydrated, signIn } from '../support/app';

// The demo seeds exactly one background job that failed for good (a Slack message); this is the
// only test that retries it.
test('an admin sees the failed Slack message with its error and retries it', async ({ page }) => {
  await signIn(page, STAFF.admin);
  await hydrated(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Background jobs' }).click();
  await expect(page).toHaveURL(/\/admin\/jobs$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Background jobs that failed' })).toBeVisible();
  await hydrated(page);

  const dead = page.locator('li.dead-job', { hasText: 'Slack message' });
  await expect(dead).toHaveCount(1);
  await expect(dead.locator('strong')).toHaveText('Slack message');
  await expect(dead).toContainText('8 attempt(s)');
  await expect(dead.locator('.field-error')).toHaveText('Slack answered 404 Not Found (the webhook was removed in Slack)');

  await dead.getByRole('button', { name: 'Retry' }).click();
  await expect(dead).toHaveCount(0);
  await expect(page.getByText('No failed background jobs.')).toBeVisible();
  await expect(page.locator('.banner-error')).toHaveCount(0);

  // Queued again and done (Slack is not configured here): it does not come back.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Background jobs that failed' })).toBeVisible();
  await expect(page.getByText('No failed background jobs.')).toBeVisible();
});

test('a recruiter has no link to background jobs and the page refuses them', async ({ page }) => {
  await signIn(page, STAFF.recruiter);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Jobs', exact: true })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Background jobs' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Outbox' })).toHaveCount(0);

  await page.goto('/admin/jobs');
  await expect(page.locator('.banner-error')).toContainText('You do not have access to this.');
  await expect(page.locator('li.dead-job')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  await expect(page.getByText('No failed background jobs.')).toHaveCount(0);
});
