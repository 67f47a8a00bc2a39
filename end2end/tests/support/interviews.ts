// Steps the interview journeys share.
import { expect, type Page } from '@playwright/test';
import { Board, hydrated } from './app';

/** From the board, through the quick view and the profile, to the application's interviews. */
export async function openInterviews(page: Page, name: string) {
  const board = new Board(page);
  await board.card(name).getByRole('link', { name }).click();
  await page.getByRole('dialog', { name }).getByRole('link', { name: 'Open full profile' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await page.getByRole('link', { name: 'Interviews and feedback' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `${name}: interviews` })).toBeVisible();
  await hydrated(page);
}
