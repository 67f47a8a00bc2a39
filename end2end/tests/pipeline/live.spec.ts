import { expect, test } from '../support/test';
import { Board, STAFF, applyAs, hydrated, signIn, unique } from '../support/app';

test("two recruiters on one board see each other and each other's moves without reloading", async ({ page, browser }) => {
  const name = `Lea ${unique('Live')}`;
  await applyAs(browser, 'data-analyst', name, `${unique('lea')}@example.org`);

  await signIn(page, STAFF.recruiter, '/app/jobs/data-analyst/board');
  await hydrated(page);
  await expect(page.locator('.presence')).toHaveAttribute('data-live', 'connected');

  const ctx = await browser.newContext();
  const other = await ctx.newPage();
  await signIn(other, STAFF.admin, '/app/jobs/data-analyst/board');
  await hydrated(other);
  await expect(other.locator('.presence')).toHaveAttribute('data-live', 'connected');

  // Each sees the other.
  await expect(page.locator('.presence')).toContainText('Also looking at this board: Alex Admin');
  await expect(other.locator('.presence')).toContainText('Riley Recruiter');

  // The admin drags; the recruiter's board follows without a reload.
  const mine = new Board(page);
  await expect(mine.column('Applied').locator('li.board-card', { hasText: name })).toBeVisible();
  await new Board(other).drag(name, 'Interview');
  const moved = Date.now();
  await expect(mine.column('Interview').locator('li.board-card', { hasText: name })).toBeVisible();
  // The latency is reported, not asserted: a loaded CI machine must not make this flaky.
  // (`cargo run --release -p server --bin bench -- scale` measures it properly.)
  test.info().annotations.push({ type: 'latency', description: `${Date.now() - moved} ms` });

  // And the other way round, with the keyboard.
  const handle = mine.card(name).getByRole('button', { name: `Move ${name}` });
  await handle.focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await expect(new Board(other).column('Offer').locator('li.board-card', { hasText: name })).toBeVisible();

  // When the admin leaves, the recruiter sees it.
  await ctx.close();
  await expect(page.locator('.presence')).not.toContainText('Alex Admin', { timeout: 15_000 });
});
