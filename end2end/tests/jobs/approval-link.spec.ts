import { expect, test } from '../support/test';
import { PASSWORD, STAFF, hydrated, signIn, unique } from '../support/app';
import { waitForMails } from '../support/mail';
import { createDraftJob, linkAfter } from '../support/journeys';

test.describe.configure({ timeout: 120_000 });

test('the hiring manager approves a requisition from the signed link in the email', async ({ page, browser }) => {
  const title = unique('Site Reliability Engineer ');
  await signIn(page, STAFF.recruiter);
  const jobId = await createDraftJob(page, title, 'Morgan Manager');
  await expect(page.getByRole('button', { name: 'Publish' })).toBeDisabled();
  await page.getByRole('button', { name: 'Request approval' }).click();
  await expect(page.locator('.approval .status')).toHaveText('Waiting for approval');
  await expect(page.locator('.approval-steps li')).toContainText(['Morgan Manager · asked, waiting for a decision']);

  // The approver is emailed one link to approve and one to reject.
  const [mail] = await waitForMails(STAFF.manager, 1, `Approval needed: ${title}`);
  expect(mail.body).toContain('Hi Morgan Manager,');
  expect(mail.body).toContain(`Riley Recruiter asks you to approve the requisition for ${title}`);
  const approve = linkAfter(mail, 'Approve:');
  const reject = linkAfter(mail, 'Reject (you will be asked for a reason):');
  expect(approve).toContain('/approvals/decide?token=');
  expect(reject).toContain('/approvals/decide?token=');
  expect(approve).not.toBe(reject);

  // The links work only for the approver, signed in: opened elsewhere, the page asks to sign in.
  const ctx = await browser.newContext();
  const inbox = await ctx.newPage();
  await inbox.goto(reject);
  await hydrated(inbox);
  await expect(inbox.getByRole('heading', { level: 1, name: 'Approval', exact: true })).toBeVisible();
  await expect(inbox.getByText('This decision is for Morgan Manager. Sign in to decide.')).toBeVisible();
  await expect(inbox.getByRole('button', { name: 'Reject requisition' })).toHaveCount(0);
  // Signing in comes back to the link. Opening it decides nothing: the reject link asks for a reason.
  await inbox.getByRole('link', { name: 'Sign in to decide' }).click();
  await inbox.getByLabel('Email').fill(STAFF.manager);
  await inbox.getByLabel('Password').fill(PASSWORD);
  await inbox.getByRole('button', { name: 'Sign in' }).click();
  await expect(inbox).toHaveURL(/\/approvals\/decide\?token=/);
  await hydrated(inbox);
  await expect(inbox.getByRole('heading', { level: 2, name: title })).toBeVisible();
  await expect(inbox.getByLabel('Why do you reject it?')).toBeVisible();
  await expect(inbox.getByRole('button', { name: 'Reject requisition' })).toBeVisible();

  // The recruiter who asked cannot use the approver's link.
  await page.goto(approve);
  await hydrated(page);
  await expect(page.locator('.banner-error')).toContainText('This decision is for Morgan Manager, and you are signed in as Riley Recruiter.');
  await expect(page.getByRole('button', { name: 'Approve requisition' })).toHaveCount(0);

  await inbox.goto(approve);
  await hydrated(inbox);
  await expect(inbox.getByRole('heading', { level: 2, name: title })).toBeVisible();
  await expect(inbox.getByText('Decision for Morgan Manager')).toBeVisible();
  await inbox.getByRole('button', { name: 'Approve requisition' }).click();
  await expect(inbox.locator('.banner-ok')).toHaveText(`Morgan Manager approved ${title}. Thank you.`);

  // The link works once: opened again, it only says what was decided.
  await inbox.goto(approve);
  await expect(inbox.locator('.banner-ok')).toHaveText(`Morgan Manager approved ${title}. Thank you.`);
  await expect(inbox.getByRole('button', { name: 'Approve requisition' })).toHaveCount(0);
  // A forged link is refused.
  await inbox.goto('/approvals/decide?token=forged.token');
  await expect(inbox.locator('.banner-error')).toHaveText('This approval link is not valid.');
  await ctx.close();

  // The job page shows the approved step; the recruiter may publish now and was told by email.
  await page.goto(`/app/jobs/${jobId}`);
  await hydrated(page);
  await expect(page.locator('.approval .status')).toHaveText('Approved');
  await expect(page.locator('.approval-steps li')).toHaveCount(1);
  await expect(page.locator('.approval-steps li').first()).toContainText(/^Morgan Manager · approved \d{1,2} \w{3} \d{4}/);
  await expect(page.locator('.job-activity li').first()).toContainText('Approved by Morgan Manager (1 of 1)');
  await expect(page.getByRole('button', { name: 'Publish' })).toBeEnabled();
  const [told] = await waitForMails(STAFF.recruiter, 1, `Approved: ${title}`);
  expect(told.body).toContain(`Every approver approved ${title}.`);
});
