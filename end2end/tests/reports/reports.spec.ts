import { expect, test } from '../support/test';
import fs from 'node:fs';
import { STAFF, hydrated, signIn } from '../support/app';

// A recruiter opens the reports, narrows them to one job, follows a number to the people behind
// it and downloads the table; a hiring manager sees only their own job.

test('a recruiter reads the funnel of one job, follows a number to its people and downloads it', async ({ page }) => {
  await signIn(page, STAFF.recruiter);
  await hydrated(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Hiring reports' })).toBeVisible();
  // Every job: the chart is a named image, the numbers are in the table beside it.
  await expect(page.getByRole('img', { name: 'Applications reaching each stage' })).toBeVisible();
  const funnel = page.getByRole('table', { name: 'Funnel by stage' });
  await expect(funnel.getByRole('rowheader', { name: 'Applied' })).toBeVisible();
  await expect(page.getByText('Across jobs, stages are matched by name.')).toBeVisible();
  const all = Number(await page.locator('.total-applications dd').textContent());
  expect(all).toBeGreaterThan(0);

  await page.getByLabel('Job', { exact: true }).selectOption({ label: 'Senior Backend Engineer (Rust)' });
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/[?&]job=rust-backend/);
  await expect(page.getByText('Across jobs, stages are matched by name.')).toHaveCount(0);
  const one = Number(await page.locator('.total-applications dd').textContent());
  expect(one).toBeGreaterThan(0);
  expect(one).toBeLessThan(all);
  // Everyone of the period reached the first stage.
  await expect(funnel.locator('tr[data-stage="Applied"] td.reached')).toHaveText(String(one));
  await expect(page.getByRole('table', { name: 'Results per source' })).toBeVisible();
  // The four-fifths check, from the demo applicants' voluntary answers, by another question.
  const impact = page.getByRole('region', { name: 'Adverse impact by gender' });
  await expect(impact.getByRole('table', { name: 'Adverse impact, Applied → Phone screen' })).toBeVisible();
  await expect(impact.getByRole('status')).toContainText('four fifths');
  await page.getByLabel('Fairness check by').selectOption({ label: 'Race or ethnicity' });
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/group_by=ethnicity/);
  await expect(page.getByRole('region', { name: 'Adverse impact by race or ethnicity' })
    .locator('tr[data-group="white"]').first()).toBeVisible();

  // The table as a file: the same stages, in order.
  const download = page.waitForEvent('download');
  await page.getByRole('region', { name: 'Funnel and pass-through' }).getByRole('link', { name: 'Download CSV' }).click();
  const file = await (await download).path();
  const lines = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/);
  expect(lines[0]).toContain('Stage,Reached');
  expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['Applied', 'Phone screen', 'Interview', 'Offer', 'Hired']);
  expect(lines[1]).toMatch(new RegExp(`^Applied,${one},`));

  // A number leads to the people in that stage now.
  const now = funnel.locator('tr[data-stage="Applied"] td.now a');
  await now.click();
  await expect(page).toHaveURL(/\/app\/search\?job=rust-backend&stage=applied/);
  await expect(page.locator('.search-hit').first()).toBeVisible();
});

test('a hiring manager sees their numbers at home and reports on their own job only', async ({ page }) => {
  await signIn(page, STAFF.manager);
  const numbers = page.getByRole('region', { name: 'Your numbers, last 90 days' });
  await expect(numbers.locator('.total-applications dd')).toHaveText(/^[1-9]\d*$/);
  await numbers.getByRole('link', { name: 'All reports' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Hiring reports' })).toBeVisible();
  const jobs = page.getByLabel('Job', { exact: true }).locator('option');
  await expect(jobs).toHaveText(['All jobs', 'Senior Backend Engineer (Rust)']);
  // Candidates' voluntary answers are never shown to those who review them, not even counted.
  await expect(page.getByRole('region', { name: /Adverse impact/ })).toHaveCount(0);
  // Their numbers do not lead into the talent pool search, which is not theirs.
  await expect(page.getByRole('table', { name: 'Funnel by stage' }).locator('td.now a')).toHaveCount(0);
});

test('a recruiter reads the pipeline health and changes when a candidate counts as stuck', async ({ page }) => {
  await signIn(page, STAFF.recruiter, '/app/reports');
  await hydrated(page);
  const health = page.locator('section.pipeline-health');
  await expect(health.getByRole('heading', { name: 'Pipeline health' })).toBeVisible();
  await expect(health.getByLabel('Stuck after (days)')).toHaveValue('14');
  // The demo has applications waiting for weeks: by job, stage and owner, and by person.
  await expect(health.locator('.health-summary')).toHaveText(/^\d+ applications? ha(s|ve) waited 14 days or more in (its|their) stage\.$/);
  await expect(health.locator('table.stuck-by-stage tbody tr').first()).toBeVisible();
  const person = health.locator('ul.stuck-people li a').first();
  const name = (await person.textContent())!.trim();
  await person.click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();

  // A longer wait before counting as stuck: the form keeps the job filter and the number.
  await page.goto('/app/reports?job=rust-backend');
  await hydrated(page);
  await health.getByLabel('Stuck after (days)').fill('365');
  await health.getByRole('button', { name: 'Update' }).click();
  await expect(page).toHaveURL(/job=rust-backend.*stuck_days=365/);
  await expect(health.getByLabel('Stuck after (days)')).toHaveValue('365');
  await expect(health.locator('.health-summary')).toContainText('365 days or more');
});
