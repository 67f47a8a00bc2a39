import { expect, test } from '../support/test';
import { STAFF, signIn } from '../support/app';

// The screening list is server-rendered and filtered by a plain GET form.
test('the screening list ranks and filters without JavaScript', async ({ page }) => {
  await signIn(page, STAFF.recruiter, '/app/jobs/rust-backend/screening');
  const table = page.getByRole('table', { name: 'Applications by screening score' });
  await expect(table).toBeVisible();
  await expect(table.locator('thead th')).toContainText(['Candidate', 'Stage', 'Score', 'Rust', 'At least 3 years of Rust']);
  // Best first: a pass before any miss.
  await expect(table.locator('tbody tr').first().locator('.score-badge')).toContainText('passes');
  await page.getByLabel('Show', { exact: true }).selectOption({ label: 'Misses a must-have' });
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/only=failed/);
  const badges = table.locator('tbody .score-badge');
  await expect(badges.first()).toContainText('misses a must-have');
  await expect(table.locator('tbody .score-badge', { hasText: 'passes' })).toHaveCount(0);
});
