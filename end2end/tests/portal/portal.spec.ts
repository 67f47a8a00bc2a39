import { expect, test } from '@playwright/test';
import { Board, STAFF, applyAs, hydrated, signIn, unique } from '../support/app';
import { linkIn, waitForMails } from '../support/mail';

test('a candidate follows the application from the magic link and withdraws it', async ({ page, browser }) => {
  const email = `${unique('cand')}@example.org`;
  const name = `Cleo ${unique('Portal')}`;
  await applyAs(browser, 'product-designer', name, email);

  // The recruiter moves the candidate to Phone screen.
  const staff = await browser.newContext();
  const sp = await staff.newPage();
  await signIn(sp, STAFF.recruiter, '/app/jobs/product-designer/board');
  await hydrated(sp);
  await new Board(sp).moveWithMenu(name, 'Phone screen');
  await expect(new Board(sp).column('Phone screen').locator('li.board-card', { hasText: name })).toBeVisible();
  await staff.close();

  const [mail] = await waitForMails(email);
  // Opening the link signs nobody in (mail scanners open links too); its button does, once.
  const link = linkIn(mail, '/portal/auth?token=');
  await page.goto(link);
  await expect(page).toHaveURL(/\/portal\/signin\?token=/);
  await page.getByRole('button', { name: 'Continue to my applications' }).click();
  await expect(page).toHaveURL(/\/portal$/);
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: /^Hello, Cleo/ })).toBeVisible();
  const app = page.locator('article.portal-app', { hasText: 'Product Designer' });
  await expect(app.locator('.status')).toHaveText('In progress: Phone screen');
  await expect(app.locator('.timeline li')).toHaveCount(2);
  await expect(app.locator('.timeline li').nth(0)).toContainText('Moved to Phone screen');
  await expect(app.locator('.timeline li').nth(1)).toContainText('Applied for Product Designer');
  await expect(app.locator('.timeline time').first()).toHaveText(/\d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC/);

  await app.getByText('Withdraw this application').click();
  await app.getByRole('button', { name: 'Yes, withdraw my application' }).click();
  await expect(app.locator('.status')).toHaveText('Withdrawn');
  await expect(app.locator('.timeline li').first()).toContainText('You withdrew this application');
  await expect(app.getByText('Withdraw this application')).toHaveCount(0);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Follow your applications' })).toBeVisible();

  // The link was used: it does not sign in again.
  await page.goto(link);
  await page.getByRole('button', { name: 'Continue to my applications' }).click();
  await expect(page).toHaveURL(/\/portal\?link=used$/);
  await expect(page.locator('.banner-error')).toContainText('That link was used already');
});

test('an expired or forged link explains itself and a new link can be requested', async ({ page }) => {
  await page.goto('/portal/auth?token=forged.token');
  await expect(page).toHaveURL(/\/portal\?link=invalid$/);
  await hydrated(page);
  await expect(page.locator('.banner-error')).toContainText('That link is not valid');
  await page.getByRole('button', { name: 'Email me a link' }).click();
  await expect(page.locator('#f-email-error')).toHaveText('Enter an email address.');
  await page.getByLabel('Email').fill('someone@example.org');
  await page.getByRole('button', { name: 'Email me a link' }).click();
  await expect(page.locator('.banner-ok')).toContainText('If we hold data about that address');
});
