import { expect, test } from '../support/test';
import { ApplyForm, Board, STAFF, unique } from '../support/app';
import { waitForMails } from '../support/mail';
import { importApplicants, signInWithJs } from '../support/journeys';

// The same journeys with JavaScript disabled: plain HTML forms, server-side redirects.

test('sign in without JavaScript, including a wrong password', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill(STAFF.recruiter);
  await page.getByLabel('Password').fill('nope');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('#f-password-error')).toHaveText('That email and password do not match an account.');
  await page.getByLabel('Email').fill(STAFF.recruiter);
  await page.getByLabel('Password').fill('demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/app$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Hello, Riley' })).toBeVisible();
  await expect(page.locator('section.todo', { hasText: 'Stuck for' })).toBeVisible();
});

test('apply without JavaScript: errors per field, then success', async ({ page }) => {
  await page.goto('/jobs/data-analyst');
  const form = new ApplyForm(page);
  await form.fill({ name: 'No Script', email: 'broken@', resume: 'not-a-resume.pdf' });
  await form.submit();
  await expect(page).toHaveURL(/\/jobs\/data-analyst\?/);
  await expect(form.fieldError('email')).toHaveText('Enter a valid email address, like name@example.com.');
  await expect(form.fieldError('resume')).toHaveText('We accept resumes as PDF or Word (DOCX) files only.');

  const email = `${unique('noscript')}@example.org`;
  await form.fill({ name: 'No Script', email, resume: 'resume.pdf' });
  await form.submit();
  await expect(page).toHaveURL(/\/jobs\/data-analyst\/applied$/);
  await expect(page.getByRole('heading', { name: 'Thank you, your application is in' })).toBeVisible();
  await waitForMails(email);
});

test('move a card with the move control without JavaScript', async ({ page, browser }) => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const cand = await ctx.newPage();
  const name = `Nora ${unique('Nojs')}`;
  await cand.goto('/jobs/data-analyst');
  const form = new ApplyForm(cand);
  await form.fill({ name, email: `${unique('nora')}@example.org`, resume: 'resume.docx' });
  await form.submit();
  await expect(cand).toHaveURL(/\/applied$/);
  await ctx.close();

  await page.goto('/login?next=%2Fapp%2Fjobs%2Fdata-analyst%2Fboard');
  await page.getByLabel('Email').fill(STAFF.recruiter);
  await page.getByLabel('Password').fill('demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/board$/);
  const board = new Board(page);
  await expect(board.column('Applied').locator('li.board-card', { hasText: name })).toBeVisible();
  await board.moveWithMenu(name, 'Interview');
  // Back to the board, the moved card kept in view (a long column shows its first cards only).
  await expect(page).toHaveURL(/\/board\?kept=[^&]+$/);
  await expect(board.column('Interview').locator('li.board-card', { hasText: name })).toBeVisible();
  await expect(board.column('Applied').locator('li.board-card', { hasText: name })).toHaveCount(0);
});

test('without JavaScript a long column shows its first 50 cards, and its link shows them all', async ({ page, browser }) => {
  // Set-up with JavaScript: the import page needs it.
  const title = unique('Long nojs ');
  const ctx = await browser.newContext({ javaScriptEnabled: true });
  const setup = await ctx.newPage();
  await signInWithJs(setup, STAFF.recruiter, '/app');
  await importApplicants(setup, title, 53);
  const boardUrl = setup.url();
  await ctx.close();

  await page.goto(`/login?next=${encodeURIComponent(new URL(boardUrl).pathname)}`);
  await page.getByLabel('Email').fill(STAFF.recruiter);
  await page.getByLabel('Password').fill('demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/board$/);
  const applied = new Board(page).column('Applied');
  await expect(applied.locator('li.board-card')).toHaveCount(50);
  await applied.getByRole('link', { name: 'Show 3 more in Applied' }).click();
  await expect(page).toHaveURL(/\/board\?all=applied#col-applied$/);
  await expect(applied.locator('li.board-card')).toHaveCount(53);
  await expect(applied.locator('a.column-more')).toHaveCount(0);
});
