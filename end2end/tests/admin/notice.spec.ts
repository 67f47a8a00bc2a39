import { expect, test } from '../support/test';
import { ApplyForm, STAFF, hydrated, signIn, unique } from '../support/app';
import { openPerson } from '../support/journeys';

test.describe.configure({ timeout: 120_000 });

// The words other journeys tick on the talent form: this journey keeps them, so that it can run
// beside them.
const POOL_WORDING =
  'Keep my details in the Acme talent pool and write to me about other roles and events. I can withdraw at any time.';

// An admin publishes a new privacy notice; a candidate reads it beside the application form,
// ticks the separate talent-pool box and applies; a sourcer finds on the profile what the
// candidate agreed to, under which notice version, from where.
test('an admin publishes the privacy notice, a candidate agrees to the talent pool, and the profile shows the record', async ({ page, browser }) => {
  const marker = unique('Notice');
  await signIn(page, STAFF.admin, '/admin/privacy');
  await hydrated(page);
  const section = page.locator('section.privacy-notice-admin');
  const publish = section.getByRole('button', { name: /^Publish version \d+$/ });
  const version = Number((await publish.textContent())!.match(/\d+/)![0]);

  // An empty summary is refused and nothing is published.
  await section.getByLabel('Summary beside the forms').fill('');
  await publish.click();
  await expect(section.locator('#f-summary-error')).toHaveText('Write the summary.');
  await expect(section.locator('.notice-version')).toContainText(`Version ${version - 1} in force`);

  await section.getByLabel('Summary beside the forms').fill(`We keep your application to consider you for this role (${marker}).`);
  await section.getByLabel('Talent-pool question').fill(POOL_WORDING);
  await section.getByRole('button', { name: `Publish version ${version}` }).click();
  await expect(section.locator('.notice-version')).toContainText(`Version ${version} in force`);
  await expect(section.locator('.notice-version')).toContainText('by Alex Admin');

  // The public notice page shows it, without signing in.
  const ctx = await browser.newContext();
  const candidate = await ctx.newPage();
  await candidate.goto('/privacy');
  await expect(candidate.getByRole('heading', { level: 1, name: 'Privacy notice' })).toBeVisible();
  await expect(candidate.locator('.notice-version')).toContainText(`Version ${version}`);
  await expect(candidate.getByText(marker)).toBeVisible();

  // The application form shows the summary beside it and asks about the pool separately.
  const name = `Pia ${unique('Pool')}`;
  const email = `${name.toLowerCase().replace(/\s+/g, '.')}@example.org`;
  await candidate.goto('/jobs/data-analyst');
  await hydrated(candidate);
  await expect(candidate.locator('.privacy-notice-summary')).toContainText(marker);
  await expect(candidate.locator('.privacy-notice-summary').getByRole('link', { name: 'Read the full privacy notice' })).toHaveAttribute('href', '/privacy');
  const pool = candidate.getByLabel(POOL_WORDING);
  await expect(pool).not.toBeChecked();
  const form = new ApplyForm(candidate);
  await form.fill({ name, email, resume: 'resume.pdf' });
  await pool.check();
  await form.submit();
  await expect(candidate).toHaveURL(/\/applied$/);
  await ctx.close();

  // The sourcer sees consent granted, and the record of what was agreed and read.
  await signIn(page, STAFF.sourcer, '/app/people');
  await openPerson(page, email, name);
  await hydrated(page);
  const crm = page.locator('section.crm-panel');
  await expect(crm.locator('.consent-line')).toHaveText(/^granted since .*\(consent\)$/);
  await crm.getByText(/^Consent record \(2\)$/).click();
  const entries = crm.locator('.consent-ledger li');
  const poolEntry = entries.filter({ hasText: 'Talent pool: given (consent)' });
  await expect(poolEntry).toContainText('Application form');
  await expect(poolEntry).toContainText(`notice v${version}`);
  await expect(poolEntry).toContainText(/from \S+/);
  await expect(poolEntry.locator('blockquote')).toHaveText(POOL_WORDING);
  const applicationEntry = entries.filter({ hasText: 'Application: given (legitimate interest)' });
  await expect(applicationEntry.locator('blockquote')).toContainText(marker);
});
