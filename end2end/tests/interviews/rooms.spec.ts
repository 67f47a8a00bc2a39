import { expect, test } from '../support/test';
import { STAFF, applyAs, hydrated, signIn, unique } from '../support/app';
import { openInterviews } from '../support/interviews';
import { linkIn, waitForMails } from '../support/mail';

test('an admin adds a room and a recruiter books an on-site interview in it', async ({ page, browser }) => {
  test.setTimeout(90_000);
  const room = unique('Room');

  // The admin's list of rooms: a name is required, then the room is in use.
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, STAFF.admin, '/admin/rooms');
  await hydrated(admin);
  await expect(admin.getByRole('cell', { name: 'Thames', exact: true })).toBeVisible();
  await admin.getByRole('button', { name: 'Add room' }).click();
  await expect(admin.getByText('Name the room (up to 80 characters).')).toBeVisible();
  await admin.getByLabel('Name').fill(room);
  await admin.getByLabel('Where').fill('London office, 5th floor');
  await admin.getByLabel('Seats').fill('0');
  await admin.getByRole('button', { name: 'Add room' }).click();
  await expect(admin.getByText('Enter how many people it seats (1 to 500), or leave it empty.')).toBeVisible();
  await admin.getByLabel('Seats').fill('3');
  await admin.getByRole('button', { name: 'Add room' }).click();
  await expect(admin.getByRole('status').filter({ hasText: 'Room added' })).toBeVisible();
  const row = admin.getByRole('row', { name: new RegExp(room) });
  await expect(row).toContainText('London office, 5th floor');
  await expect(row.getByRole('cell').nth(2)).toHaveText('3');

  // The recruiter chooses it with the interview; the times offered are the room's free ones.
  const name = `Ro ${unique('Room')}`;
  await applyAs(browser, 'rust-backend', name, `${unique('ro')}@example.org`);
  await signIn(page, STAFF.recruiter, '/app/jobs/rust-backend/board');
  await hydrated(page);
  await openInterviews(page, name);
  await page.getByLabel('Interview', { exact: true }).selectOption({ label: 'Interview · Technical interview · 60 min' });
  await page.getByRole('checkbox', { name: /Ivy Interviewer/ }).check();
  await page.getByLabel('Room').selectOption({ label: `${room} · London office, 5th floor (3 seats)` });
  await page.getByRole('button', { name: 'Find times' }).click();
  await expect(page).toHaveURL(/[?&]room=/);
  await hydrated(page);
  // The candidate could choose a time in the room too (see below); the recruiter books it here.
  await expect(page.getByRole('button', { name: 'Send the candidate a scheduling link' })).toBeVisible();
  // The last time offered (other specs book the first ones with the same people).
  await page.locator('label.slot').last().getByRole('radio').check();
  await page.getByRole('button', { name: 'Schedule interview' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Interview scheduled.' })).toBeVisible();
  const line = page.locator('li.interview-line', { hasText: 'Technical interview' });
  await expect(line.locator('.interview-place')).toHaveText(` · ${room} · London office, 5th floor`);

  // Taken out of use, it is no longer offered to recruiters.
  await admin.getByRole('button', { name: `Take ${room} out of use` }).click();
  await expect(admin.getByRole('button', { name: `Put ${room} back in use` })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Room').locator('option', { hasText: room })).toHaveCount(0);
});

test('a candidate chooses the time of an on-site interview from the link, when the room is free too', async ({ page, browser }) => {
  test.setTimeout(90_000);
  const name = `Rui ${unique('OnSite')}`;
  const email = `${unique('rui')}@example.org`;
  await applyAs(browser, 'rust-backend', name, email);
  await signIn(page, STAFF.recruiter, '/app/jobs/rust-backend/board');
  await hydrated(page);
  await openInterviews(page, name);
  await page.getByLabel('Interview', { exact: true }).selectOption({ label: 'Interview · Technical interview · 60 min' });
  await page.getByRole('checkbox', { name: /Morgan Manager/ }).check();
  await page.getByLabel('Room').selectOption({ label: 'Spree · Berlin office, 2nd floor (4 seats)' });
  await page.getByRole('button', { name: 'Find times' }).click();
  await expect(page).toHaveURL(/[?&]room=/);
  await hydrated(page);
  await page.getByRole('button', { name: 'Send the candidate a scheduling link' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Scheduling link sent to ${email}` })).toBeVisible();

  // The email and the page say where; the times are those Morgan and the room are both free.
  const [choose] = await waitForMails(email, 1, 'Choose a time');
  expect(choose.body).toContain('at Spree · Berlin office, 2nd floor');
  // Its HTML alternative, in the branded layout, links the same page.
  expect(choose.html).toContain('>Acme</td>');
  expect(choose.html).toContain(`<a href="${linkIn(choose, '/schedule/')}"`);
  const cand = await (await browser.newContext({ timezoneId: 'Europe/Berlin' })).newPage();
  await cand.goto(linkIn(choose, '/schedule/'));
  await hydrated(cand);
  await expect(cand).toHaveURL(/tz=Europe(%2F|\/)Berlin/);
  await expect(cand.locator('.schedule-place')).toHaveText('Where: Spree · Berlin office, 2nd floor');
  // The second day's first time (other specs book Morgan's first and last ones), once the times
  // are shown in Berlin time (the page asks for them again after reading the browser's zone).
  await expect(cand.getByLabel('Times in')).toHaveValue('Europe/Berlin');
  const pick = cand.locator('fieldset.slot-day').nth(1).locator('label.slot').first();
  await expect(pick).toContainText(/CES?T/);
  const day = (await cand.locator('fieldset.slot-day').nth(1).locator('legend').textContent())!.trim();
  const time = (await pick.locator('.slot-time').textContent())!.trim();
  await pick.getByRole('radio').check();
  await cand.getByRole('button', { name: 'Book this time' }).click();
  await expect(cand.getByRole('status').filter({ hasText: 'Booked.' })).toBeVisible();
  const booked = cand.getByRole('region', { name: 'Your interview' });
  await expect(booked.locator('.booked-when')).toHaveText(`${day}, ${time}`);
  await expect(booked).toContainText('Spree · Berlin office, 2nd floor');

  // The recruiter sees it booked in the room.
  await page.reload();
  const line = page.locator('li.interview-line', { hasText: 'Technical interview' });
  await expect(line.locator('.interview-place')).toHaveText(' · Spree · Berlin office, 2nd floor');
  await cand.context().close();
});
