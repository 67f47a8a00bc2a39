import { expect, test } from '../support/test';
import { JobForm, STAFF, hydrated, signIn, unique } from '../support/app';

test('a recruiter creates a job, fixes bad input, publishes it, and it is on the careers page', async ({ page }) => {
  await signIn(page, STAFF.recruiter);
  await expect(page.getByRole('heading', { level: 1, name: 'Hello, Riley' })).toBeVisible();
  await page.getByRole('link', { name: 'New job' }).first().click();
  await hydrated(page);

  // Nothing filled in: every problem is named next to its field.
  await page.getByRole('button', { name: 'Create draft' }).click();
  await expect(page.locator('#f-title-error')).toHaveText('Enter a job title.');
  await expect(page.locator('#f-description-error')).toHaveText('Enter a description of the role.');
  await expect(page.locator('#f-location-error')).toHaveText('Enter a location, or mark the job as remote.');
  await expect(page.getByLabel('Job title')).toHaveAttribute('aria-invalid', 'true');

  const title = unique('Platform Engineer ');
  await new JobForm(page).fill({
    title,
    department: 'Engineering',
    location: 'Berlin, Germany',
    type: 'Full-time',
    description: 'Run our platform.\n\nYou know Linux and Rust.',
  });
  await page.getByLabel('Headcount').fill('2');
  await page.getByLabel('Salary from').fill('65000');
  await page.getByLabel('Salary to').fill('85000');
  await page.getByLabel('1.', { exact: true }).selectOption({ label: 'Morgan Manager' });
  await page.getByRole('button', { name: 'Create draft' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.locator('.page-head .status').first()).toHaveText('Draft');
  const stageNames = await page.locator('.stage-list li input[name="name"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  expect(stageNames).toEqual(['Applied', 'Phone screen', 'Interview', 'Offer', 'Hired']);
  await hydrated(page);

  // Publishing waits for the requisition's approval.
  await expect(page.getByRole('button', { name: 'Publish' })).toBeDisabled();
  await expect(page.locator('.approval')).toContainText('2 hires · EUR 65,000–85,000 per year');
  await page.getByRole('button', { name: 'Request approval' }).click();
  await expect(page.locator('.approval .status')).toHaveText('Waiting for approval');
  await expect(page.locator('.approval-steps li')).toContainText(['Morgan Manager · asked, waiting for a decision']);

  // The hiring manager approves in the app.
  const ctx = await page.context().browser()!.newContext();
  const mgr = await ctx.newPage();
  // Their home says a decision waits for them, and leads to it.
  await signIn(mgr, STAFF.manager);
  const todo = mgr.locator('section.todo', { hasText: 'Waiting for your approval' });
  await todo.getByRole('link', { name: title }).click();
  await expect(mgr).toHaveURL(/\/app\/approvals$/);
  const item = mgr.locator('article.approval-item', { hasText: title });
  await expect(item).toContainText('2 hires · EUR 65,000–85,000 per year');
  await item.getByRole('button', { name: 'Approve' }).click();
  await expect(mgr.locator('article.approval-item', { hasText: title })).toHaveCount(0);
  await ctx.close();

  await page.reload();
  await hydrated(page);
  await expect(page.locator('.approval .status')).toHaveText('Approved');
  await expect(page.locator('.job-activity li').first()).toContainText('Approved by Morgan Manager (1 of 1)');
  await page.getByRole('button', { name: 'Publish' }).click();
  await expect(page.locator('.page-head .status').first()).toHaveText('Open');

  await page.goto('/jobs');
  await page.getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByText('You know Linux and Rust.')).toBeVisible();
  await expect(page.getByRole('heading', { name: `Apply for ${title}` })).toBeVisible();
});

test('staff pages send signed-out visitors to sign in and back', async ({ page }) => {
  await page.goto('/app/people');
  await expect(page).toHaveURL(/\/login\?next=\/app\/people$/);
  await hydrated(page);
  await page.getByLabel('Email').fill(STAFF.sourcer);
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('#f-password-error')).toHaveText('That email and password do not match an account.');
  await page.getByLabel('Password').fill('demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/app\/people$/);
  await expect(page.getByRole('heading', { level: 1, name: 'People' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Jobs' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/app/people');
  await expect(page).toHaveURL(/\/login\?next=/);
});
