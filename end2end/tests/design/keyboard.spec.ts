import { expect, test } from '../support/test';
import { STAFF, hydrated, signIn } from '../support/app';

test('? lists the keyboard shortcuts; on the board the arrow keys walk from card to card', async ({ page }) => {
  await signIn(page, STAFF.recruiter, '/app/jobs/rust-backend/board');
  await hydrated(page);

  // ? opens the list from anywhere but a text field; Escape closes it.
  await page.locator('body').click({ position: { x: 5, y: 400 } });
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help).toBeFocused();
  await expect(help.getByRole('definition').filter({ hasText: 'Go to a page, job or person' })).toBeVisible();
  await expect(help).toContainText('Pick the card up, then drop it in the chosen column');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
  // Typing ? in a field types it.
  const search = page.locator('#header-q');
  await search.click();
  await page.keyboard.press('?');
  await expect(search).toHaveValue('?');
  await expect(help).toHaveCount(0);
  await search.fill('');
  await page.keyboard.press('Escape');
  // The top bar's button opens it too; the close button closes it.
  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  await expect(help).toBeVisible();
  await help.getByRole('button', { name: 'Close' }).click();
  await expect(help).toHaveCount(0);

  // Arrow keys: down to the next card in the column, right to the next column with cards.
  const columns = page.locator('section[data-column]');
  let start = -1;
  for (let i = 0; i < (await columns.count()) && start < 0; i++) {
    if ((await columns.nth(i).locator('.drag-handle').count()) > 1) start = i;
  }
  expect(start).toBeGreaterThanOrEqual(0);
  const first = columns.nth(start);
  const firstName = await first.locator('h2').textContent();
  const handles = first.locator('.drag-handle');
  await handles.nth(0).focus();
  await page.keyboard.press('ArrowDown');
  await expect(handles.nth(1)).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(handles.nth(0)).toBeFocused();
  await page.keyboard.press('ArrowRight');
  const focusedColumn = await page.evaluate(() => document.activeElement?.closest('section[data-column]')?.querySelector('h2')?.textContent);
  expect(focusedColumn).not.toBe(firstName);
  await expect(page.locator('section[data-column] .drag-handle:focus')).toHaveCount(1);
  await page.keyboard.press('ArrowLeft');
  await expect(handles.nth(0)).toBeFocused();
  // Nothing moved: walking is not moving.
  await expect(page.locator('.toast')).toHaveCount(0);
});

test('the design system shows the modal: it takes focus and closes with Escape or a click beside it', async ({ page }) => {
  await signIn(page, STAFF.admin, '/app/styleguide');
  await hydrated(page);
  await page.getByRole('button', { name: 'Open a modal' }).click();
  const modal = page.getByRole('dialog', { name: 'Reject Ada Lovelace?' });
  await expect(modal).toBeVisible();
  await expect(modal).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(modal).toHaveCount(0);
  await page.getByRole('button', { name: 'Open a modal' }).click();
  await page.locator('.modal-backdrop').click({ position: { x: 5, y: 5 } });
  await expect(modal).toHaveCount(0);
});
