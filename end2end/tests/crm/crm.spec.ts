import { expect, test, type Page } from '../support/test';
import { Board, STAFF, applyAs, hydrated, signIn, unique } from '../support/app';
import { linkIn, mailsTo, waitForMails } from '../support/mail';

// Each journey spans several full page loads; a debug build's WASM takes seconds to compile on each.
test.describe.configure({ timeout: 120_000 });

/** Uploads a CSV on the import page and returns once the mapping step shows. */
async function uploadCsv(page: Page, name: string, csv: string) {
  await page.goto('/app/imports/new');
  await hydrated(page);
  await page.getByLabel('CSV file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Import of ${name}` })).toBeVisible();
  await hydrated(page);
}

test('a sourcer imports a CSV: columns are mapped, bad rows are reported, good rows land tagged', async ({ page }) => {
  await signIn(page, STAFF.sourcer, '/app/people');
  const u = unique('');
  const tag = `fair-${u}`;
  const csv = [
    'Candidate,Mail,Current title,Favourite colour',
    `Grace Hopper,grace.${u}@example.com,Compiler engineer,blue`,
    `No Address,not-an-email,Designer,green`,
    `"Chen, Lin",lin.${u}@example.com,"Rust, Go developer",red`,
  ].join('\n');
  await uploadCsv(page, `fair-${u}.csv`, csv);

  // Columns are guessed from the headers and can be changed; the preview shows the rows.
  await expect(page.getByText('3 rows.')).toBeVisible();
  await expect(page.getByLabel('Column Candidate holds')).toHaveValue('full_name');
  await expect(page.getByLabel('Column Mail holds')).toHaveValue('email');
  await expect(page.getByLabel('Column Favourite colour holds')).toHaveValue('');
  await expect(page.locator('.preview-table tbody')).toContainText('Grace Hopper');
  await page.getByLabel('Column Current title holds').selectOption({ label: 'Headline' });
  await page.getByLabel('Tag everyone imported').fill(tag);
  await page.getByRole('button', { name: 'Start import' }).click();

  await expect(page.locator('.import-status')).toHaveText('Import finished.', { timeout: 30_000 });
  await expect(page.locator('.import-progress .created')).toHaveText('2');
  await expect(page.locator('.import-progress .errors')).toHaveText('1');
  const bad = page.locator('.row-errors tbody tr');
  await expect(bad).toHaveCount(1);
  await expect(bad.locator('td').nth(0)).toHaveText('3');
  await expect(bad.locator('td').nth(1)).toHaveText('email');

  // The imported people are searchable by their tag, with what the file said.
  await page.goto(`/app/people?q=${encodeURIComponent(u)}`);
  await hydrated(page);
  const rows = page.locator('.people-table tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(page.locator('.people-table')).toContainText('Grace Hopper');
  await expect(page.locator('.people-table')).toContainText(`lin.${u}@example.com`);
  await expect(rows.first().locator('.tag', { hasText: tag })).toBeVisible();
  await expect(page.locator('.people-table')).not.toContainText('not-an-email');
});

test('a sourcer builds a sequence with a wait and a condition, launches it, and reads clicks in the report', async ({ page, browser }) => {
  await signIn(page, STAFF.sourcer, '/app/people');
  const u = unique('');
  const tag = `seq-${u}`;
  const people = [`ana.${u}@example.com`, `ben.${u}@example.com`];
  await uploadCsv(page, `seq-${u}.csv`, ['Name,Email', `Ana Ortiz,${people[0]}`, `Ben Okafor,${people[1]}`].join('\n'));
  await page.getByLabel('Tag everyone imported').fill(tag);
  await page.getByRole('button', { name: 'Start import' }).click();
  await expect(page.locator('.import-status')).toHaveText('Import finished.', { timeout: 30_000 });

  // Step 1 comes from the quick form; the builder adds a wait, a condition and a follow-up.
  await page.goto('/app/campaigns');
  await hydrated(page);
  await page.getByLabel('Campaign name').fill(`Nurture ${u}`);
  await page.getByLabel('Audience: people tagged').selectOption({ label: `${tag} (2 people)` });
  await page.getByLabel('Subject').fill('Hi {{first_name}}, roles at {{company}}');
  await page.getByLabel('Message').fill('Hi {{first_name}},\n\nSee what is open: {{jobs_url}}\n\nThe team');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Nurture ${u}` })).toBeVisible();
  await hydrated(page);

  const steps = page.locator('.sequence .step-card');
  await expect(steps).toHaveCount(1);
  for (const [button, count] of [['Add a wait', 2], ['Add a condition', 3], ['Add an email', 4]] as const) {
    await page.getByRole('button', { name: button }).click();
    await expect(steps).toHaveCount(count);
  }
  await hydrated(page);
  // Each added step reloads the sequence; under load an earlier reload can answer last and
  // draw the steps again, emptying fields typed meanwhile. Type once every reload is in.
  await page.waitForLoadState('networkidle');

  const wait = steps.nth(1);
  await wait.getByLabel('Wait').fill('2');
  await wait.getByRole('button', { name: 'Save step' }).click();
  await expect(wait.getByRole('status')).toHaveText('Saved.');

  const condition = steps.nth(2);
  await condition.getByLabel('If they').selectOption({ label: 'clicked a link' });
  await condition.getByLabel('then').selectOption({ label: 'Continue' });
  await condition.getByLabel('otherwise').selectOption({ label: 'Stop' });
  await condition.getByRole('button', { name: 'Save step' }).click();
  await expect(condition.getByRole('status')).toHaveText('Saved.');

  const followUp = steps.nth(3);
  await followUp.getByLabel('Subject', { exact: true }).fill('{{first_name}}, one more thing');
  await followUp.getByLabel('Message').fill('Glad you had a look. Reply and we will talk.');
  await followUp.getByRole('button', { name: 'Save step' }).click();
  await expect(followUp.getByRole('status')).toHaveText('Saved.');

  // What the builder shows survives a reload.
  await page.reload();
  await hydrated(page);
  await expect(steps).toHaveCount(4);
  await expect(steps.nth(1).getByLabel('Wait')).toHaveValue('2');
  await expect(steps.nth(2).getByLabel('If they')).toHaveValue('clicked');
  await expect(steps.nth(2)).toContainText('reaches 2 people');
  await expect(steps.nth(3)).toContainText('reaches up to 2 people');
  await expect(steps.nth(3).getByLabel('Subject', { exact: true })).toHaveValue('{{first_name}}, one more thing');

  await page.getByRole('button', { name: 'Send to 2 people' }).click();
  await expect(page.locator('.page-head .status').first()).toHaveText('active');
  await expect(page.locator('.total-enrolled dd')).toHaveText('2');

  // Step 1 reaches both; the follow-up waits two days.
  const [toAna] = await waitForMails(people[0]);
  await waitForMails(people[1]);
  expect(toAna.subject).toBe('Hi Ana, roles at Acme');
  expect(toAna.html).toContain('<img src="http');

  // Ana clicks the tracked link and lands on the careers page.
  const ctx = await browser.newContext();
  const inbox = await ctx.newPage();
  await inbox.goto(linkIn(toAna, '/t/c/'));
  await expect(inbox).toHaveURL(/\/jobs$/);
  await expect(inbox.getByRole('heading', { level: 1 })).toBeVisible();
  await ctx.close();

  // The report refreshes itself: two sent, Ana's click (which also counts as an open).
  const first = page.locator('.step-report tbody tr').first();
  await expect(page.locator('.total-sent dd')).toHaveText('2', { timeout: 20_000 });
  await expect(page.locator('.total-clicked dd')).toHaveText('1', { timeout: 20_000 });
  await expect(first.locator('.clicked')).toHaveText('1');
  await expect(first.locator('.opened')).toContainText('1');
  await expect(page.locator('.step-report tbody tr').nth(1).locator('.sent')).toHaveText('0');

  // Pausing holds the sequence; resuming picks it up.
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.locator('.page-head .status').first()).toHaveText('paused');
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.locator('.page-head .status').first()).toHaveText('active');
  expect(mailsTo(people[0])).toHaveLength(1);
});

test('a sourcer saves a live segment, merges a duplicate found by phone, and undoes the merge', async ({ page }) => {
  await signIn(page, STAFF.sourcer, '/app/people');
  const u = unique('');
  const tag = `dup-${u}`;
  const phone = `+1 555 ${String(Date.now()).slice(-7)}`;
  const emails = [`dana.${u}@example.com`, `d.scully.${u}@fbi.test`];
  await uploadCsv(
    page,
    `dup-${u}.csv`,
    ['Name,Email,Phone,Tags', `Dana Scully,${emails[0]},${phone},${tag}`, `Dana Scully,${emails[1]},${phone},${tag}`].join('\n'),
  );
  await page.getByLabel('Create new records (when only the phone or LinkedIn matches)').check();
  await page.getByRole('button', { name: 'Start import' }).click();
  await expect(page.locator('.import-status')).toHaveText('Import finished.', { timeout: 30_000 });
  await expect(page.locator('.import-progress .created')).toHaveText('2');

  // A segment on the tag: its members follow the data by themselves.
  await page.goto('/app/segments/new');
  await hydrated(page);
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(`Scullys ${u}`);
  await page.getByLabel('Tags (any of, comma-separated)').fill(tag);
  await page.getByRole('button', { name: 'Save segment' }).click();
  await expect(page).toHaveURL(/\/app\/segments\/(?!new)[^/]+$/);
  const segmentUrl = page.url();
  await expect(page.locator('.segment-count strong')).toHaveText('2');
  const exportHref = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
  const csv = await (await page.request.get(exportHref!)).text();
  expect(csv.split('\n')[0]).toContain('First name,Last name,Email');
  for (const e of emails) expect(csv).toContain(e);

  // The pair is listed as a likely duplicate, with the reason.
  await page.goto('/app/duplicates');
  await hydrated(page);
  const pair = page.locator('.dup-row', { hasText: emails[0] }).filter({ hasText: emails[1] });
  await expect(pair).toHaveCount(1);
  await expect(pair).toContainText('phone');
  await pair.getByRole('link', { name: 'Compare' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Compare and merge' })).toBeVisible();
  await hydrated(page);
  await expect(page.locator('.merge-table tr.differs', { hasText: 'email' })).toBeVisible();
  await page.getByRole('button', { name: 'Merge into the kept record' }).click();
  await expect(page).toHaveURL(/\/app\/people\/[^?]+\?merged=/);
  await expect(page.locator('.merged-banner')).toContainText('Records merged.');

  await page.goto(segmentUrl);
  await hydrated(page);
  await expect(page.locator('.segment-count strong')).toHaveText('1');

  // Undo brings both records back as they were.
  await page.goBack();
  await hydrated(page);
  await page.getByRole('button', { name: 'Undo merge' }).click();
  await expect(page.locator('.merged-banner')).toHaveCount(0);
  await page.goto(segmentUrl);
  await hydrated(page);
  await expect(page.locator('.segment-count strong')).toHaveText('2');
  for (const e of emails) await expect(page.locator('main')).toContainText(e);
});

test('a passive candidate joins the talent community from the careers page and confirms by email', async ({ page }) => {
  const u = unique('');
  const email = `pat.${u}@example.com`;
  await page.goto('/jobs');
  await hydrated(page);
  await page.getByRole('link', { name: 'Join the talent community' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Join our talent community' })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Full name').fill('Pat Quinn');
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByLabel('Engineering').check();
  // Consent is required, and said so next to the box.
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.locator('#f-consent-error')).not.toBeEmpty();
  // The form came back with the error and what was typed (once the page's script has run).
  await hydrated(page);
  await expect(page.getByLabel('Full name')).toHaveValue('Pat Quinn');
  await page.getByLabel(/Keep my details in the Acme talent pool/).check();
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.locator('.banner-ok')).toContainText('Check your inbox');

  const [mail] = await waitForMails(email);
  // Opening the link confirms nothing (mail scanners open links); the button does.
  await page.goto(linkIn(mail, '/talent/confirm?token='));
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Join our talent community');
  await page.getByRole('button', { name: 'Confirm my sign-up' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome, Pat!');

  // The sourcer finds them in the talent pool, opted in, with their interests.
  await signIn(page, STAFF.sourcer, '/app/people');
  await page.goto(`/app/people?q=${encodeURIComponent(email)}`);
  await page.getByRole('link', { name: 'Pat Quinn' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Pat Quinn' })).toBeVisible();
  await expect(page.getByLabel('Consent')).toHaveValue('granted');
});

test('a recruiter keeps candidates from a board in a pool and sources one into another job', async ({ page, browser }) => {
  const u = unique('');
  const people = [0, 1].map((i) => ({ name: `Kit${i} ${unique('Pool')}`, email: `${unique(`kit${i}`)}@example.org` }));
  for (const p of people) await applyAs(browser, 'customer-success', p.name, p.email);

  await signIn(page, STAFF.recruiter, '/app/pools');
  await hydrated(page);
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(`Silver medalists ${u}`);
  await page.getByRole('button', { name: 'Create pool' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Silver medalists ${u}` })).toBeVisible();
  await expect(page.getByText('0 people.')).toBeVisible();

  // Bulk from the board: tick both, add to the pool; undo is offered like every bulk action.
  await page.goto('/app/jobs/customer-success/board');
  await hydrated(page);
  const board = new Board(page);
  for (const p of people) await board.card(p.name).getByRole('checkbox', { name: `Select ${p.name}` }).check();
  await page.getByText('Bulk actions: tick cards, then choose what to do').click();
  await page.getByLabel('With the selected candidates').selectOption('pool');
  await page.getByLabel('Pool', { exact: true }).selectOption({ label: `Silver medalists ${u}` });
  await page.getByRole('button', { name: 'Apply to selected' }).click();
  await expect(page.locator('.bulk-message')).toHaveText(`Added 2 candidates to “Silver medalists ${u}”.`);

  await page.goto('/app/pools');
  await page.getByRole('link', { name: `Silver medalists ${u}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Silver medalists ${u}` })).toBeVisible();
  await hydrated(page);
  for (const p of people) await expect(page.locator('.members')).toContainText(p.email);

  // Prospect to applicant: one of them goes into another job's pipeline as sourced.
  await page.getByRole('checkbox', { name: `Select ${people[0].name}` }).check();
  await page.getByLabel("Add the ticked people to a job's pipeline").selectOption({ label: 'Data Analyst (part-time)' });
  await page.getByRole('button', { name: 'Add as sourced' }).click();
  await expect(page.locator('.source-form .saved')).toHaveText('Added 1 person to the pipeline as sourced.');
  await page.getByRole('button', { name: 'Add as sourced' }).click();
  await expect(page.locator('.source-form .saved')).toHaveText('Added 0 people to the pipeline as sourced; 1 person already there.');

  await page.goto('/app/jobs/data-analyst/board');
  await hydrated(page);
  await expect(board.card(people[0].name)).toBeVisible();
  await expect(board.card(people[1].name)).toHaveCount(0);
});
