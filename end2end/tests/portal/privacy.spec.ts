import { expect, test } from '../support/test';
import { STAFF, applyAs, hydrated, signIn, unique } from '../support/app';
import { linkIn, waitForMails } from '../support/mail';

test.describe.configure({ timeout: 120_000 });

// A candidate asks from the portal for their data to be erased; an admin answers the request
// from the queue; the candidate's portal session ends and nobody finds them any more.
test('a candidate asks for erasure, an admin erases, and the person is gone', async ({ page, browser }) => {
  const u = unique('');
  const name = `Ezra ${unique('Erase')}`;
  const email = `ezra.${u}@example.org`;
  await applyAs(browser, 'customer-success', name, email);

  const [mail] = await waitForMails(email, 1);
  const link = linkIn(mail, '/portal/auth?token=');
  await page.goto(link);
  await page.getByRole('button', { name: 'Continue to my applications' }).click();
  await expect(page).toHaveURL(/\/portal$/);
  await hydrated(page);
  const section = page.locator('section.portal-privacy');
  await expect(section.getByRole('heading', { name: 'Your data', exact: true })).toBeVisible();
  await expect(section.getByRole('link', { name: 'Download everything we hold about you (JSON)' })).toHaveAttribute('href', '/portal/my-data.json');

  // Correcting contact details: a bad phone is named, a good one is saved.
  const details = section.locator('form.privacy-details');
  await expect(details.getByLabel('First name')).toHaveValue('Ezra');
  await details.getByLabel('Phone').fill('call me maybe');
  await details.getByRole('button', { name: 'Save my details' }).click();
  await expect(details.locator('#f-phone-error')).toHaveText('Enter a phone number with digits, spaces and + - ( ) only.');
  await details.getByLabel('Phone').fill('+44 20 7946 0999');
  await details.getByLabel('Location').fill('Bristol');
  await details.getByRole('button', { name: 'Save my details' }).click();
  await expect(details.getByRole('status')).toHaveText('Saved.');

  // Consent per purpose.
  const consent = section.locator('form.privacy-consent');
  await consent.getByLabel('Keep me in the talent pool').check();
  await consent.getByLabel('Invitations to events').uncheck();
  await consent.getByRole('button', { name: 'Save my choices' }).click();
  await expect(consent.getByRole('status')).toHaveText('Saved.');
  await page.reload();
  await hydrated(page);
  await expect(page.locator('form.privacy-details').getByLabel('Phone')).toHaveValue('+44 20 7946 0999');
  await expect(page.locator('form.privacy-consent').getByLabel('Keep me in the talent pool')).toBeChecked();
  await expect(page.locator('form.privacy-consent').getByLabel('Invitations to events')).not.toBeChecked();
  await expect(page.locator('form.privacy-consent').getByLabel('Alerts about new jobs')).toBeChecked();

  const erasure = section.locator('form.privacy-erasure');
  await erasure.getByRole('button', { name: 'Ask us to erase my data' }).click();
  await expect(erasure.locator('.field-error')).toHaveText('Tick the box to confirm that you want your data erased.');
  await erasure.getByLabel('I want my data erased').check();
  await erasure.getByRole('button', { name: 'Ask us to erase my data' }).click();
  await expect(section.locator('.privacy-asked')).toContainText('You asked us to erase your data on');
  // Still there after a reload.
  await page.reload();
  await expect(page.locator('section.portal-privacy .privacy-asked')).toContainText('We will do so by');

  const admin = await browser.newContext();
  const a = await admin.newPage();
  await signIn(a, STAFF.admin);
  await hydrated(a);
  await a.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Privacy requests' }).click();
  await expect(a).toHaveURL(/\/admin\/privacy$/);
  await hydrated(a);
  const request = a.locator('li.privacy-request', { hasText: name });
  await expect(request.locator('.badge')).toHaveText('Due in 30 days');
  const profile = await request.getByRole('link', { name }).getAttribute('href');
  await request.getByText('Erase now…').click();
  await request.getByRole('button', { name: `Erase everything about ${name}` }).click();
  await expect(a.locator('li.privacy-request', { hasText: name })).toHaveCount(0);
  const answered = a.locator('table.privacy-answered tbody tr').first();
  await expect(answered).toContainText('Erased person');
  await expect(answered.locator('.badge')).toHaveText('Erased');
  await expect(answered).toContainText('Alex Admin');

  // The profile holds nothing personal; a search by the old email finds nobody.
  await a.goto(profile!);
  await expect(a.getByRole('heading', { level: 1 })).toHaveText('Erased person');
  await expect(a.locator('main')).not.toContainText(email);
  await a.goto(`/app/people?q=${encodeURIComponent(email)}`);
  await expect(a.getByRole('link', { name })).toHaveCount(0);
  await admin.close();

  // The candidate's session is over and their link does not sign in again.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Follow your applications' })).toBeVisible();
  await page.goto(link);
  await page.getByRole('button', { name: 'Continue to my applications' }).click();
  await expect(page).toHaveURL(/\/portal\?link=(used|invalid)$/);
});

// The admin's retention setting: bad input is named, a period shows who is due, empty turns it
// off. (The demo spans weeks, so a 12-month period has nobody due yet.) The demo's own open
// request waits in the queue with its deadline.
test('an admin sets the retention period, sees who is due, and turns it off', async ({ page }) => {
  await signIn(page, STAFF.admin, '/admin/privacy');
  await hydrated(page);
  await expect(page.locator('li.privacy-request').first().locator('.badge')).toHaveText(/^Due in \d+ days$/);
  const retention = page.locator('section.retention');
  await expect(retention.locator('.retention-preview')).toHaveText('Off: nobody is erased automatically.');
  const months = retention.getByLabel('Erase closed applicants after (months)');
  await months.fill('200');
  await retention.getByRole('button', { name: 'Save' }).click();
  await expect(retention.locator('.field-error')).toContainText('from 1 to 120');
  await months.fill('12');
  await retention.getByRole('button', { name: 'Save' }).click();
  await expect(retention.locator('.retention-preview')).toHaveText('With 12 months, nobody is due now.');
  await page.reload();
  await expect(page.locator('section.retention').getByLabel('Erase closed applicants after (months)')).toHaveValue('12');
  await page.locator('section.retention').getByLabel('Erase closed applicants after (months)').fill('');
  await page.locator('section.retention').getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('section.retention .retention-preview')).toHaveText('Off: nobody is erased automatically.');

  // A region with its own periods: its countries must be named, then it is listed and can go.
  const regions = page.locator('section.retention-regions');
  const region = unique('Region ');
  await regions.getByText('Add a region').click();
  await regions.getByLabel('Region', { exact: true }).fill(region);
  await regions.getByLabel('Renew talent-pool consent after (months)').fill('24');
  await regions.getByRole('button', { name: 'Add the region' }).click();
  await expect(regions.locator('#f-countries-error')).toContainText('Name at least one country');
  const country = unique('Atlantis');
  await regions.getByLabel('Countries').fill(country);
  await regions.getByRole('button', { name: 'Add the region' }).click();
  const listed = regions.locator('li.region-policy', { hasText: region });
  await expect(listed).toContainText(country.toLowerCase());
  await expect(listed).toContainText('consent renewed after 24 months, 30 days to answer (0 to ask now)');
  await listed.getByRole('button', { name: `Remove the ${region} policy` }).click();
  await expect(listed).toHaveCount(0);

  // The whole database, in the open export format.
  const download = page.getByRole('link', { name: 'Download the whole database (JSON)' });
  await expect(download).toHaveAttribute('href', '/admin/export.json');
  const res = await page.request.get('/admin/export.json');
  expect(res.status()).toBe(200);
  const doc = await res.json();
  expect(doc.format).toBe('acme-hiring/export');
  expect(doc.tables.person.length).toBeGreaterThan(200);
});
