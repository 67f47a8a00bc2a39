import { expect, test } from '../support/test';
import { STAFF, hydrated, signIn } from '../support/app';
import type { Locator, Page } from '@playwright/test';

// A column's menu (⋯ beside its count): sort its cards, collapse it to a strip. The choices
// stay for the next visit in this browser. Other specs move cards on this board meanwhile, so
// the checks read the order that is on screen rather than expect fixed names.
async function namesIn(column: Locator): Promise<string[]> {
  return column.locator('.card-name').allTextContents();
}

function byName(a: string, b: string) {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

async function busiestColumn(page: Page): Promise<{ column: Locator; name: string }> {
  // Signing in lands on the board in the browser: wait for it to load.
  await expect(page.locator('.board-card').first()).toBeVisible();
  const columns = page.locator('section[data-column]');
  for (let i = 0; i < (await columns.count()); i++) {
    if ((await columns.nth(i).locator('.board-card').count()) > 2) {
      return { column: columns.nth(i), name: (await columns.nth(i).locator('h2').textContent())! };
    }
  }
  throw new Error('no column with three cards on the demo board');
}

test('a column menu sorts and collapses a column, by keyboard and mouse, and the board remembers', async ({ page }) => {
  await signIn(page, STAFF.recruiter, '/app/jobs/rust-backend/board');
  await hydrated(page);
  const { column, name } = await busiestColumn(page);
  const button = column.getByRole('button', { name: `Options for the ${name} column` });
  const menu = page.getByRole('menu', { name: `Options for the ${name} column` });
  await expect(button).toHaveAttribute('aria-expanded', 'false');
  await expect(menu).toBeHidden();

  // Keyboard: Enter opens it on its first item; the arrows walk the items; Enter chooses.
  await button.focus();
  await page.keyboard.press('Enter');
  await expect(menu).toBeVisible();
  await expect(button).toHaveAttribute('aria-expanded', 'true');
  await expect(menu.getByRole('menuitemradio', { name: 'Sort: Board order' })).toBeFocused();
  await expect(menu.getByRole('menuitemradio', { name: 'Sort: Board order' })).toHaveAttribute('aria-checked', 'true');
  await page.keyboard.press('ArrowUp');
  await expect(menu.getByRole('menuitem', { name: 'Collapse the column' })).toBeFocused();
  await page.keyboard.press('Home');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitemradio', { name: 'Sort: Name' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(menu).toBeHidden();
  await expect(button).toBeFocused();
  await expect.poll(async () => {
    const names = await namesIn(column);
    return names.length > 2 && names.join('|') === [...names].sort(byName).join('|');
  }).toBe(true);

  // Escape closes without choosing and gives focus back to the button.
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitemradio', { name: 'Sort: Name' })).toHaveAttribute('aria-checked', 'true');
  await expect(menu.getByRole('menuitemradio', { name: 'Sort: Board order' })).toHaveAttribute('aria-checked', 'false');
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(button).toBeFocused();

  // The next visit keeps the order.
  await page.reload();
  await hydrated(page);
  const again = page.locator('section[data-column]').filter({ has: page.getByRole('heading', { name, exact: true }) });
  await expect.poll(async () => {
    const names = await namesIn(again);
    return names.length > 1 && names.join('|') === [...names].sort(byName).join('|');
  }).toBe(true);

  // Mouse: collapse the column to a strip; its cards are out of the way; a click elsewhere
  // closes an open menu.
  const button2 = again.getByRole('button', { name: `Options for the ${name} column` });
  await button2.click();
  await menu.getByRole('menuitem', { name: 'Collapse the column' }).click();
  await expect(again).toHaveClass(/collapsed/);
  await expect(again.locator('.board-card').first()).toBeHidden();
  expect((await again.boundingBox())!.width).toBeLessThan(80);
  await button2.click();
  await expect(menu).toBeVisible();
  await page.getByRole('heading', { level: 1 }).click();
  await expect(menu).toBeHidden();
  await button2.click();
  await menu.getByRole('menuitem', { name: 'Expand the column' }).click();
  await expect(again).not.toHaveClass(/collapsed/);
  await expect(again.locator('.board-card').first()).toBeVisible();
});

test('the design system shows the menu', async ({ page }) => {
  await signIn(page, STAFF.admin, '/app/styleguide');
  await hydrated(page);
  const button = page.getByRole('button', { name: 'Sort the list' });
  await button.click();
  const menu = page.getByRole('menu', { name: 'Sort the list' });
  await expect(menu.getByRole('menuitemradio', { name: 'Newest first' })).toBeFocused();
  await menu.getByRole('menuitemradio', { name: 'Name' }).click();
  await expect(page.getByTestId('sg-order')).toHaveText('Name');
  await expect(menu).toBeHidden();
  await button.press('ArrowUp');
  await expect(menu.getByRole('menuitem', { name: 'Say hello' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('.toast')).toContainText('Hello from the menu.');
});
