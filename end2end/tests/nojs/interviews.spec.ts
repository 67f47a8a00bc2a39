import { expect, test } from '../support/test';
import { ApplyForm, Board, STAFF, signIn, unique } from '../support/app';
import { linkIn, waitForMails } from '../support/mail';

// Scheduling and a scorecard with JavaScript disabled: a GET form finds the times, plain POSTs
// book the interview and submit the scorecard.

test('schedule an interview and submit its scorecard without JavaScript', async ({ page, browser }) => {
  const name = `Nils ${unique('NoScript')}`;
  const applicant = await browser.newContext({ javaScriptEnabled: false });
  const cand = await applicant.newPage();
  await cand.goto('/jobs/rust-backend');
  const form = new ApplyForm(cand);
  await form.fill({ name, email: `${unique('nils')}@example.org`, resume: 'resume.pdf' });
  await form.submit();
  await expect(cand).toHaveURL(/\/applied$/);
  await applicant.close();
  await signIn(page, STAFF.recruiter, '/app/jobs/rust-backend/board');
  const board = new Board(page);
  // Without JavaScript the name leads straight to the profile.
  await board.card(name).getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await page.getByRole('link', { name: 'Interviews and feedback' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `${name}: interviews` })).toBeVisible();

  await page.getByLabel('Interview', { exact: true }).selectOption({ label: 'Phone screen · Recruiter screen · 30 min' });
  await page.getByRole('checkbox', { name: /Alex Admin/ }).check();
  await page.getByRole('button', { name: 'Find times' }).click();
  await expect(page.locator('label.slot').first()).toBeVisible();
  await page.getByRole('button', { name: 'Schedule interview' }).click();
  await expect(page.locator('li.interview-line', { hasText: 'Recruiter screen' })).toContainText('Alex Admin');

  // The interviewer (here Alex, an admin) scores it, also without JavaScript.
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const alex = await ctx.newPage();
  await signIn(alex, STAFF.admin, '/app/interviews');
  await alex.locator('li.interview-line', { hasText: name }).getByRole('link', { name: `${name} · Recruiter screen` }).click();
  await expect(alex.getByRole('heading', { level: 1, name: `Recruiter screen with ${name}` })).toBeVisible();
  await alex.getByRole('button', { name: 'Submit scorecard' }).click();
  await expect(alex.getByText('Rate every attribute before submitting.')).toBeVisible();
  for (const a of ['Motivation', 'Communication']) {
    await alex.getByRole('group', { name: a, exact: true }).getByLabel('Yes', { exact: true }).check();
  }
  await alex.getByRole('group', { name: 'Overall recommendation' }).getByLabel('Strong yes', { exact: true }).check();
  await alex.getByLabel(/^Notes/).fill('Wants a smaller team; notice period one month.');
  await alex.getByRole('button', { name: 'Submit scorecard' }).click();
  await expect(alex.locator('section', { hasText: 'Your scorecard' }).locator('article.scorecard')).toContainText('Strong yes');
  await expect(alex.getByText('No one else has submitted yet.')).toBeVisible();
  await ctx.close();
});

test('a candidate chooses their interview time without JavaScript', async ({ page, browser }) => {
  const name = `Nora ${unique('NoScript')}`;
  const email = `${unique('nora')}@example.org`;
  const applicant = await browser.newContext({ javaScriptEnabled: false });
  const cand = await applicant.newPage();
  await cand.goto('/jobs/rust-backend');
  const form = new ApplyForm(cand);
  await form.fill({ name, email, resume: 'resume.pdf' });
  await form.submit();
  await expect(cand).toHaveURL(/\/applied$/);

  await signIn(page, STAFF.recruiter, '/app/jobs/rust-backend/board');
  await new Board(page).card(name).getByRole('link', { name }).click();
  await page.getByRole('link', { name: 'Interviews and feedback' }).click();
  await page.getByLabel('Interview', { exact: true }).selectOption({ label: 'Phone screen · Recruiter screen · 30 min' });
  await page.getByRole('checkbox', { name: /Alex Admin/ }).check();
  await page.getByRole('button', { name: 'Find times' }).click();
  await page.getByRole('button', { name: 'Send the candidate a scheduling link' }).click();

  // The link opens in London time; the candidate switches to Tokyo with a plain GET form.
  const [mail] = await waitForMails(email, 1, 'Choose a time');
  await cand.goto(linkIn(mail, '/schedule/'));
  await expect(cand.getByLabel('Times in')).toHaveValue('Europe/London');
  await cand.getByLabel('Times in').selectOption('Asia/Tokyo');
  await cand.getByRole('button', { name: 'Show times' }).click();
  await expect(cand).toHaveURL(/tz=Asia%2FTokyo/);
  const pick = cand.locator('fieldset.slot-day').nth(1).locator('label.slot').first();
  await expect(pick).toContainText('JST');
  const day = (await cand.locator('fieldset.slot-day').nth(1).locator('legend').textContent())!.trim();
  const time = (await pick.locator('.slot-time').textContent())!.trim();
  await pick.getByRole('radio').check();
  await cand.getByRole('button', { name: 'Book this time' }).click();
  await expect(cand.getByRole('region', { name: 'Your interview' }).locator('.booked-when')).toHaveText(`${day}, ${time}`);
  await applicant.close();
});
