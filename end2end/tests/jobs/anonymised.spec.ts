import { expect, test } from '../support/test';
import { Board, STAFF, applyAs, hydrated, signIn, unique } from '../support/app';
import { addToJobFromProfile, createDraftJob, fact, profileTab } from '../support/journeys';

// Job page, profile and board, back and forth: several full page loads on a debug build.
test.describe.configure({ timeout: 150_000 });

const ALIAS = /^Candidate [0-9A-Z]{4}$/;

test('anonymised review hides the name on the board and the profile until the chosen stage, and turning it off is recorded', async ({
  page,
  browser,
}) => {
  const title = unique('Blind Review ');
  const name = `Blair ${unique('Blind')}`;
  const email = `${unique('blair')}@example.org`;
  await applyAs(browser, 'data-analyst', name, email);

  // A recruiter turns anonymised review on for a new job, until Phone screen.
  await signIn(page, STAFF.recruiter);
  const jobId = await createDraftJob(page, title);
  const section = page.locator('section.anonymised-review');
  await expect(section.locator('.anon-state')).toHaveText(/^Off:/);
  await section.getByLabel('Hide names until').selectOption({ label: 'Phone screen' });
  await section.getByRole('button', { name: 'Save' }).click();
  await expect(section.locator('.anon-state')).toHaveText(/^On: until a candidate reaches Phone screen, /);
  await expect(page.locator('.job-activity li').first()).toContainText(
    'Turned on anonymised review: names hidden until Phone screen',
  );

  // The person goes into this job's pipeline from their profile.
  await addToJobFromProfile(page, { name, email }, title);

  // On the board: an alias, never the name.
  await page.goto(`/app/jobs/${jobId}/board`);
  await hydrated(page);
  const board = new Board(page);
  const cardName = board.column('Applied').locator('li.board-card .card-name');
  await expect(cardName).toHaveCount(1);
  await expect(cardName).toHaveText(ALIAS);
  const alias = (await cardName.textContent())!.trim();
  await expect(page.locator('main')).not.toContainText(name);

  // The quick view says why, and shows no email.
  await cardName.click();
  const drawer = page.getByRole('dialog', { name: alias });
  await expect(drawer.locator('.anonymised-banner')).toContainText('Anonymised review');
  await expect(drawer).not.toContainText(email);
  await expect(drawer).not.toContainText(name);
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();

  // The profile: the alias, no contact details, the resume without its file.
  await page.goto((await cardName.getAttribute('href'))!);
  await expect(page.getByRole('heading', { level: 1, name: alias })).toBeVisible();
  await expect(page.locator('.anonymised-banner')).toContainText(`${title}: anonymised review until Phone screen`);
  await expect(fact(page.locator('.profile-side'), 'Email')).toHaveText('Hidden');
  await expect(page.locator('main')).not.toContainText(name);
  await expect(page.locator('main')).not.toContainText(email);
  await profileTab(page, 'Resume');
  await expect(page.locator('section.resume')).toContainText('Resume (anonymised)');
  await expect(page.locator('section.resume a[href^="/app/resumes/"]')).toHaveCount(0);
  await expect(page.locator('iframe.resume-viewer')).toHaveCount(0);

  // Moved to Phone screen, the card shows who it is.
  await page.goto(`/app/jobs/${jobId}/board`);
  await hydrated(page);
  await board.moveWithMenu(alias, 'Phone screen');
  await expect(board.column('Phone screen').locator('li.board-card .card-name')).toHaveText(name);
  // (Only the screen reader's note of the move, "Moved <alias> to Phone screen.", still says
  // the alias the recruiter moved.)
  await expect(page.locator('.board').getByText(alias)).toHaveCount(0);
  await expect(page.locator('.board')).toContainText(name);

  // Turned off, with who did it on the job's activity.
  await page.goto(`/app/jobs/${jobId}`);
  await hydrated(page);
  await section.getByLabel('Hide names until').selectOption({ label: 'Off: show names' });
  await section.getByRole('button', { name: 'Save' }).click();
  await expect(section.locator('.anon-state')).toHaveText(/^Off:/);
  const latest = page.locator('.job-activity li').first();
  await expect(latest).toContainText('Turned off anonymised review');
  await expect(latest).toContainText('by Riley Recruiter');
});
