import { expect, test } from '../support/test';
import { STAFF, applyAs, hydrated, signIn, unique } from '../support/app';
import { waitForMails } from '../support/mail';
import { fact, importTagged, launchQuickCampaign, openPerson, profileTab } from '../support/journeys';

// Each journey spans several full page loads; a debug build's WASM takes seconds to compile on each.
test.describe.configure({ timeout: 120_000 });

test('a sourcer marks a campaign recipient as replied: engagement, timeline and report show it', async ({ page }) => {
  const u = unique('');
  const tag = `replied-${u}`;
  const person = { name: `Remy ${unique('Replied')}`, email: `remy.${u}@example.com` };
  const campaign = `Replies ${u}`;

  await signIn(page, STAFF.sourcer, '/app/people');
  await importTagged(page, [person], tag);
  const campaignUrl = await launchQuickCampaign(page, {
    name: campaign,
    tag,
    count: 1,
    subject: 'Coffee with {{company}}, {{first_name}}?',
    body: 'Hi {{first_name}},\n\nReply to this email if you fancy a chat.',
  });
  await waitForMails(person.email, 1, 'Coffee with Acme');

  await openPerson(page, person.email, person.name);
  await hydrated(page);
  const crm = page.locator('section.crm-panel');
  await expect(fact(crm, 'Campaigns')).toContainText(campaign);
  const engagement = crm.locator('.engagement');
  await expect(engagement).toHaveText(/^\d+$/);
  const before = Number(await engagement.textContent());

  // They answered by email; the sourcer records it from the profile.
  await crm.getByRole('button', { name: 'Mark as replied' }).click();
  await expect(engagement).toHaveText(String(before + 5));

  // The timeline says who marked it and that the person replied.
  await page.reload();
  await hydrated(page);
  await profileTab(page, 'Timeline');
  const marked = page.locator('.timeline li', { hasText: 'Marked as replied' });
  await expect(marked).toHaveCount(1);
  await expect(marked).toContainText('by Sam Sourcer');
  await expect(page.locator('.timeline li', { hasText: 'Replied to a campaign email' })).toHaveCount(1);
  await profileTab(page, 'Overview');
  await expect(page.locator('section.crm-panel .engagement')).toHaveText(String(before + 5));

  // The email the campaign sent is on the profile's Emails tab: what sent it, that it went,
  // and its text as sent, with the way to its campaign.
  await profileTab(page, 'Emails');
  await expect(page.getByRole('link', { name: 'Emails (1)' })).toHaveAttribute('aria-current', 'page');
  const mail = page.locator('.email-list li', { hasText: 'Coffee with Acme' });
  await expect(mail).toHaveCount(1);
  await expect(mail.locator('summary .badge').first()).toHaveText('Sent');
  await expect(mail.locator('summary .email-meta')).toContainText('Campaign · ');
  await expect(mail.locator('.email-body')).toBeHidden();
  await mail.locator('summary').click();
  await expect(mail.locator('.email-body')).toContainText('Reply to this email if you fancy a chat.');
  // Its unsubscribe link is shown without the person's token (staff must not act as them).
  await expect(mail.locator('.email-body')).toContainText('/unsubscribe?token=…');
  await expect(mail.getByRole('link', { name: campaign })).toHaveAttribute('href', new URL(campaignUrl).pathname);
  await page.screenshot({ path: test.info().outputPath('profile-emails.png'), fullPage: true });

  // The campaign that wrote to them gets the reply in its report.
  await page.goto(campaignUrl);
  await expect(page.locator('.total-replied dd')).toHaveText('1');
});

test('a sourcer edits consent, owner and time zone on a profile; bad input is refused and good input is kept', async ({ page, browser }) => {
  const name = `Cora ${unique('Consent')}`;
  const email = `${unique('cora')}@example.org`;
  await applyAs(browser, 'data-analyst', name, email);

  await signIn(page, STAFF.sourcer, '/app/people');
  await openPerson(page, email, name);
  await hydrated(page);
  const crm = page.locator('section.crm-panel');
  await expect(crm.locator('.consent-line')).toHaveText('unknown');
  await expect(fact(crm, 'Owner')).toHaveText('—');

  // Consent granted without a basis and an unknown time zone: both refused, nothing stored.
  await crm.getByText('Edit consent, owner, time zone').click();
  await crm.getByLabel('Consent', { exact: true }).selectOption('granted');
  await crm.getByLabel('Time zone', { exact: true }).fill('Mars/Olympus_Mons');
  await crm.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.locator('#f-basis-error')).toHaveText('Say on what basis: consent (they agreed) or legitimate interest.');
  await expect(page.locator('#f-timezone-error')).toHaveText('Use a time zone name such as Europe/Berlin.');
  await expect(crm.locator('.consent-line')).toHaveText('unknown');

  // A fresh form, filled in properly.
  await page.reload();
  await hydrated(page);
  await crm.getByText('Edit consent, owner, time zone').click();
  await crm.getByLabel('Consent', { exact: true }).selectOption('granted');
  await crm.getByLabel('Basis', { exact: true }).selectOption('consent');
  await crm.getByLabel('Owner', { exact: true }).selectOption({ label: 'Morgan Manager' });
  await crm.getByLabel('Time zone', { exact: true }).fill('America/New_York');
  await crm.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(crm.locator('.consent-line')).toHaveText(/^granted since \d{1,2} \w{3} \d{4} \(consent\)$/);
  await expect(fact(crm, 'Owner')).toHaveText('Morgan Manager');

  // After a reload the values are still there, and the change is on the timeline.
  await page.reload();
  await hydrated(page);
  await expect(crm.locator('.consent-line')).toHaveText(/^granted since .*\(consent\)$/);
  await expect(fact(crm, 'Owner')).toHaveText('Morgan Manager');
  await expect(crm.getByLabel('Consent', { exact: true })).toHaveValue('granted');
  await expect(crm.getByLabel('Basis', { exact: true })).toHaveValue('consent');
  // The consent record keeps who set it: the applicant's own answer was only the application.
  await crm.getByText(/^Consent record \(2\)$/).click();
  await expect(crm.locator('.consent-ledger li').first()).toContainText('Talent pool: given (consent)');
  await expect(crm.locator('.consent-ledger li').first()).toContainText('Set by Sam Sourcer');
  await expect(crm.getByLabel('Owner', { exact: true }).locator('option:checked')).toHaveText('Morgan Manager');
  await expect(crm.getByLabel('Time zone', { exact: true })).toHaveValue('America/New_York');
  await profileTab(page, 'Timeline');
  const entry = page.locator('.timeline li', { hasText: 'Consent set to granted' });
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText('by Sam Sourcer');

  // Withdrawn consent and nobody as owner are kept as well.
  await profileTab(page, 'Overview');
  await crm.getByText('Edit consent, owner, time zone').click();
  await crm.getByLabel('Consent', { exact: true }).selectOption('withdrawn');
  await crm.getByLabel('Owner', { exact: true }).selectOption({ label: 'Nobody' });
  await crm.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(crm.locator('.consent-line')).toHaveText(/^withdrawn since /);
  await expect(fact(crm, 'Owner')).toHaveText('—');
  await page.reload();
  await hydrated(page);
  await expect(crm.getByLabel('Consent', { exact: true })).toHaveValue('withdrawn');
  await expect(fact(crm, 'Owner')).toHaveText('—');
  await expect(crm.getByLabel('Time zone', { exact: true })).toHaveValue('America/New_York');
});
