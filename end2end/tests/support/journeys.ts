// Helpers for the CRM, campaign, stage and approval journeys (and their no-JavaScript variants).
import { expect, type Browser, type Locator, type Page } from '@playwright/test';
import { ApplyForm, JobForm, hydrated } from './app';
import type { Mail } from './mail';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
}

/**
 * Waits until a page opened in a JavaScript-enabled context is hydrated. Unlike `hydrated()`,
 * this also waits in the `nojs` project, for set-up contexts opened with JavaScript on purpose.
 */
export async function waitHydrated(page: Page) {
  await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
}

/** Signs in from a context that has JavaScript (whatever the project). */
export async function signInWithJs(page: Page, email: string, next: string) {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await waitHydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(escapeRegExp(next) + '$'));
}

/** The value next to a term in a `<dl>` (e.g. "Owner" → "Morgan Manager"). */
export function fact(scope: Locator, term: string): Locator {
  return scope
    .locator('dt', { hasText: new RegExp(`^${escapeRegExp(term)}$`) })
    .locator('xpath=following-sibling::dd[1]');
}

/** Opens a person's profile from the people list (found by email); the page must be signed in. */
export async function openPerson(page: Page, email: string, name: string) {
  await page.goto(`/app/people?q=${encodeURIComponent(email)}`);
  await page.getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name, exact: true })).toBeVisible();
}

/** Opens a tab of the profile shown ("Resume", "Notes", "Timeline" or "Overview"): a link, so
 *  it works with or without JavaScript. */
export async function profileTab(page: Page, tab: 'Overview' | 'Resume' | 'Notes' | 'Emails' | 'Timeline') {
  await page.getByRole('navigation', { name: 'Profile' }).getByRole('link', { name: new RegExp(`^${tab}`) }).click();
  await expect(page).toHaveURL(tab === 'Overview' ? /\/app\/people\/[^?]+$/ : new RegExp(`[?&]tab=${tab.toLowerCase()}`));
}

/** Adds a person to a job's pipeline (as sourced) from their profile's CRM panel. */
export async function addToJobFromProfile(page: Page, person: { name: string; email: string }, jobTitle: string) {
  await openPerson(page, person.email, person.name);
  await hydrated(page);
  const crm = page.locator('section.crm-panel');
  await crm.getByLabel("Add to a job's pipeline").selectOption({ label: jobTitle });
  const added = page.waitForResponse((r) => r.url().includes('/add_person_to_job') && r.request().method() === 'POST');
  await crm.getByRole('button', { name: 'Add as sourced' }).click();
  expect((await added).ok()).toBe(true);
}

export interface Recipient {
  name: string;
  email: string;
}

/**
 * Imports people from a CSV, all tagged `tag` (the page must have JavaScript and be signed in as
 * someone who uses the CRM).
 */
export async function importTagged(page: Page, people: Recipient[], tag: string) {
  const file = `${tag}.csv`;
  const csv = ['Name,Email', ...people.map((p) => `${p.name},${p.email}`)].join('\n');
  await page.goto('/app/imports/new');
  await waitHydrated(page);
  await page.getByLabel('CSV file').setInputFiles({ name: file, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Import of ${file}` })).toBeVisible();
  await waitHydrated(page);
  await page.getByLabel('Tag everyone imported').fill(tag);
  await page.getByRole('button', { name: 'Start import' }).click();
  await expect(page.locator('.import-status')).toHaveText('Import finished.', { timeout: 30_000 });
  await expect(page.locator('.import-progress .created')).toHaveText(String(people.length));
}

/**
 * Creates a one-email campaign to everyone tagged `tag` and sends it (page with JavaScript,
 * signed in as someone who uses the CRM). Returns the campaign page's URL.
 */
export async function launchQuickCampaign(
  page: Page,
  c: { name: string; tag: string; count: number; subject: string; body: string },
): Promise<string> {
  // The option reads "<tag> (<n> people)", also for one person. The tags come from the search
  // index, which follows a change within a second or two: a page loaded just after the import
  // may not list the new tag yet, so load it again until it does.
  const audience = page.getByLabel('Audience: people tagged');
  const label = `${c.tag} (${c.count} people)`;
  await expect(async () => {
    await page.goto('/app/campaigns');
    await waitHydrated(page);
    await expect(audience.locator('option', { hasText: label })).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await page.getByLabel('Campaign name').fill(c.name);
  await audience.selectOption({ label });
  await page.getByLabel('Subject').fill(c.subject);
  await page.getByLabel('Message').fill(c.body);
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByRole('heading', { level: 1, name: c.name })).toBeVisible();
  await waitHydrated(page);
  await page.getByRole('button', { name: `Send to ${c.count} ${c.count === 1 ? 'person' : 'people'}` }).click();
  await expect(page.locator('.page-head .status').first()).toHaveText('active');
  return page.url();
}

/** The first link after `label` on one line of a mail ("Approve: https://…"). */
export function linkAfter(mail: Mail, label: string): string {
  const m = mail.body.match(new RegExp(`^${escapeRegExp(label)}\\s*(https?://\\S+)`, 'm'));
  if (!m) throw new Error(`no link after "${label}" in mail "${mail.subject}"`);
  return m[1];
}

/**
 * Creates a draft job as the signed-in recruiter (JavaScript project) and returns its id; the
 * page is left on the job's page.
 */
export async function createDraftJob(page: Page, title: string, approver?: string): Promise<string> {
  await page.goto('/app/jobs/new');
  await hydrated(page);
  await new JobForm(page).fill({
    title,
    department: 'Engineering',
    location: 'Berlin, Germany',
    type: 'Full-time',
    description: 'Build things with us.\n\nYou like Rust.',
  });
  if (approver) await page.getByLabel('1.', { exact: true }).selectOption({ label: approver });
  await page.getByRole('button', { name: 'Create draft' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page).toHaveURL(/\/app\/jobs\/[^/?]+$/);
  await hydrated(page);
  return new URL(page.url()).pathname.split('/').pop()!;
}

/** Applies to a job from a browser without JavaScript (plain multipart form post). */
export async function applyWithoutJs(browser: Browser, jobId: string, name: string, email: string) {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(`/jobs/${jobId}`);
  const form = new ApplyForm(page);
  await form.fill({ name, email, resume: 'resume.pdf' });
  await form.submit();
  await expect(page).toHaveURL(/\/applied$/);
  await ctx.close();
}

/**
 * Imports `n` applicants to a new job `title` (created by the import, closed), all in its
 * Applied stage, as a Greenhouse export would bring them; then opens that job's board. The page
 * must have JavaScript and be signed in as a recruiter.
 */
export async function importApplicants(page: Page, title: string, n: number) {
  const tag = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const rows = Array.from({ length: n }, (_, i) =>
    `${9000 + i},Lena${i},Long,,,${tag}.${i}@example.org,,${title},Applied,Active,LinkedIn,,2026-03-02`);
  const csv = [
    'Candidate ID,First Name,Last Name,Company,Title,Email,Phone,Job Name,Current Stage,Status,Source,Tags,Application Date',
    ...rows,
  ].join('\n');
  await page.goto('/app/imports/new');
  await waitHydrated(page);
  await page.getByLabel('CSV file').setInputFiles({ name: `${tag}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByText('This looks like a Greenhouse candidate export')).toBeVisible();
  await waitHydrated(page);
  await page.getByRole('button', { name: 'Start import' }).click();
  await expect(page.locator('.import-status')).toHaveText('Import finished.', { timeout: 30_000 });
  await expect(page.locator('.import-progress .applications')).toHaveText(String(n));
  await page.goto('/app/jobs');
  const row = page.locator('li.job-row', { hasText: title });
  await row.getByRole('link', { name: /^Pipeline/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
}
