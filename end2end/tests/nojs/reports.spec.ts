import { expect, test } from '../support/test';
import { STAFF, signIn } from '../support/app';

// The reports' filters are a plain GET form, and the charts are drawn on the server.
test('reports filter and draw without JavaScript', async ({ page }) => {
  await signIn(page, STAFF.recruiter, '/app/reports');
  await expect(page.getByRole('img', { name: 'Applications reaching each stage' })).toBeVisible();
  await page.getByLabel('Job', { exact: true }).selectOption({ label: 'Senior Backend Engineer (Rust)' });
  await page.getByLabel('Applied from').fill('2001-02-01');
  await page.getByLabel('Applied until').fill('2001-01-01');
  await page.getByRole('button', { name: 'Show' }).click();
  // A period that ends before it starts is named, and the filters can be cleared.
  await expect(page.getByText('The period must start before it ends.')).toBeVisible();
  await page.getByRole('link', { name: 'Clear filters' }).click();
  await page.getByLabel('Job', { exact: true }).selectOption({ label: 'Senior Backend Engineer (Rust)' });
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/[?&]job=rust-backend/);
  await expect(page.getByRole('table', { name: 'Funnel by stage' }).locator('tr[data-stage="Hired"]')).toBeVisible();
  await expect(page.getByRole('img', { name: 'Applications per source' })).toBeVisible();
});
