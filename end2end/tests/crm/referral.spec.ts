import { expect, test } from '../support/test';
import path from 'node:path';
import { Board, FIXTURES, STAFF, hydrated, signIn, unique } from '../support/app';
import { fact, profileTab } from '../support/journeys';

// Several full page loads; a debug build's WASM takes seconds to compile on each.
test.describe.configure({ timeout: 120_000 });

test('a recruiter refers someone for a job: the profile credits the referral and the card is on the board', async ({ page }) => {
  const name = `Rosa ${unique('Referred')}`;
  const email = `${unique('rosa')}@example.org`;
  const note = `Worked with Rosa at Initech ${unique('')}; great with customers.`;

  await signIn(page, STAFF.recruiter, '/app/people');
  await hydrated(page);
  await page.getByRole('link', { name: 'Refer someone' }).click();
  await expect(page).toHaveURL(/\/app\/refer$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Refer someone' })).toBeVisible();
  await hydrated(page);

  // Nothing filled in: the problems are named next to their fields, nothing is stored.
  await page.getByRole('button', { name: 'Send referral' }).click();
  await expect(page.locator('#f-name-error')).toHaveText('Enter your name.');
  await expect(page.locator('#f-email-error')).toHaveText('Enter an email address.');
  await expect(page).toHaveURL(/\/app\/refer$/);

  await page.getByLabel('Their name').fill(name);
  await page.getByLabel('Their email').fill(email);
  await page.getByLabel('Their phone').fill('+44 20 7946 0123');
  await page.getByLabel('How do you know them?').selectOption('Former colleague');
  await page.getByLabel('For a job (optional)').selectOption({ label: 'Customer Success Manager' });
  await page.getByLabel('Why them?').fill(note);
  await page.getByLabel('Their resume').setInputFiles(path.join(FIXTURES, 'resume.pdf'));
  await page.getByRole('button', { name: 'Send referral' }).click();

  // The referral lands on the new person's profile.
  await expect(page).toHaveURL(/\/app\/people\/[^/?]+\?referred=1$/);
  await expect(page.getByRole('heading', { level: 1, name, exact: true })).toBeVisible();
  await hydrated(page);
  const contact = page.locator('section.card', { has: page.getByRole('heading', { name: 'Contact', exact: true }) });
  await expect(fact(contact, 'Email')).toHaveText(email);
  await expect(fact(contact, 'Source')).toHaveText('Referral');
  const crm = page.locator('section.crm-panel');
  await expect(fact(crm, 'Referred by')).toHaveText('Riley Recruiter (Former colleague)');
  // The job it was for: an application in the first stage, credited to the referral.
  const app = page.locator('li.app-line', { hasText: 'Customer Success Manager' });
  await expect(app).toContainText('Applied');
  await expect(app).toContainText('via Referral');
  // The note and the resume came along, each in its tab.
  await profileTab(page, 'Notes');
  await expect(page.locator('.note-list .note').first()).toContainText(note);
  await expect(page.locator('.note-list .note').first()).toContainText('Riley Recruiter');
  await profileTab(page, 'Resume');
  await expect(page.locator('section.resume')).not.toContainText('No resume on file.');
  await profileTab(page, 'Timeline');
  await expect(page.locator('.timeline')).toContainText('Referred by Riley Recruiter (former colleague)');

  // In the people list the source says so too.
  await page.goto(`/app/people?q=${encodeURIComponent(email)}`);
  const row = page.locator('.people-table tbody tr', { hasText: email });
  await expect(row).toHaveCount(1);
  await expect(row.locator('td').nth(4)).toHaveText('Referral');

  // And the candidate waits in Applied on the job's board.
  await page.goto('/app/jobs/customer-success/board');
  const board = new Board(page);
  await expect(board.column('Applied').locator('li.board-card', { hasText: name })).toBeVisible();
});
