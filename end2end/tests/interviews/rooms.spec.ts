import { expect, test } from '../support/test';
import { STAFF, applyAs, hydrated, signIn, unique } from '../support/app';
import { openInterviews } from '../support/interviews';

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
  // Candidates choose without a room: the link is not offered for this one.
  await expect(page.getByRole('button', { name: 'Send the candidate a scheduling link' })).toHaveCount(0);
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
