import { expect, test } from '../support/test';
import { STAFF, applyAs, hydrated, signIn, unique } from '../support/app';
import { moveToAnotherDay, openInterviews } from '../support/interviews';
import { linkIn, waitForMails } from '../support/mail';

test('a candidate books a two-person panel from the emailed link in their own time zone, then moves it', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const name = `Cora ${unique('Chooser')}`;
  const email = `${unique('cora')}@example.org`;
  await applyAs(browser, 'rust-backend', name, email);

  // The recruiter chooses the interview and the panel, and lets the candidate pick the time.
  await signIn(page, STAFF.recruiter, '/app/jobs/rust-backend/board');
  await hydrated(page);
  await openInterviews(page, name);
  await page.getByLabel('Interview', { exact: true }).selectOption({ label: 'Interview · Technical interview · 60 min' });
  await page.getByRole('checkbox', { name: /Parker Panelist/ }).check();
  await page.getByRole('checkbox', { name: /Riley Recruiter/ }).check();
  await page.getByRole('button', { name: 'Find times' }).click();
  await expect(page).toHaveURL(/[?&]plan=.*panel=/);
  await hydrated(page);
  await page.getByRole('button', { name: 'Send the candidate a scheduling link' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Scheduling link sent to ${email}` })).toBeVisible();

  // The candidate, in Chicago, gets the link by email; their portal has it too.
  const [choose] = await waitForMails(email, 1, 'Choose a time');
  const ctx = await browser.newContext({ timezoneId: 'America/Chicago' });
  const cand = await ctx.newPage();
  const [welcome] = await waitForMails(email, 1, '');
  await cand.goto(linkIn(welcome, '/portal/auth?token='));
  await cand.getByRole('button', { name: 'Continue to my applications' }).click();
  await expect(cand.locator('.portal-schedule')).toContainText('Choose a time for your Technical interview');
  await expect(cand.locator('.portal-schedule').getByRole('link', { name: 'Choose a time' })).toHaveAttribute('href', /^\/schedule\//);
  // They follow the link in the email.
  await cand.goto(linkIn(choose, '/schedule/'));
  // Times are shown in their own zone: once the page runs, it asks for them in the browser's.
  await hydrated(cand);
  await expect(cand).toHaveURL(/tz=America(%2F|\/)Chicago/);
  await expect(cand.getByLabel('Times in')).toHaveValue('America/Chicago');
  await expect(cand.getByRole('heading', { level: 1, name: 'Technical interview with Acme' })).toBeVisible();
  await expect(cand.locator('.lead')).toContainText('Parker Panelist');
  await hydrated(cand);
  // A time a few days ahead (it can still be moved: changes close a day before).
  const pick = cand.locator('fieldset.slot-day').nth(2).locator('label.slot').last();
  await expect(pick).toContainText(/C[SD]T/);
  const day = (await cand.locator('fieldset.slot-day').nth(2).locator('legend').textContent())!.trim();
  const time = (await pick.locator('.slot-time').textContent())!.trim();
  await pick.getByRole('radio').check();
  await cand.getByRole('button', { name: 'Book this time' }).click();
  await expect(cand.getByRole('status').filter({ hasText: 'Booked.' })).toBeVisible();
  const booked = cand.getByRole('region', { name: 'Your interview' });
  await expect(booked.locator('.booked-when')).toHaveText(`${day}, ${time}`);

  // The calendar invitation arrives, in Chicago time.
  const [invite] = await waitForMails(email, 1, 'Invitation: Technical interview');
  expect(invite.body).toContain(`${day}, ${time}`);

  // They move it to another day.
  const movedTo = await moveToAnotherDay(cand, booked, 'Move my interview');
  const [moved] = await waitForMails(email, 1, 'Moved: Technical interview');
  expect(moved.body).toContain(movedTo);

  // The portal lists it, with a calendar file and the way back to move or cancel it.
  await cand.goto('/portal');
  await expect(cand.locator('.portal-schedule')).toHaveCount(0);
  const mine = cand.locator('li.portal-interview', { hasText: 'Technical interview' });
  await expect(mine).toContainText(movedTo);
  await expect(mine.getByRole('link', { name: 'Move or cancel' })).toHaveAttribute('href', /^\/schedule\//);
  const ics = await cand.request.get((await mine.getByRole('link', { name: 'Add to calendar (.ics)' }).getAttribute('href'))!);
  expect(ics.status()).toBe(200);
  const text = await ics.text();
  expect(text).toContain('METHOD:PUBLISH');
  expect(text).toContain('TZID=America/Chicago');
  expect(text).toContain('SEQUENCE:1');
  await ctx.close();

  // The recruiter sees the booking with its panel.
  await page.reload();
  await hydrated(page);
  const line = page.locator('li.interview-line', { hasText: 'Technical interview' });
  await expect(line.getByRole('list', { name: 'Panel' })).toContainText('Parker Panelist');
  await expect(line.getByRole('list', { name: 'Panel' })).toContainText('Riley Recruiter');
});

test('a recruiter moves a booked interview to another time the panel has free', async ({ page, browser }) => {
  test.setTimeout(90_000);
  const name = `Mo ${unique('Mover')}`;
  const email = `${unique('mo')}@example.org`;
  await applyAs(browser, 'rust-backend', name, email);
  await signIn(page, STAFF.recruiter, '/app/jobs/rust-backend/board');
  await hydrated(page);
  await openInterviews(page, name);
  await page.getByLabel('Interview', { exact: true }).selectOption({ label: 'Interview · Technical interview · 60 min' });
  await page.getByRole('checkbox', { name: /Riley Recruiter/ }).check();
  await page.getByRole('button', { name: 'Find times' }).click();
  // The times arrive with a new address: wait for it, so the page waited on is the new one.
  await expect(page).toHaveURL(/[?&]plan=.*panel=/);
  await hydrated(page);
  await page.locator('label.slot').nth(5).getByRole('radio').check();
  await page.getByRole('button', { name: 'Schedule interview' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Interview scheduled.' })).toBeVisible();
  const line = page.locator('li.interview-line', { hasText: 'Technical interview' });
  const before = (await line.locator('time').textContent())!.trim();
  await line.getByRole('link', { name: 'Move' }).click();
  const move = page.getByRole('region', { name: 'Move Technical interview' });
  await expect(move).toContainText(`Now: ${before}`);
  await hydrated(page);
  const target = move.locator('label.slot').nth(8);
  const after = (await target.locator('.slot-time').textContent())!.trim();
  await target.getByRole('radio').check();
  await move.getByRole('button', { name: 'Move interview' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Interview moved.' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Move Technical interview' })).toHaveCount(0);
  await expect(line.locator('time')).toHaveText(after);
  // The candidate got the invitation, then its update.
  await waitForMails(email, 1, 'Invitation: Technical interview');
  await waitForMails(email, 1, 'Moved: Technical interview');
});
