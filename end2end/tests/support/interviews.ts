// Steps the interview journeys share.
import { expect, type Locator, type Page } from '@playwright/test';
import { Board, hydrated } from './app';

/** From the board, through the quick view and the profile, to the application's interviews. */
export async function openInterviews(page: Page, name: string) {
  const board = new Board(page);
  await board.card(name).getByRole('link', { name, exact: true }).click();
  await page.getByRole('dialog', { name }).getByRole('link', { name: 'Open full profile' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await page.getByRole('link', { name: 'Interviews and feedback' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `${name}: interviews` })).toBeVisible();
  await hydrated(page);
}

/** On an application's interviews: the technical interview with Ivy, then meeting the team with
 * Morgan straight after, and the times for both. Nobody else's specs book these two together. */
export async function chooseTechnicalThenTeam(page: Page) {
  await page.getByLabel('Interview', { exact: true }).selectOption({ label: 'Interview · Technical interview · 60 min' });
  await page.getByRole('group', { name: 'Panel', exact: true }).getByRole('checkbox', { name: /Ivy Interviewer/ }).check();
  await page.getByText('Add a second interview straight after').click();
  await page.getByLabel('Then', { exact: true }).selectOption({ label: 'Interview · Meet the team · 45 min' });
  await page.getByRole('group', { name: 'Its panel' }).getByRole('checkbox', { name: /Morgan Manager/ }).check();
  await page.getByRole('button', { name: 'Find times' }).click();
  await expect(page).toHaveURL(/[?&]then=.*then_panel=/);
  await hydrated(page);
}

/** On the candidate's scheduling page, once booked: moves the booking (`booked`, the "Your
 * interview(s)" region) to the first time of the fourth day offered, with `button`, and waits
 * for the page to say so. Returns the new time as the page shows it ("Thu 10 Dec, 09:00–…"). */
export async function moveToAnotherDay(cand: Page, booked: Locator, button: string): Promise<string> {
  await hydrated(cand);
  await booked.getByText('Move to another time').click();
  const day = booked.locator('fieldset.slot-day').nth(3);
  const other = day.locator('label.slot').first();
  const when = `${(await day.locator('legend').textContent())!.trim()}, ${(await other.locator('.slot-time').textContent())!.trim()}`;
  await other.getByRole('radio').check();
  await booked.getByRole('button', { name: button, exact: true }).click();
  await expect(cand.getByRole('status').filter({ hasText: 'Moved.' })).toBeVisible();
  await expect(booked.locator('.booked-when')).toHaveText(when);
  return when;
}
