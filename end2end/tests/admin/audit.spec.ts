import { expect, test } from '../support/test';
import { STAFF, applyAs, hydrated, signIn, unique } from '../support/app';
import { openPerson } from '../support/journeys';

test.describe.configure({ timeout: 120_000 });

// A recruiter reads a new applicant's profile; an admin finds that read in the audit log by the
// person, follows it to the profile, downloads the entries and checks the chain.
test('an admin sees who viewed a candidate, filters the log and checks its chain', async ({ page, browser }) => {
  const u = unique('');
  const name = `Audra ${unique('Audit')}`;
  const email = `audra.${u}@example.com`;
  await applyAs(browser, 'data-analyst', name, email);

  await signIn(page, STAFF.recruiter, '/app/people');
  await openPerson(page, email, name);
  const personUrl = new URL(page.url()).pathname;
  const personKey = personUrl.split('/').pop()!;
  // Recruiters have no way into the log.
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' })).toHaveCount(0);
  await page.goto('/admin/audit');
  await expect(page.locator('.banner-error')).toContainText('You do not have access to this.');
  await expect(page.locator('table.audit-table')).toHaveCount(0);

  const admin = await browser.newContext();
  const a = await admin.newPage();
  await signIn(a, STAFF.admin);
  await hydrated(a);
  await a.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  await expect(a).toHaveURL(/\/admin\/audit$/);
  await expect(a.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  // The admin's own sign-in is in the log (not necessarily the newest: the other browser
  // tests sign in on the same server at the same time).
  await expect(a.locator('tr[data-action="login"]').filter({ hasText: 'Alex Admin' }).first()).toBeVisible();

  // Only what concerns this person, only reads.
  await a.getByLabel('Kind').selectOption({ label: 'Viewed' });
  await a.getByLabel('Concerning').fill(`person:${personKey}`);
  await a.getByRole('button', { name: 'Filter' }).click();
  await expect(a).toHaveURL(new RegExp(`kind=read.*subject=person%3A${personKey}`));
  const rows = a.locator('table.audit-table tbody tr');
  await expect(rows).toHaveCount(1);
  const read = rows.first();
  await expect(read).toHaveAttribute('data-action', 'get_person');
  await expect(read).toContainText('Riley Recruiter');
  await expect(read).toContainText('Viewed profile');
  await expect(read.getByRole('link', { name })).toHaveAttribute('href', personUrl);
  await expect(read.locator('.badge')).toHaveText('ok');

  // The CSV carries the same filters.
  const csv = a.getByRole('link', { name: 'Download these entries (CSV)' });
  await expect(csv).toHaveAttribute('href', `/admin/audit.csv?kind=read&subject=person%3A${personKey}`);
  const body = await a.request.get(await csv.getAttribute('href') as string);
  expect(body.status()).toBe(200);
  const text = await body.text();
  expect(text.split('\n')[0]).toBe('Entry,When,Kind,Action,Who,Who (reference),Subjects,From,Outcome,Detail');
  expect(text).toContain(`${name} (person:${personKey})`);

  // The chain holds.
  await a.getByRole('button', { name: 'Check the chain' }).click();
  const status = a.getByRole('status').filter({ hasText: 'The audit log is intact' });
  await expect(status).toBeVisible();
  await expect(status.locator('.badge')).toHaveText('Intact');

  // The person's name leads to the profile, whose link leads back to their entries.
  await a.getByRole('link', { name: 'Clear' }).click();
  await a.getByLabel('Concerning').fill(personKey);
  await a.getByRole('button', { name: 'Filter' }).click();
  await a.locator('table.audit-table tbody tr').first().getByRole('link', { name }).click();
  await expect(a.getByRole('heading', { level: 1, name, exact: true })).toBeVisible();
  await a.getByRole('link', { name: 'Who viewed or changed this person' }).click();
  await expect(a).toHaveURL(new RegExp(`/admin/audit\\?subject=person%3A${personKey}$`));
  await expect(a.locator('table.audit-table tbody tr[data-action="get_person"]').first()).toContainText('Alex Admin');
  await admin.close();
});
