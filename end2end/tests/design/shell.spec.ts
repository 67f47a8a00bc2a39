import { expect, test } from '../support/test';
import { STAFF, hydrated, signIn } from '../support/app';

test('an admin finds the design system in the sidebar; its drawer and toast work; others are refused', async ({ page, browser }) => {
  await signIn(page, STAFF.admin);
  await hydrated(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Design system' }).click();
  await expect(page).toHaveURL(/\/app\/styleguide$/);
  await expect(page).toHaveTitle('Design system · Acme');
  await expect(nav.getByRole('link', { name: 'Design system' })).toHaveAttribute('aria-current', 'page');
  // The email field shows its error the way every form does.
  await expect(page.locator('#f-sg-email-error')).toHaveText('Enter an email address like name@example.com.');
  await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');

  // The drawer opens over the page, takes focus, and Escape closes it.
  await page.getByRole('button', { name: 'Open a drawer' }).click();
  const drawer = page.getByRole('dialog', { name: 'Ada Lovelace' });
  await expect(drawer).toBeVisible();
  await expect(drawer).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(drawer).toHaveCount(0);
  await page.getByRole('button', { name: 'Open a drawer' }).click();
  await drawer.getByRole('button', { name: 'Close' }).click();
  await expect(drawer).toHaveCount(0);

  await page.getByRole('button', { name: 'Show a toast' }).click();
  await expect(page.locator('.toast')).toContainText('Moved Ada Lovelace to Interview.');

  // Not for recruiters: no link, and the page says so.
  const ctx = await browser.newContext();
  const rec = await ctx.newPage();
  await signIn(rec, STAFF.recruiter);
  await hydrated(rec);
  await expect(rec.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Design system' })).toHaveCount(0);
  await rec.goto('/app/styleguide');
  await expect(rec.getByText('You do not have access to this.')).toBeVisible();
  await ctx.close();
});

test('on a phone the page gets the screen and the menu opens the navigation', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  await signIn(page, STAFF.sourcer, '/app/people');
  await hydrated(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toBeHidden();
  // The page's heading starts near the top: the navigation does not take the screen.
  const h1 = await page.getByRole('heading', { level: 1 }).boundingBox();
  expect(h1!.y).toBeLessThan(200);
  await page.locator('label.nav-toggle-button').click();
  await expect(nav).toBeVisible();
  await nav.getByRole('link', { name: 'Campaigns' }).click();
  await expect(page).toHaveURL(/\/app\/campaigns$/);
  // Going somewhere closes the menu again.
  await expect(nav).toBeHidden();
  await ctx.close();
});
