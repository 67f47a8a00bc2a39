import { expect, test } from '../support/test';
import { STAFF, hydrated, signIn } from '../support/app';

test('the command palette jumps to a page, a job or a person from the keyboard', async ({ page }) => {
  await signIn(page, STAFF.admin);
  await hydrated(page);
  // Signing in lands on the home without a reload: the palette is there once its button is.
  await expect(page.getByRole('button', { name: /Go to/ })).toBeVisible();
  const palette = page.getByRole('dialog', { name: 'Go to' });
  const box = palette.getByRole('combobox', { name: 'Go to a page, job or person' });

  // A page, by part of its name.
  await page.keyboard.press('Control+k');
  await expect(box).toBeFocused();
  await box.pressSequentially('campa');
  await expect(palette.getByRole('option').first()).toContainText('Campaigns');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/app\/campaigns$/);
  await expect(palette).toHaveCount(0);

  // A job: arrows choose among the matches.
  await page.getByRole('button', { name: /Go to/ }).click();
  await box.pressSequentially('customer');
  await expect(palette.getByRole('option', { name: /Customer Success/ })).toBeVisible();
  await expect(palette.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
  // Enter in the box (once, under the full suite's load, a page-level Enter went nowhere).
  await box.press('Enter');
  await expect(page).toHaveURL(/\/app\/jobs\/customer-success$/);

  // A person, from the search index (someone from the people list).
  await page.goto('/app/people');
  await hydrated(page);
  const name = (await page.locator('.people-table a[href^="/app/people/"]').first().textContent())!.trim();
  await page.keyboard.press('Control+k');
  await box.pressSequentially(name);
  const person = palette.getByRole('option', { name: new RegExp(`${name}.*Person`) });
  // (The demo data has namesakes: any of them will do.)
  await expect(person.first()).toBeVisible();
  await person.first().click();
  await expect(page).toHaveURL(/\/app\/people\//);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();

  // Escape closes it without going anywhere.
  await page.keyboard.press('Control+k');
  await box.pressSequentially('staff');
  await page.keyboard.press('Escape');
  await expect(palette).toHaveCount(0);
  await expect(page).toHaveURL(/\/app\/people\//);
});
