import { expect, test } from '../support/test';
import path from 'path';
import { FIXTURES, STAFF, hydrated, signIn } from '../support/app';
import { openPerson } from '../support/journeys';

// A recruiter moving from Greenhouse uploads its candidate export: the columns are recognised,
// the plan names the jobs (one is not here yet) and the stages not in a pipeline; the import
// brings the people with their applications, and a profile shows where each one stands.
test('a recruiter imports a Greenhouse export with its applications, stages and outcomes', async ({ page }) => {
  await signIn(page, STAFF.recruiter, '/app/imports/new');
  await hydrated(page);
  await page.getByLabel('CSV file').setInputFiles(path.join(FIXTURES, 'greenhouse-export.csv'));
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Import of greenhouse-export.csv' })).toBeVisible();
  await hydrated(page);

  await expect(page.getByText('This looks like a Greenhouse candidate export')).toBeVisible();
  await expect(page.getByLabel('Column Job Name holds')).toHaveValue('job');
  await expect(page.getByLabel('Column Current Stage holds')).toHaveValue('stage');
  await expect(page.getByLabel('Column Status holds')).toHaveValue('outcome');
  const plan = page.locator('.import-plan tbody tr');
  await expect(plan).toHaveCount(3);
  await expect(plan.filter({ hasText: 'Senior Backend Engineer (Rust)' })).toContainText('Application Review');
  await expect(plan.filter({ hasText: 'Support Lead' })).toContainText('No: created as a closed job');
  await expect(plan.filter({ hasText: 'Support Lead' })).toContainText('1 hired');

  await page.getByRole('button', { name: 'Start import' }).click();
  await expect(page.locator('.import-status')).toHaveText('Import finished.', { timeout: 30_000 });
  await expect(page.locator('.import-progress .created')).toHaveText('3');
  await expect(page.locator('.import-progress .applications')).toHaveText('4');
  await expect(page.locator('.import-progress .errors')).toHaveText('1');
  await expect(page.locator('.row-errors tbody tr td').nth(0)).toHaveText('6');

  // Gustav had two applications in Greenhouse: one goes on, one was rejected.
  await openPerson(page, 'gustav.harlow@example.com', 'Gustav Harlow');
  const lines = page.locator('li.app-line');
  await expect(lines).toHaveCount(2);
  await expect(lines.filter({ hasText: 'Product Designer' })).toContainText('Applied');
  await expect(lines.filter({ hasText: 'Product Designer' })).toContainText('via Import');
  await expect(lines.filter({ hasText: 'Senior Backend Engineer (Rust)' })).toContainText('Rejected');
});

test('a sourcer may import the people of an export but not its applications', async ({ page }) => {
  await signIn(page, STAFF.sourcer, '/app/imports/new');
  await hydrated(page);
  await page.getByLabel('CSV file').setInputFiles(path.join(FIXTURES, 'lever-export.csv'));
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Import of lever-export.csv' })).toBeVisible();
  await hydrated(page);
  await expect(page.getByText('This looks like a Lever candidate export')).toBeVisible();
  await page.getByRole('button', { name: 'Start import' }).click();
  await expect(page.locator('.field-error[role=alert]').first()).toContainText('Only recruiters and admins import applications');
  await expect(page.locator('.import-status')).toHaveCount(0);
});
