import { expect, test } from '../support/test';
import { ApplyForm, hydrated, unique } from '../support/app';
import { linkIn, waitForMails } from '../support/mail';

test('a candidate sees clear errors, applies, gets a portal link, and cannot apply twice', async ({ page }) => {
  await page.goto('/jobs');
  await page.getByRole('link', { name: 'Senior Backend Engineer (Rust)' }).click();
  await expect(page).toHaveURL(/\/jobs\/rust-backend$/);
  await hydrated(page);
  const form = new ApplyForm(page);

  await form.fill({ name: '', email: 'not-an-email', phone: '123', resume: 'not-a-resume.pdf' });
  await form.submit();
  await expect(form.fieldError('name')).toHaveText('Enter your name.');
  await expect(form.fieldError('email')).toHaveText('Enter a valid email address, like name@example.com.');
  await expect(form.fieldError('phone')).toContainText('7 to 15 digits');
  await expect(form.fieldError('resume')).toHaveText('We accept resumes as PDF or Word (DOCX) files only.');
  await expect(page.getByLabel('Email')).toHaveValue('not-an-email');

  const email = `${unique('ada')}@example.org`;
  await form.fill({ name: 'Ada Lovelace', email, phone: '+44 20 7946 0000', resume: 'resume.pdf' });
  await form.submit();
  await expect(page).toHaveURL(/\/jobs\/rust-backend\/applied$/);
  await expect(page.getByRole('heading', { name: 'Thank you, your application is in' })).toBeVisible();
  await expect(page.getByText('We received your application for Senior Backend Engineer (Rust).')).toBeVisible();

  const [mail] = await waitForMails(email);
  expect(mail.subject).toBe('We received your application for Senior Backend Engineer (Rust)');
  expect(mail.body).toContain('Hi Ada,');
  linkIn(mail, '/portal/auth?token=');

  await page.goto('/jobs/rust-backend');
  await hydrated(page);
  await form.fill({ name: 'Ada Lovelace', email, resume: 'resume.docx' });
  await form.submit();
  await expect(page.locator('.banner-error')).toContainText('You have already applied for this job');
  await waitForMails(email, 2);
});

test('the careers page works on a phone', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  await page.goto('/jobs/customer-success');
  await hydrated(page);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  const form = new ApplyForm(page);
  const email = `${unique('phone')}@example.org`;
  await form.fill({ name: 'Pat Phone', email, resume: 'resume.docx' });
  await form.submit();
  await expect(page).toHaveURL(/\/applied$/);
  await ctx.close();
});
