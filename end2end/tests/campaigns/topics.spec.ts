import { expect, test } from '../support/test';
import { STAFF, hydrated, signIn, unique } from '../support/app';
import { linkIn, waitForMails } from '../support/mail';
import { fact, importTagged, launchQuickCampaign, openPerson, profileTab } from '../support/journeys';

// Import, campaign, inbox and profile: several full page loads on a debug build.
test.describe.configure({ timeout: 120_000 });

const TOPIC = {
  campaigns: 'Talent community news and roles that may fit me',
  jobAlerts: 'Alerts about new jobs',
  events: 'Invitations to events',
};

test('a recipient turns off one topic from the unsubscribe link and stays subscribed to the rest', async ({ page, browser }) => {
  const u = unique('');
  const tag = `topics-${u}`;
  const person = { name: `Uma ${unique('Topics')}`, email: `uma.${u}@example.com` };

  await signIn(page, STAFF.sourcer, '/app/people');
  await importTagged(page, [person], tag);
  await launchQuickCampaign(page, {
    name: `Topics ${u}`,
    tag,
    count: 1,
    subject: 'News from {{company}} for {{first_name}}',
    body: 'Hi {{first_name}},\n\nHere is what is new at {{company}}.',
  });
  const [mail] = await waitForMails(person.email, 1, 'News from Acme');
  expect(mail.subject).toBe('News from Acme for Uma');

  // The link in the email opens the preferences: every topic is on to begin with.
  const ctx = await browser.newContext();
  const inbox = await ctx.newPage();
  const link = linkIn(mail, '/unsubscribe?token=');
  await inbox.goto(link);
  await hydrated(inbox);
  await expect(inbox.getByRole('heading', { level: 1, name: 'Unsubscribe' })).toBeVisible();
  await expect(inbox.getByRole('heading', { name: `Choose what we send to u•••@example.com` })).toBeVisible();
  for (const label of Object.values(TOPIC)) await expect(inbox.getByLabel(label, { exact: true })).toBeChecked();

  // Only events go.
  await inbox.getByLabel(TOPIC.events, { exact: true }).uncheck();
  await inbox.getByRole('button', { name: 'Save my choices' }).click();
  await expect(inbox.locator('.topics-form .saved')).toHaveText('Saved. We will only send what you kept.');

  // The choice is kept, and the person is not unsubscribed from everything.
  await inbox.reload();
  await hydrated(inbox);
  await expect(inbox.getByLabel(TOPIC.events, { exact: true })).not.toBeChecked();
  await expect(inbox.getByLabel(TOPIC.campaigns, { exact: true })).toBeChecked();
  await expect(inbox.getByLabel(TOPIC.jobAlerts, { exact: true })).toBeChecked();
  await expect(inbox.getByRole('button', { name: 'Unsubscribe from all' })).toBeVisible();
  await expect(inbox.getByText('You are unsubscribed')).toHaveCount(0);
  await ctx.close();

  // Staff see the one topic turned off, and no unsubscribe.
  await openPerson(page, person.email, person.name);
  await hydrated(page);
  await expect(fact(page.locator('section.crm-panel'), 'Does not want')).toHaveText('events');
  await expect(page.locator('.page-head .badge')).toHaveCount(0);
  await profileTab(page, 'Timeline');
  const entry = page.locator('.timeline li', { hasText: 'Unsubscribed from: events' });
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText('by Candidate');
});
