import { expect, test } from '../support/test';
import { Board, STAFF, applyAs, hydrated, signIn, unique } from '../support/app';

test('a recruiter opens a candidate in the quick view, moves them from it, and the board stays in place', async ({ page, browser }) => {
  const name = `Quincy ${unique('Quick')}`;
  const email = `${unique('quick')}@example.org`;
  await applyAs(browser, 'data-analyst', name, email);

  await signIn(page, STAFF.recruiter, '/app/jobs/data-analyst/board');
  await hydrated(page);
  const board = new Board(page);
  const card = board.card(name);
  // A fresh application is marked new and shows where it came from.
  await expect(card.locator('.card-new')).toHaveText('New');
  await expect(card.locator('.card-meta')).toContainText('Careers page');

  await card.getByRole('link', { name, exact: true }).click();
  const drawer = page.getByRole('dialog', { name });
  await expect(drawer).toBeVisible();
  await expect(page).toHaveURL(/\/app\/jobs\/data-analyst\/board$/);
  await expect(drawer.getByRole('link', { name: email })).toBeVisible();
  await expect(drawer.locator('.quick-stage')).toContainText('Applied');
  await expect(drawer.locator('iframe.quick-resume')).toBeVisible();
  await expect(drawer.locator('.timeline li').first()).toContainText('Data Analyst');

  // Move from the drawer: the card goes to its column behind it.
  await drawer.getByLabel('Move to').selectOption({ label: 'Phone screen' });
  // The board moves the card at once and stores the move in the background: the reload below
  // waits for the server's answer (a reload before it would abort the request).
  const stored = page.waitForResponse((r) => r.url().includes('/move_card') && r.request().method() === 'POST');
  await drawer.getByRole('button', { name: 'Move', exact: true }).click();
  await expect(board.column('Phone screen').locator('li.board-card', { hasText: name })).toBeVisible();
  await expect(drawer.locator('.quick-stage')).toContainText('Phone screen');

  // Escape closes the drawer and focus returns to the card.
  await page.keyboard.press('Escape');
  await expect(drawer).toHaveCount(0);
  await expect(board.card(name).locator('.drag-handle')).toBeFocused();

  // The move was stored.
  expect((await stored).ok()).toBe(true);
  await page.reload();
  await hydrated(page);
  await expect(board.column('Phone screen').locator('li.board-card', { hasText: name })).toBeVisible();

  // Without a plain click (Ctrl/Cmd-click, or no JavaScript) the link still leads to the profile.
  await expect(board.card(name).getByRole('link', { name, exact: true })).toHaveAttribute('href', /\/app\/people\//);
});

test('on a phone the board shows one stage at a time: tabs jump between stages, the card menu moves', async ({ browser }) => {
  const name = `Pia ${unique('Phone')}`;
  await applyAs(browser, 'customer-success', name, `${unique('pia')}@example.org`);
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  await signIn(page, STAFF.recruiter, '/app/jobs/customer-success/board');
  await hydrated(page);
  const board = new Board(page);
  const interview = board.column('Interview').getByRole('heading', { name: 'Interview' });
  await expect(board.column('Applied').getByRole('heading', { name: 'Applied' })).toBeInViewport();
  await expect(interview).not.toBeInViewport();
  await page.getByRole('navigation', { name: 'Stages' }).getByRole('link', { name: /^Interview/ }).click();
  await expect(interview).toBeInViewport();

  await page.getByRole('navigation', { name: 'Stages' }).getByRole('link', { name: /^Applied/ }).click();
  await board.card(name).scrollIntoViewIfNeeded();
  await board.moveWithMenu(name, 'Phone screen');
  await expect(board.column('Phone screen').locator('li.board-card', { hasText: name })).toHaveCount(1);
  await ctx.close();
});
