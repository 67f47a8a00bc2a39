import { expect, test } from '../support/test';
import { STAFF, hydrated, signIn, unique } from '../support/app';
import { allMails, linkIn, waitForMails } from '../support/mail';

test('a sourcer tags people, previews a campaign for a real recipient, sends it, and unsubscribes stick', async ({ page, browser }) => {
  // A long journey (two campaigns, their mail and an unsubscribe): under the full suite's load
  // it needs more than the default minute.
  test.setTimeout(150_000);
  await signIn(page, STAFF.sourcer, '/app/people');
  // People met at the demo's Rust meetup: each agreed to hear from us or was sourced (a
  // legitimate interest), so a campaign may write to them. An applicant who did not tick the
  // talent-pool box would be skipped.
  await page.getByLabel('Tag', { exact: true }).selectOption('rust-meetup-2026');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/tag=rust-meetup-2026/);
  await hydrated(page);
  const rows = page.locator('.people-table tbody tr');
  await expect(rows.first()).toBeVisible();
  const names = [
    (await rows.nth(0).locator('td').nth(1).locator('a').textContent())!.trim(),
    (await rows.nth(1).locator('td').nth(1).locator('a').textContent())!.trim(),
  ];
  const emails = [
    (await rows.nth(0).locator('td').nth(2).textContent())!.trim(),
    (await rows.nth(1).locator('td').nth(2).textContent())!.trim(),
  ];
  const tag = unique('meetup-');
  await rows.nth(0).getByRole('checkbox').check();
  await rows.nth(1).getByRole('checkbox').check();
  await page.getByLabel('Tag selected people').fill(tag);
  await page.getByRole('button', { name: 'Add tag' }).click();
  await expect(page.getByText('Tagged 2 people.')).toBeVisible();
  for (const email of emails) {
    await expect(page.locator('.people-table tbody tr', { hasText: email }).locator('.tag', { hasText: tag })).toBeVisible();
  }

  await page.getByRole('link', { name: 'Campaigns' }).click();
  await hydrated(page);
  await page.getByLabel('Campaign name').fill(`Meetup ${tag}`);
  await page.getByLabel('Audience: people tagged').selectOption({ label: `${tag} (2 people)` });
  await page.getByLabel('Subject').fill('Hello {{frist_name}}');
  await page.getByLabel('Message').fill('Hi {{first_name}},\n\nGreat to meet you. {{company}} is hiring Rust engineers.');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.locator('#f-subject-error')).toContainText('Unknown token {{frist_name}}');
  await page.getByLabel('Subject').fill('Hello {{first_name}}, join us at {{company}}');
  await page.getByRole('button', { name: 'Save draft' }).click();

  await expect(page.getByRole('heading', { level: 1, name: `Meetup ${tag}` })).toBeVisible();
  await hydrated(page);
  await expect(page.locator('.reach')).toHaveText('2');
  const second = names[1].split(' ')[0];
  await page.getByLabel('Preview for').selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.locator('.preview-subject')).toHaveText(`Hello ${second}, join us at Acme`);
  await expect(page.locator('.preview-body')).toContainText(`Hi ${second},`);
  await expect(page.locator('.preview-body')).toContainText('Unsubscribe: http');

  await page.getByRole('button', { name: 'Send to 2 people' }).click();
  await expect(page.locator('.page-head .status').first()).toHaveText('active');
  await expect(page.locator('.total-enrolled dd')).toHaveText('2');

  const first = (await waitForMails(emails[0], 1, 'Hello '))[0];
  const other = (await waitForMails(emails[1], 1, 'Hello '))[0];
  expect(first.subject).toBe(`Hello ${names[0].split(' ')[0]}, join us at Acme`);
  expect(first.headers['list-unsubscribe']).toMatch(/^<http.*\/unsubscribe\?token=.+>$/);
  expect(first.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
  expect(other.body).toContain('Great to meet you. Acme is hiring Rust engineers.');
  expect(other.html).toContain('Great to meet you. Acme is hiring Rust engineers.');
  // The report counts what went out (it refreshes itself while the campaign runs).
  await expect(page.locator('.total-sent dd')).toHaveText('2', { timeout: 20_000 });

  // The first recipient unsubscribes from the link in the email.
  const ctx = await browser.newContext();
  const inbox = await ctx.newPage();
  await inbox.goto(linkIn(first, '/unsubscribe?token='));
  await inbox.getByRole('button', { name: 'Unsubscribe from all' }).click();
  await expect(inbox.locator('.banner-ok')).toContainText('You are unsubscribed');
  await ctx.close();

  // A second campaign to the same tag reaches only the other person.
  await page.goto('/app/campaigns');
  await hydrated(page);
  await page.getByLabel('Campaign name').fill(`Second ${tag}`);
  await page.getByLabel('Audience: people tagged').selectOption({ label: `${tag} (2 people)` });
  await page.getByLabel('Subject').fill('Still thinking of you, {{first_name}}');
  await page.getByLabel('Message').fill('A new role opened.');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.locator('.audience-line')).toContainText('1 unsubscribed (never emailed)');
  await page.getByRole('button', { name: 'Send to 1 person' }).click();
  await expect(page.locator('.total-enrolled dd')).toHaveText('1');
  // One enrollment, and its mail went to the other person: nothing can reach the first.
  await waitForMails(emails[1], 1, 'Still thinking');
  const toFirst = allMails().filter((m) => m.to.includes(emails[0]) && m.subject.startsWith('Still thinking'));
  expect(toFirst).toHaveLength(0);
});

test('a sourcer reads the CRM report: pool growth per month and what campaigns led to', async ({ page }) => {
  await signIn(page, STAFF.sourcer, '/app/campaigns');
  await hydrated(page);
  const report = page.locator('section.crm-report');
  await expect(report.getByRole('heading', { name: 'Talent pool and campaigns, last 12 months' })).toBeVisible();
  // The demo's silver-medalist pool: people are in a pool now, added this year.
  await expect(report.locator('.crm-pooled')).toHaveText(/^[1-9]\d* people are in a talent pool now\.$/);
  await expect(report.locator('#pool-growth-title')).toHaveText('People added to talent pools per month');
  const months = report.locator('table.crm-months tbody tr');
  await expect(months).toHaveCount(12);
  const thisMonth = new Date().toISOString().slice(0, 7);
  await expect(months.last().locator('td').first()).toHaveText(thisMonth);
});
