import { expect, test } from '@playwright/test';
import { JobForm, STAFF, hydrated, signIn, unique } from '../support/app';

test('a recruiter creates a job, fixes bad input, publishes it, and it is on the careers page', async ({ page }) => {
  await signIn(page, STAFF.recruiter);
  await expect(page.getByRole('heading', { level: 1, name: 'Jobs' })).toBeVisible();
  await page.getByRole('link', { name: 'New job' }).click();
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
  await page.getByRole('button', { name: 'Create draft' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.locator('.page-head .status')).toHaveText('Draft');
  await expect(page.locator('.stage-chips li')).toHaveText(['Applied', 'Phone screen', 'Interview', 'Offer', 'Hired']);

  await page.getByRole('button', { name: 'Publish' }).click();
  await expect(page.locator('.page-head .status')).toHaveText('Open');

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
