import { expect, test } from '../tests/support/test';
import { Board, STAFF, applyAs, hydrated, signIn, unique } from '../tests/support/app';
import { NODE_A, NODE_B } from '../cluster.config';

// Two app nodes on one SurrealDB server, as scripts/cluster.sh runs them. A candidate applies
// through the proxy; a recruiter works the board on node A, an admin the same board on node B:
// each sees the other and the other's moves, live. (Cookies belong to the host, not the port,
// so one browser's session is the same on both nodes, as behind one proxy address.)
test('a board served by one node follows the moves made on a board served by the other', async ({ browser }) => {
  const name = `Noor ${unique('Node')}`;
  await applyAs(browser, 'data-analyst', name, `${unique('noor')}@example.org`);

  const a = await (await browser.newContext({ baseURL: NODE_A })).newPage();
  await signIn(a, STAFF.recruiter, '/app/jobs/data-analyst/board');
  await hydrated(a);
  await expect(a.locator('.presence')).toHaveAttribute('data-live', 'connected');

  const b = await (await browser.newContext({ baseURL: NODE_B })).newPage();
  await signIn(b, STAFF.admin, '/app/jobs/data-analyst/board');
  await hydrated(b);
  await expect(b.locator('.presence')).toHaveAttribute('data-live', 'connected');

  // Presence crosses nodes: each sees who is looking through the other node.
  await expect(a.locator('.presence')).toContainText('Also looking at this board: Alex Admin');
  await expect(b.locator('.presence')).toContainText('Riley Recruiter');

  // The application made through the proxy is on both boards.
  const onA = new Board(a);
  const onB = new Board(b);
  await expect(onA.column('Applied').locator('li.board-card', { hasText: name })).toBeVisible();
  await expect(onB.column('Applied').locator('li.board-card', { hasText: name })).toBeVisible();

  // Dragged on node B; node A's board follows without a reload, and the other way round.
  await onB.drag(name, 'Interview');
  await expect(onA.column('Interview').locator('li.board-card', { hasText: name })).toBeVisible();
  await onA.drag(name, 'Offer');
  await expect(onB.column('Offer').locator('li.board-card', { hasText: name })).toBeVisible();

  // A reload through the proxy (whichever node answers) shows the last move.
  const viaProxy = await (await browser.newContext()).newPage();
  await signIn(viaProxy, STAFF.recruiter, '/app/jobs/data-analyst/board');
  await expect(new Board(viaProxy).column('Offer').locator('li.board-card', { hasText: name })).toBeVisible();
});
