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
  await board.card(name).getByRole('link', { name, exact: true }).click();
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
  await new Board(page).card(name).getByRole('link', { name, exact: true }).click();
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

test('an admin adds a room and a recruiter books two interviews back to back in it, without JavaScript', async ({ page, browser }) => {
  test.setTimeout(90_000);
  const room = unique('Room');
  const admin = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await signIn(admin, STAFF.admin, '/admin/rooms');
  await admin.getByLabel('Name').fill(room);
  await admin.getByLabel('Where').fill('Berlin office, 2nd floor');
  await admin.getByLabel('Seats').fill('4');
  await admin.getByRole('button', { name: 'Add room' }).click();
  const row = admin.getByRole('row', { name: new RegExp(room) });
  await expect(row).toContainText('Berlin office, 2nd floor');
  await expect(row.getByRole('cell').nth(2)).toHaveText('4');
  await admin.context().close();

  const name = `Lars ${unique('NoScript')}`;
  const applicant = await browser.newContext({ javaScriptEnabled: false });
  const cand = await applicant.newPage();
  await cand.goto('/jobs/rust-backend');
  const form = new ApplyForm(cand);
  await form.fill({ name, email: `${unique('lars')}@example.org`, resume: 'resume.pdf' });
  await form.submit();
  await expect(cand).toHaveURL(/\/applied$/);
  await applicant.close();

  await signIn(page, STAFF.recruiter, '/app/jobs/rust-backend/board');
  await new Board(page).card(name).getByRole('link', { name, exact: true }).click();
  await page.getByRole('link', { name: 'Interviews and feedback' }).click();
  // One GET form: the interview and its panel, the room, and (inside a disclosure that opens
  // without script) the interview straight after with its own panel.
  await page.getByLabel('Interview', { exact: true }).selectOption({ label: 'Interview · Technical interview · 60 min' });
  await page.getByRole('group', { name: 'Panel', exact: true }).getByRole('checkbox', { name: /Alex Admin/ }).check();
  await page.getByLabel('Room').selectOption({ label: `${room} · Berlin office, 2nd floor (4 seats)` });
  await page.getByText('Add a second interview straight after').click();
  await page.getByLabel('Then', { exact: true }).selectOption({ label: 'Interview · Meet the team · 45 min' });
  await page.getByRole('group', { name: 'Its panel' }).getByRole('checkbox', { name: /Morgan Manager/ }).check();
  await page.getByRole('button', { name: 'Find times' }).click();
  await expect(page).toHaveURL(/[?&]room=.*then=.*then_panel=/);
  // The last time offered: other specs book the first ones with these people.
  await page.locator('label.slot').last().getByRole('radio').check();
  await page.getByRole('button', { name: 'Schedule both interviews' }).click();

  const technical = page.locator('li.interview-line', { hasText: 'Technical interview' });
  const team = page.locator('li.interview-line', { hasText: 'Meet the team' });
  await expect(technical.getByRole('list', { name: 'Panel' })).toContainText('Alex Admin');
  await expect(team.getByRole('list', { name: 'Panel' })).toContainText('Morgan Manager');
  for (const line of [technical, team]) {
    await expect(line.locator('.interview-place')).toHaveText(` · ${room} · Berlin office, 2nd floor`);
  }
  const span = async (line: typeof team) => (await line.locator('time').textContent())!.match(/(\d\d:\d\d)–(\d\d:\d\d)/)!;
  const [, , firstEnds] = await span(technical);
  const [, secondStarts] = await span(team);
  expect(secondStarts).toBe(firstEnds);
});
