import { expect, test } from '../support/test';
import { STAFF, signIn, unique } from '../support/app';
import { applyWithoutJs } from '../support/journeys';
import { linkIn, waitForMails } from '../support/mail';

test.describe.configure({ timeout: 120_000 });

// The audit log without JavaScript: the filters, the paging link and the chain check are plain
// GET forms and links.
test('an admin filters the audit log and checks its chain without JavaScript', async ({ page }) => {
  await signIn(page, STAFF.admin);
  await page.goto('/admin/audit');
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  await page.getByLabel('Kind').selectOption({ label: 'Signed in or out' });
  await page.getByLabel('Who').selectOption({ label: 'Alex Admin' });
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/kind=signin/);
  const rows = page.locator('table.audit-table tbody tr');
  await expect(rows.first()).toContainText('Signed in');
  for (const row of await rows.all()) {
    await expect(row).toContainText('Alex Admin');
  }
  await page.getByRole('button', { name: 'Check the chain' }).click();
  await expect(page).toHaveURL(/check=1/);
  await expect(page.getByRole('status').filter({ hasText: 'The audit log is intact' })).toBeVisible();
});

// A candidate without JavaScript asks for erasure from the portal (a plain form post).
test('a candidate asks for erasure without JavaScript', async ({ page, browser }) => {
  const u = unique('');
  const name = `Noa ${unique('Nojs')}`;
  const email = `noa.${u}@example.org`;
  await applyWithoutJs(browser, 'customer-success', name, email);
  const [mail] = await waitForMails(email, 1);
  await page.goto(linkIn(mail, '/portal/auth?token='));
  await page.getByRole('button', { name: 'Continue to my applications' }).click();
  await expect(page).toHaveURL(/\/portal$/);
  const section = page.locator('section.portal-privacy');
  await section.getByLabel('I want my data erased').check();
  await section.getByRole('button', { name: 'Ask us to erase my data' }).click();
  await expect(page.locator('section.portal-privacy .privacy-asked')).toContainText('You asked us to erase your data on');
});
