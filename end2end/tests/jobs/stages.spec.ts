import { expect, test, type Page } from '../support/test';
import { Board, STAFF, applyAs, hydrated, signIn, unique } from '../support/app';
import { addToJobFromProfile, createDraftJob } from '../support/journeys';

// Job page and board, back and forth: several full page loads on a debug build.
test.describe.configure({ timeout: 120_000 });

const DEFAULT = ['Applied', 'Phone screen', 'Interview', 'Offer', 'Hired'];

/** The stage editor's rows, by their (visually hidden) labels "Name of stage …". */
async function expectStages(page: Page, names: string[]) {
  await expect(page.locator('.stages-editor .stage-list label')).toHaveText(names.map((n) => `Name of stage ${n}`));
}

/** One row of the stage editor. */
function stageRow(page: Page, name: string) {
  return page.locator('li.stage-row', { has: page.getByLabel(`Name of stage ${name}`, { exact: true }) });
}

async function expectColumns(page: Page, names: string[]) {
  await expect(page.locator('.board .column-head h2')).toHaveText(names);
}

test('a recruiter adds, renames, reorders and removes a stage, and the board follows', async ({ page }) => {
  const title = unique('Stage Editor ');
  await signIn(page, STAFF.recruiter);
  const jobId = await createDraftJob(page, title);
  await expectStages(page, DEFAULT);
  const editor = page.locator('.stages-editor');

  // A name already in use is refused.
  await page.getByLabel('New stage (added before Hired)').fill('interview');
  await page.getByRole('button', { name: 'Add stage' }).click();
  await expect(editor.locator('.field-error')).toHaveText('There is already a stage called interview.');
  await expectStages(page, DEFAULT);

  // Added just before Hired.
  await page.getByLabel('New stage (added before Hired)').fill('Take-home test');
  await page.getByRole('button', { name: 'Add stage' }).click();
  await expectStages(page, ['Applied', 'Phone screen', 'Interview', 'Offer', 'Take-home test', 'Hired']);
  await expect(editor.locator('.field-error')).toHaveText('');

  // Renamed.
  const added = stageRow(page, 'Take-home test');
  await added.getByRole('textbox').fill('Coding exercise');
  await added.getByRole('button', { name: 'Rename' }).click();
  await expectStages(page, ['Applied', 'Phone screen', 'Interview', 'Offer', 'Coding exercise', 'Hired']);

  // Moved one place up, before Offer.
  await stageRow(page, 'Coding exercise').getByRole('button', { name: 'Move up' }).click();
  const edited = ['Applied', 'Phone screen', 'Interview', 'Coding exercise', 'Offer', 'Hired'];
  await expectStages(page, edited);
  const activity = page.locator('.job-activity');
  await expect(activity).toContainText('Added the stage Take-home test');
  await expect(activity).toContainText('Renamed the stage Take-home test to Coding exercise');
  await expect(activity).toContainText('Reordered the stages (Coding exercise moved)');

  // Stored: the page shows it after a reload, and the board has a column per stage, in order.
  await page.reload();
  await hydrated(page);
  await expectStages(page, edited);
  const values = await page
    .locator('.stage-list li input[name="name"]')
    .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  expect(values).toEqual(edited);
  await page.getByRole('link', { name: 'Open pipeline' }).click();
  await expect(page).toHaveURL(new RegExp(`/app/jobs/${jobId}/board$`));
  await expectColumns(page, edited);

  // Removed (it is empty); the board loses the column.
  await page.goto(`/app/jobs/${jobId}`);
  await hydrated(page);
  await stageRow(page, 'Coding exercise').getByRole('button', { name: 'Remove', exact: true }).click();
  await expectStages(page, DEFAULT);
  await expect(activity).toContainText('Removed the stage Coding exercise');
  await page.goto(`/app/jobs/${jobId}/board`);
  await expectColumns(page, DEFAULT);
});

test('a stage that still holds candidates cannot be removed until they are moved out', async ({ page, browser }) => {
  const title = unique('Stage Guard ');
  const name = `Gus ${unique('Guard')}`;
  const email = `${unique('gus')}@example.org`;
  await applyAs(browser, 'data-analyst', name, email);

  await signIn(page, STAFF.recruiter);
  const jobId = await createDraftJob(page, title);
  await page.getByLabel('New stage (added before Hired)').fill('Reference check');
  await page.getByRole('button', { name: 'Add stage' }).click();
  await expectStages(page, ['Applied', 'Phone screen', 'Interview', 'Offer', 'Reference check', 'Hired']);

  // The person goes into this job's pipeline from their profile.
  await addToJobFromProfile(page, { name, email }, title);

  // On the board, the card goes into the new stage.
  await page.goto(`/app/jobs/${jobId}/board`);
  await hydrated(page);
  const board = new Board(page);
  await expect(board.column('Applied').locator('li.board-card', { hasText: name })).toBeVisible();
  await board.moveWithMenu(name, 'Reference check');
  await expect(board.column('Reference check').locator('li.board-card', { hasText: name })).toBeVisible();

  // Removing it now is refused with the reason.
  await page.goto(`/app/jobs/${jobId}`);
  await hydrated(page);
  await stageRow(page, 'Reference check').getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(page.locator('.stages-editor .field-error')).toHaveText('Reference check still has candidates. Move them first.');
  await expectStages(page, ['Applied', 'Phone screen', 'Interview', 'Offer', 'Reference check', 'Hired']);

  // Once the candidate moved on, the stage can go.
  await page.goto(`/app/jobs/${jobId}/board`);
  await hydrated(page);
  await board.moveWithMenu(name, 'Offer');
  await expect(board.column('Offer').locator('li.board-card', { hasText: name })).toBeVisible();
  await page.goto(`/app/jobs/${jobId}`);
  await hydrated(page);
  await stageRow(page, 'Reference check').getByRole('button', { name: 'Remove', exact: true }).click();
  await expectStages(page, DEFAULT);
  await page.goto(`/app/jobs/${jobId}/board`);
  await expectColumns(page, DEFAULT);
  await expect(board.column('Offer').locator('li.board-card', { hasText: name })).toBeVisible();
});
