import { expect, test } from '../support/test';
import { Board, STAFF, applyAs, hydrated, signIn, unique } from '../support/app';
import { waitForMails } from '../support/mail';

test('bulk reject with a rejection email from a template', async ({ page, browser }) => {
  // Two applications, a template, an undo window and the emails: more than a minute under load.
  test.setTimeout(120_000);
  const people = [0, 1].map((i) => ({ name: `Bo${i} ${unique('Bulk')}`, email: `${unique(`bulk${i}`)}@example.org` }));
  for (const p of people) await applyAs(browser, 'customer-success', p.name, p.email);

  await signIn(page, STAFF.recruiter, '/app/jobs/customer-success/board');
  await hydrated(page);
  const board = new Board(page);
  for (const p of people) await board.card(p.name).getByRole('checkbox', { name: `Select ${p.name}` }).check();

  await page.getByText('Bulk actions: tick cards, then choose what to do').click();
  await page.getByLabel('With the selected candidates').selectOption('reject');
  await expect(page.getByLabel('Move to')).toBeHidden();
  await page.getByLabel('Reason (kept internal)').selectOption('The role has been filled');
  await page.getByLabel('Send a rejection email').check();
  await page.getByLabel('Email template').selectOption({ label: 'Rejection (after applying)' });
  await page.getByRole('button', { name: 'Apply to selected' }).click();

  await expect(page.locator('.bulk-message')).toHaveText('Rejected 2 candidates and queued 2 rejection emails.');
  await expect(page.getByRole('button', { name: /^Undo \(\d+s\)$/ })).toBeVisible();
  for (const p of people) await expect(board.card(p.name)).toHaveCount(0);

  // After the undo window the emails go out, rendered from the template.
  for (const p of people) {
    const [mail] = await waitForMails(p.email, 2);
    const rejection = (await waitForMails(p.email, 2)).find((m) => m.subject.startsWith('Your application for'))!;
    expect(rejection.subject).toBe('Your application for Customer Success Manager at Acme');
    expect(rejection.body).toContain(`Hi ${p.name.split(' ')[0]},`);
    expect(mail).toBeTruthy();
  }
  await expect(page.getByRole('button', { name: /^Undo/ })).toBeHidden({ timeout: 10_000 });

  // On demand, the rejected candidates show in their column.
  await page.getByLabel('Show rejected and withdrawn').check();
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await expect(page).toHaveURL(/show=closed/);
  for (const p of people) await expect(board.column('Rejected').locator('li.board-card', { hasText: p.name })).toBeVisible();
});

test('a bulk tag can be undone', async ({ page, browser }) => {
  const name = `Ty ${unique('Undo')}`;
  await applyAs(browser, 'customer-success', name, `${unique('ty')}@example.org`);
  await signIn(page, STAFF.recruiter, '/app/jobs/customer-success/board');
  await hydrated(page);
  const board = new Board(page);
  const tag = await board.tagSelected(name, 'shortlist-');
  await expect(page.locator('.bulk-message')).toHaveText(`Tagged 1 candidate “${tag}”.`);
  await page.getByRole('button', { name: /^Undo/ }).click();
  await expect(page.locator('.bulk-message')).toHaveText('Undone.');
  await page.goto(`/app/jobs/customer-success/board?tag=${tag}`);
  await expect(page.locator('li.board-card')).toHaveCount(0);
});
