import { expect, test } from '../support/test';
import { Board, STAFF, applyAs, hydrated, signIn, unique } from '../support/app';
import { importApplicants, profileTab } from '../support/journeys';

test('a recruiter drags a card along the pipeline with the mouse, and the move is stored', async ({ page, browser }) => {
  const name = `Mona ${unique('Drag')}`;
  await applyAs(browser, 'customer-success', name, `${unique('mona')}@example.org`);
  await signIn(page, STAFF.recruiter, '/app/jobs/customer-success/board');
  await hydrated(page);
  const board = new Board(page);
  await expect(board.column('Applied').locator('li.board-card', { hasText: name })).toBeVisible();
  const before = Number(await board.count('Phone screen').textContent());

  const stored = page.waitForResponse((r) => r.url().includes('/move_card') && r.request().method() === 'POST');
  await board.drag(name, 'Phone screen');
  // The move shows at once…
  await expect(board.column('Phone screen').locator('li.board-card', { hasText: name })).toBeVisible();
  await expect(board.column('Applied').locator('li.board-card', { hasText: name })).toHaveCount(0);
  await expect(board.count('Phone screen')).toHaveText(String(before + 1));
  await expect(board.card(name).locator('.card-meta')).toHaveText(/^Today in stage/);

  // …and it was stored: it is still there after a reload, and on the candidate's timeline.
  expect((await stored).ok()).toBe(true);
  await page.reload();
  await hydrated(page);
  await expect(board.column('Phone screen').locator('li.board-card', { hasText: name })).toBeVisible();
  // The name opens the quick view; from there, the full profile.
  await board.card(name).getByRole('link', { name, exact: true }).click();
  const drawer = page.getByRole('dialog', { name });
  await expect(drawer).toBeVisible();
  await drawer.getByRole('link', { name: 'Open full profile' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await profileTab(page, 'Timeline');
  await expect(page.locator('.timeline li').first()).toContainText('Moved to Phone screen');
  await expect(page.locator('.timeline li').first()).toContainText('by Riley Recruiter');
});

test('the same move works from the keyboard', async ({ page, browser }) => {
  const name = `Kai ${unique('Keys')}`;
  await applyAs(browser, 'customer-success', name, `${unique('kai')}@example.org`);
  await signIn(page, STAFF.recruiter, '/app/jobs/customer-success/board');
  await hydrated(page);
  const board = new Board(page);
  const handle = board.card(name).getByRole('button', { name: `Move ${name}` });
  await handle.focus();
  await page.keyboard.press('Space');
  await expect(board.card(name)).toHaveClass(/grabbed/);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(board.column('Interview')).toHaveClass(/drop-over/);
  const stored = page.waitForResponse((r) => r.url().includes('/move_card') && r.request().method() === 'POST');
  await page.keyboard.press('Enter');
  await expect(board.column('Interview').locator('li.board-card', { hasText: name })).toBeVisible();
  await expect(page.locator('[role="status"][aria-live="assertive"]')).toHaveText(`Moved ${name} to Interview.`);
  expect((await stored).ok()).toBe(true);
  await page.reload();
  await expect(board.column('Interview').locator('li.board-card', { hasText: name })).toBeVisible();
});

test('"Move to…" opens that one card\'s form in place, focused, and Cancel closes it', async ({ page }) => {
  await signIn(page, STAFF.recruiter, '/app/jobs/customer-success/board?show=closed');
  await hydrated(page);
  // The page carries no move form until one is asked for (a 1,000-card board stays light).
  await expect(page.locator('form.move-form')).toHaveCount(0);
  const card = page.locator('li.board-card').first();
  const name = (await card.locator('.card-name').textContent())!.trim();
  const url = page.url();
  await card.getByRole('link', { name: `Move to… for ${name}` }).click();
  await expect(card.getByLabel(`Move ${name} to`)).toBeFocused();
  await expect(page.locator('form.move-form')).toHaveCount(1);
  // In place: no navigation, the filters as they were.
  expect(page.url()).toBe(url);
  await card.getByRole('link', { name: `Cancel moving ${name}` }).click();
  await expect(page.locator('form.move-form')).toHaveCount(0);
  await expect(card.getByRole('link', { name: `Move to… for ${name}` })).toBeVisible();
});

test('a long column shows its first 50 cards, keeps a card moved into it in view, and shows the rest on demand', async ({ page }) => {
  const title = unique('Long column ');
  await signIn(page, STAFF.recruiter, '/app');
  await importApplicants(page, title, 55);
  await hydrated(page);
  const board = new Board(page);
  const applied = board.column('Applied');
  const cards = applied.locator('li.board-card');
  await expect(board.count('Applied')).toHaveText('55');
  await expect(cards).toHaveCount(50);
  await expect(applied.getByRole('link', { name: 'Show 5 more in Applied' })).toBeVisible();

  // A card moved out and back lands at the end of the column (newest in stage), past the first
  // 50, and still stays in view for the person who moved it.
  // The form moves the card in place, as a drag does: the board is not read again.
  let boardReads = 0;
  page.on('request', (r) => { if (r.url().includes('/get_board')) boardReads++; });
  const name = (await cards.first().locator('.card-name').textContent())!.trim();
  await board.moveWithMenu(name, 'Phone screen');
  await expect(board.column('Phone screen').locator('li.board-card', { hasText: name })).toBeVisible();
  await expect(board.card(name).locator('.drag-handle')).toBeFocused();
  await expect(page.locator('form.move-form')).toHaveCount(0);
  await expect(applied.getByRole('link', { name: 'Show 4 more in Applied' })).toBeVisible();
  await board.moveWithMenu(name, 'Applied');
  await expect(cards.last()).toContainText(name);
  await expect(cards).toHaveCount(51);
  await expect(board.count('Applied')).toHaveText('55');
  expect(boardReads).toBe(0);

  // The rest, in place: no navigation, focus on the first card that was hidden.
  const url = page.url();
  await applied.getByRole('link', { name: 'Show 4 more in Applied' }).click();
  await expect(cards).toHaveCount(55);
  await expect(cards.nth(50).locator('.drag-handle')).toBeFocused();
  await expect(applied.locator('a.column-more')).toHaveCount(0);
  expect(page.url()).toBe(url);

  // The opened column stays open when a card leaves it.
  const other = (await cards.nth(52).locator('.card-name').textContent())!.trim();
  await board.moveWithMenu(other, 'Offer');
  await expect(board.column('Offer').locator('li.board-card', { hasText: other })).toBeVisible();
  await expect(board.count('Applied')).toHaveText('54');
  await expect(cards).toHaveCount(54);
  await expect(applied.locator('a.column-more')).toHaveCount(0);

  // …and when the board is read again under it (here after a bulk tag).
  const reread = page.waitForResponse((r) => r.url().includes('/get_board') && r.request().method() === 'POST');
  const tag = await board.tagSelected(other, 'kept-');
  await reread;
  await expect(board.card(other).locator('.card-tags')).toContainText(tag);
  await expect(cards).toHaveCount(54);
  await expect(applied.locator('a.column-more')).toHaveCount(0);
});

test('a move the server refuses is rolled back with a message', async ({ page, browser }) => {
  const name = `Rolf ${unique('Back')}`;
  await applyAs(browser, 'customer-success', name, `${unique('rolf')}@example.org`);
  // This browser misses live updates (its event stream is cut), so its board goes stale.
  await page.route('**/app/jobs/*/events', (route) => route.abort());
  await signIn(page, STAFF.recruiter, '/app/jobs/customer-success/board?show=closed');
  await hydrated(page);
  const board = new Board(page);
  await expect(board.column('Applied').locator('li.board-card', { hasText: name })).toBeVisible();

  // Meanwhile a colleague rejects the candidate from another browser.
  const ctx = await browser.newContext();
  const other = await ctx.newPage();
  await signIn(other, STAFF.admin, '/app/jobs/customer-success/board?show=closed');
  await hydrated(other);
  await new Board(other).moveWithMenu(name, 'Rejected');
  await expect(new Board(other).column('Rejected').locator('li.board-card', { hasText: name })).toBeVisible();
  await ctx.close();

  // This (stale) board still shows the card in Applied; dragging it is refused by the server.
  await board.drag(name, 'Offer');
  await expect(page.locator('.toast-error')).toContainText(`${name} was not moved`);
  await expect(board.column('Offer').locator('li.board-card', { hasText: name })).toHaveCount(0);
  // The board then shows where the card really is.
  await expect(board.column('Rejected').locator('li.board-card', { hasText: name })).toBeVisible();
});
