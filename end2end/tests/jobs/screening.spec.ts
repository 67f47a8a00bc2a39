import { expect, test } from '../support/test';
import { STAFF, applyAs, hydrated, signIn, unique } from '../support/app';
import { addToJobFromProfile, createDraftJob } from '../support/journeys';

// Job page, screening page, profile, application page and board: several full page loads.
test.describe.configure({ timeout: 150_000 });

test('a recruiter sets screening criteria, reads the evidence, overrides a result and sorts the board by score', async ({
  page,
  browser,
}) => {
  const title = unique('Screened Role ');
  const name = `Sam ${unique('Screen')}`;
  const email = `${unique('sam')}@example.org`;
  // The fixture resume lists "Skills: Rust, Tokio, PostgreSQL, Kubernetes, Zymurgy".
  await applyAs(browser, 'data-analyst', name, email);

  await signIn(page, STAFF.recruiter);
  const jobId = await createDraftJob(page, title);
  await page.getByRole('link', { name: 'Screening' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Screening: ${title}` })).toBeVisible();
  await hydrated(page);
  await expect(page.locator('.screening-criteria .empty-state')).toContainText('No criteria yet');

  // Bad input is named at the field.
  const form = page.locator('form.criterion-form');
  await form.getByLabel('Checks').selectOption({ label: 'Years of experience' });
  await form.getByLabel('Skill, title, places, language or question').fill('Rust');
  await form.getByRole('button', { name: 'Add criterion' }).click();
  await expect(form.locator('#c-years-error')).toHaveText('Give the minimum years, from 1 to 40.');

  // A must-have and a nice-to-have.
  await form.getByLabel('Checks').selectOption({ label: 'Skill' });
  await form.getByLabel('Skill, title, places, language or question').fill('Rust');
  await form.getByLabel(/^Must-have/).check();
  await form.getByRole('button', { name: 'Add criterion' }).click();
  const list = page.locator('.criteria-list');
  await expect(list.locator('li')).toHaveCount(1);
  await expect(list.locator('li').first()).toContainText('Must-have');
  await form.getByLabel('Checks').selectOption({ label: 'Skill' });
  await form.getByLabel('Skill, title, places, language or question').fill('Figma');
  await form.getByLabel(/^Must-have/).uncheck();
  await form.getByRole('button', { name: 'Add criterion' }).click();
  await expect(list.locator('li')).toHaveCount(2);
  await expect(list.locator('li').nth(1)).toContainText('Nice-to-have');

  // The candidate goes into this job's pipeline; the background reading scores them.
  await addToJobFromProfile(page, { name, email }, title);
  await page.goto(`/app/jobs/${jobId}/screening`);
  const row = page.locator('.screening-table tbody tr', { hasText: name });
  await expect(async () => {
    await page.reload();
    await expect(row.locator('.score-badge')).toContainText('2/3 · passes', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(row.locator('td.mark-met')).toHaveCount(1);
  await expect(row.locator('td.mark-not_met')).toHaveCount(1);

  // The application's page quotes the sentence each result was read from.
  await row.getByRole('link', { name }).click();
  await hydrated(page);
  const panel = page.locator('section.screening-panel');
  const rust = panel.locator('li.screening-result', { hasText: 'Rust' });
  await expect(rust).toHaveAttribute('data-verdict', 'met');
  await expect(rust.locator('blockquote.evidence')).toContainText('Skills: Rust, Tokio');
  await expect(rust.locator('blockquote.evidence footer')).toHaveText('From the resume');
  const figma = panel.locator('li.screening-result', { hasText: 'Figma' });
  await expect(figma).toHaveAttribute('data-verdict', 'not_met');
  await expect(figma.locator('.evidence-none')).toContainText('Not found in the resume');

  // The recruiter knows better: the override is kept, with who and why, and the score follows.
  await figma.locator('details.override summary').click();
  await figma.getByLabel('Result').selectOption({ label: 'Met' });
  await figma.getByLabel('Why').fill('Portfolio shows Figma work');
  await figma.getByRole('button', { name: 'Save' }).click();
  await expect(figma).toHaveAttribute('data-verdict', 'met');
  await expect(figma.locator('.override-note')).toContainText('Set to Met by Riley Recruiter');
  await expect(figma.locator('.override-note')).toContainText('Portfolio shows Figma work');
  await expect(figma.locator('.override-note')).toContainText('the reading says Not met');
  await expect(panel.locator('.screening-summary .score-badge')).toContainText('3/3 · passes');

  // The board shows the score on the card and sorts by it.
  await page.goto(`/app/jobs/${jobId}/board`);
  await hydrated(page);
  await page.getByLabel('Order').selectOption({ label: 'Best screening score first' });
  await page.getByLabel('Screening').selectOption({ label: 'Passes the must-haves' });
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/screen=passed/);
  const card = page.locator('li.board-card', { hasText: name });
  await expect(card.locator('.score-badge')).toContainText('3/3 · passes');
  // The quick view shows it too, with the way to the evidence.
  await card.locator('.card-name').click();
  const drawer = page.getByRole('dialog', { name });
  await expect(drawer.locator('.quick-screening .score-badge')).toContainText('3/3 · passes');
  await drawer.getByRole('link', { name: 'Why this score' }).click();
  await expect(page.locator('#screening .screening-summary .score-badge')).toContainText('3/3 · passes');
});
