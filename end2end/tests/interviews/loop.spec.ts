import { expect, test } from '../support/test';
import { STAFF, applyAs, hydrated, signIn, unique } from '../support/app';
import { openInterviews } from '../support/interviews';
import { waitForMails } from '../support/mail';

test('a recruiter books two interviews back to back, each with its own panel', async ({ page, browser }) => {
  test.setTimeout(90_000);
  const name = `Lu ${unique('Loop')}`;
  const email = `${unique('lu')}@example.org`;
  await applyAs(browser, 'rust-backend', name, email);
  await signIn(page, STAFF.recruiter, '/app/jobs/rust-backend/board');
  await hydrated(page);
  await openInterviews(page, name);

  // The technical interview with Ivy (London), then meeting the team with Morgan (Berlin)
  // straight after. Nobody else's specs book these two, so the times stay free while this runs.
  await page.getByLabel('Interview', { exact: true }).selectOption({ label: 'Interview · Technical interview · 60 min' });
  await page.getByRole('group', { name: 'Panel', exact: true }).getByRole('checkbox', { name: /Ivy Interviewer/ }).check();
  await page.getByText('Add a second interview straight after').click();
  await page.getByLabel('Then', { exact: true }).selectOption({ label: 'Interview · Meet the team · 45 min' });
  await page.getByRole('group', { name: 'Its panel' }).getByRole('checkbox', { name: /Morgan Manager/ }).check();
  await page.getByRole('button', { name: 'Find times' }).click();
  await expect(page).toHaveURL(/[?&]then=.*then_panel=/);
  await hydrated(page);

  const times = page.getByRole('group', { name: /Times for both interviews, back to back/ });
  const first = times.locator('label.slot').first();
  await expect(first).toBeVisible();
  // Both panels' zones are shown beside each time; the self-scheduling link is for one interview.
  await expect(first).toContainText(/Morgan Manager: \w{3} \d\d:\d\d CES?T/);
  await expect(page.getByRole('button', { name: 'Send the candidate a scheduling link' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Schedule both interviews' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Both interviews scheduled, back to back.' })).toBeVisible();

  const technical = page.locator('li.interview-line', { hasText: 'Technical interview' });
  const team = page.locator('li.interview-line', { hasText: 'Meet the team' });
  await expect(technical.getByRole('list', { name: 'Panel' })).toContainText('Ivy Interviewer');
  await expect(team.getByRole('list', { name: 'Panel' })).toContainText('Morgan Manager');
  await expect(team.getByRole('list', { name: 'Panel' })).not.toContainText('Ivy Interviewer');
  // The second starts when the first ends.
  const span = async (line: typeof team) => (await line.locator('time').textContent())!.match(/(\d\d:\d\d)–(\d\d:\d\d)/)!;
  const [, , firstEnds] = await span(technical);
  const [, secondStarts] = await span(team);
  expect(secondStarts).toBe(firstEnds);

  // The candidate has an invitation for each.
  const invites = await waitForMails(email, 2, 'Invitation');
  expect(invites).toHaveLength(2);
});
