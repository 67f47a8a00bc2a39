import { expect, test } from '../support/test';
import { ApplyForm, Board, STAFF, signIn, unique } from '../support/app';
import { linkIn, waitForMails } from '../support/mail';
import {
  applyWithoutJs,
  fact,
  importTagged,
  launchQuickCampaign,
  openPerson,
  profileTab,
  signInWithJs,
} from '../support/journeys';

// More journeys with JavaScript disabled (plain HTML forms, server-side redirects), beyond
// nojs.spec.ts (sign-in, applying with errors, one move with the Move control).
test.describe.configure({ timeout: 120_000 });

test('the careers list and a job page with its application form render without JavaScript', async ({ page }) => {
  await page.goto('/jobs');
  await expect(page.getByRole('heading', { level: 1, name: 'Open jobs' })).toBeVisible();
  for (const title of ['Senior Backend Engineer (Rust)', 'Product Designer', 'Customer Success Manager', 'Data Analyst (part-time)']) {
    await expect(page.getByRole('link', { name: title, exact: true })).toBeVisible();
  }
  // The demo's draft job is not public.
  await expect(page.getByRole('link', { name: 'Frontend Engineer (contract)' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Join the talent community' })).toBeVisible();

  await page.getByRole('link', { name: 'Customer Success Manager', exact: true }).click();
  await expect(page).toHaveURL(/\/jobs\/customer-success$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Customer Success Manager' })).toBeVisible();
  await expect(page.locator('article.job-posting')).toContainText('Help our customers run great hiring processes');
  await expect(page.getByRole('heading', { name: 'Apply for Customer Success Manager' })).toBeVisible();
  const form = page.locator('form', { has: page.getByRole('button', { name: 'Submit application' }) });
  await expect(form).toHaveAttribute('method', 'post');
  await expect(form).toHaveAttribute('enctype', 'multipart/form-data');
  for (const label of ['Full name', 'Email', 'Phone', 'Resume']) await expect(form.getByLabel(label)).toBeVisible();
  // Search engines get the posting as schema.org JSON-LD in the HTML itself.
  const ld = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? '{}');
  expect(ld['@type']).toBe('JobPosting');
  expect(ld.title).toBe('Customer Success Manager');

  await page.goto('/jobs/frontend-contract');
  await expect(page.getByRole('heading', { level: 1, name: 'This job is not open' })).toBeVisible();
});

test("the site's own files are served as files: robots.txt and the favicon, with their types", async ({ request }) => {
  const robots = await request.get('/robots.txt');
  expect(robots.status()).toBe(200);
  expect(robots.headers()['content-type']).toMatch(/^text\/plain/);
  expect(await robots.text()).toContain('User-agent');
  const icon = await request.get('/favicon.svg');
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toBe('image/svg+xml');
  // Browsers keep it: asked again with its date, it is not sent again.
  const modified = icon.headers()['last-modified'];
  expect(modified).toBeTruthy();
  const again = await request.get('/favicon.svg', { headers: { 'if-modified-since': modified } });
  expect(again.status()).toBe(304);
});

test('join the talent community without JavaScript: consent is required, the email confirms', async ({ page }) => {
  const u = unique('');
  const name = `Tess ${unique('Talent')}`;
  const email = `tess.${u}@example.com`;
  await page.goto('/jobs');
  await page.getByRole('link', { name: 'Join the talent community' }).click();
  await expect(page).toHaveURL(/\/talent$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Join our talent community' })).toBeVisible();

  const fill = async () => {
    await page.getByLabel('Full name').fill(name);
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByLabel('Design', { exact: true }).check();
    await page.getByLabel('Data', { exact: true }).check();
  };
  await fill();
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page).toHaveURL(/\/talent\?/);
  await expect(page.locator('#f-consent-error')).toHaveText('Please agree so that we may keep your details and write to you.');

  await fill();
  await page.getByLabel(/Keep my details in the Acme talent pool/).check();
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page).toHaveURL(/\/talent\?sent=1$/);
  await expect(page.locator('.banner-ok')).toContainText('Check your inbox');

  const [mail] = await waitForMails(email, 1, 'Confirm you want to hear from Acme');
  await page.goto(linkIn(mail, '/talent/confirm?token='));
  await page.getByRole('button', { name: 'Confirm my sign-up' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome, Tess!');

  // Staff (also without JavaScript) see consent, interests and the pool on the profile.
  await signIn(page, STAFF.sourcer, '/app/people');
  await openPerson(page, email, name);
  const crm = page.locator('section.crm-panel');
  await expect(crm.locator('.consent-line')).toHaveText(/^granted since /);
  await expect(fact(crm, 'Interests')).toHaveText('Design, Data');
  await expect(fact(crm, 'Pools')).toContainText('Talent community');
});

test('ask for a portal link, follow the application and withdraw it without JavaScript', async ({ page }) => {
  const name = `Paz ${unique('Portal')}`;
  const email = `${unique('paz')}@example.org`;
  await page.goto('/jobs');
  await page.getByRole('link', { name: 'Product Designer', exact: true }).click();
  await expect(page).toHaveURL(/\/jobs\/product-designer$/);
  const form = new ApplyForm(page);
  await form.fill({ name, email, resume: 'resume.docx' });
  await form.submit();
  await expect(page).toHaveURL(/\/jobs\/product-designer\/applied$/);
  await waitForMails(email, 1, 'We received your application');

  // A new link by email: the form checks the address first.
  await page.goto('/portal');
  await expect(page.getByRole('heading', { level: 1, name: 'Follow your applications' })).toBeVisible();
  await page.getByRole('button', { name: 'Email me a link' }).click();
  await expect(page.locator('#f-email-error')).toHaveText('Enter an email address.');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Email me a link' }).click();
  const [mail] = await waitForMails(email, 1, 'Your link to follow your applications');
  expect(mail.subject).toBe('Your link to follow your applications at Acme');
  // Without JavaScript the post comes back to the portal page, which says the link is on its way.
  await expect(page).toHaveURL(/\/portal\?sent=1$/);
  await expect(page.locator('.banner-ok')).toContainText('a sign-in link is on its way');
  await expect(page.locator('.banner-error')).toHaveCount(0);

  await page.goto(linkIn(mail, '/portal/auth?token='));
  await page.getByRole('button', { name: 'Continue to my applications' }).click();
  await expect(page).toHaveURL(/\/portal\??$/);
  await expect(page.getByRole('heading', { level: 1, name: /^Hello, Paz/ })).toBeVisible();
  const app = page.locator('article.portal-app', { hasText: 'Product Designer' });
  await expect(app.locator('.status')).toHaveText('In progress: Applied');
  await expect(app.locator('.timeline li').last()).toContainText('Applied for Product Designer');

  await app.getByText('Withdraw this application').click();
  await app.getByRole('button', { name: 'Yes, withdraw my application' }).click();
  await expect(app.locator('.status')).toHaveText('Withdrawn');
  await expect(app.locator('.timeline li').first()).toContainText('You withdrew this application');
  await expect(app.getByText('Withdraw this application')).toHaveCount(0);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Follow your applications' })).toBeVisible();
});

test('choose email topics and unsubscribe from a campaign email without JavaScript', async ({ page, browser }) => {
  const u = unique('');
  const tag = `nojs-topics-${u}`;
  const person = { name: `Vera ${unique('Nojs')}`, email: `vera.${u}@example.com` };

  // Set-up with JavaScript: a sourcer imports the person and sends them a campaign.
  const staff = await browser.newContext({ javaScriptEnabled: true });
  const sp = await staff.newPage();
  await signInWithJs(sp, STAFF.sourcer, '/app/people');
  await importTagged(sp, [person], tag);
  await launchQuickCampaign(sp, {
    name: `No-JS topics ${u}`,
    tag,
    count: 1,
    subject: 'Hello {{first_name}} from {{company}}',
    body: 'Hi {{first_name}},\n\nA few roles you may like.',
  });
  await staff.close();
  const [mail] = await waitForMails(person.email, 1, 'Hello Vera from Acme');
  const link = linkIn(mail, '/unsubscribe?token=');

  // Without JavaScript: keep only some topics. The form posts and comes back to the same page.
  await page.goto(link);
  await expect(page.getByRole('heading', { level: 1, name: 'Unsubscribe' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Choose what we send to v•••@example.com' })).toBeVisible();
  await expect(page.getByLabel('Alerts about new jobs', { exact: true })).toBeChecked();
  await page.getByLabel('Alerts about new jobs', { exact: true }).uncheck();
  const back = page.waitForResponse(
    (r) => r.url().includes('/unsubscribe?token=') && r.request().method() === 'GET' && r.request().resourceType() === 'document',
  );
  await page.getByRole('button', { name: 'Save my choices' }).click();
  await back;
  await page.waitForLoadState('domcontentloaded');
  // The page as the server now renders it: only job alerts are off.
  await expect(page.getByLabel('Alerts about new jobs', { exact: true })).not.toBeChecked();
  await expect(page.getByLabel('Talent community news and roles that may fit me', { exact: true })).toBeChecked();
  await expect(page.getByLabel('Invitations to events', { exact: true })).toBeChecked();

  // Then everything.
  await page.getByRole('button', { name: 'Unsubscribe from all' }).click();
  await expect(page.locator('.banner-ok')).toHaveText('You are unsubscribed. We will not send campaign emails to v•••@example.com again.');
  await expect(page.getByRole('button', { name: 'Unsubscribe from all' })).toHaveCount(0);

  // A forged token is refused.
  await page.goto('/unsubscribe?token=forged.token');
  await expect(page.locator('.banner-error')).toContainText('This unsubscribe link is not valid.');
});

test('on the board without JavaScript: reject with the Move control, show closed cards, bulk move', async ({ page, browser }) => {
  const job = 'product-designer';
  const [out, a, b] = [0, 1, 2].map((i) => ({ name: `Nico${i} ${unique('Nojs')}`, email: `${unique(`nico${i}`)}@example.org` }));
  for (const p of [out, a, b]) await applyWithoutJs(browser, job, p.name, p.email);

  await signIn(page, STAFF.recruiter, `/app/jobs/${job}/board`);
  const board = new Board(page);
  for (const p of [out, a, b]) await expect(board.column('Applied').locator('li.board-card', { hasText: p.name })).toBeVisible();

  // One is rejected with the card's own control; closed cards are hidden by default.
  await board.moveWithMenu(out.name, 'Rejected');
  await expect(board.card(out.name)).toHaveCount(0);
  await expect(page).toHaveURL(/\/board\?kept=[^&]+$/);

  // The filter form (a plain GET) shows them in their column.
  await page.getByLabel('Show rejected and withdrawn').check();
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await expect(page).toHaveURL(/\/board\?.*show=closed/);
  await expect(board.column('Rejected').locator('li.board-card', { hasText: out.name })).toBeVisible();

  // Bulk move: the card checkboxes belong to the bulk form, which posts without JavaScript.
  for (const p of [a, b]) await board.card(p.name).getByRole('checkbox', { name: `Select ${p.name}` }).check();
  await page.getByText('Bulk actions: tick cards, then choose what to do').click();
  await page.getByLabel('With the selected candidates').selectOption('move');
  await page.getByLabel('Move to', { exact: true }).selectOption({ label: 'Interview' });
  await page.getByRole('button', { name: 'Apply to selected' }).click();
  await expect(page).toHaveURL(/\/board\?bulk=[^&]+&show=closed$/);
  await expect(page.locator('.bulk-message')).toHaveText('Moved 2 candidates to Interview.');
  for (const p of [a, b]) {
    await expect(board.column('Interview').locator('li.board-card', { hasText: p.name })).toBeVisible();
    await expect(board.column('Applied').locator('li.board-card', { hasText: p.name })).toHaveCount(0);
  }
  await expect(board.column('Rejected').locator('li.board-card', { hasText: out.name })).toBeVisible();

  // Stored, with who did it, on the candidate's timeline.
  await board.card(a.name).getByRole('link', { name: a.name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: a.name })).toBeVisible();
  await profileTab(page, 'Timeline');
  await expect(page.locator('.timeline li').first()).toContainText('Moved to Interview');
  await expect(page.locator('.timeline li').first()).toContainText('by Riley Recruiter');
});

test('staff forms without JavaScript: create a pool, refer someone, tag, note and pool them', async ({ page }) => {
  const u = unique('');
  const pool = `No-JS pool ${u}`;
  const name = `Ines ${unique('Nojs')}`;
  const email = `ines.${u}@example.org`;
  const tag = `nojs-${u}`;
  const note = `Met Ines at the meetup ${u}.`;

  await signIn(page, STAFF.sourcer, '/app/pools');
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(pool);
  await page.getByRole('button', { name: 'Create pool' }).click();
  await expect(page).toHaveURL(/\/app\/pools\/[^/?]+$/);
  await expect(page.getByRole('heading', { level: 1, name: pool })).toBeVisible();
  await expect(page.getByText('0 people.')).toBeVisible();
  const poolUrl = page.url();

  // A referral (multipart form): a bad email comes back with its error, then it goes through.
  await page.goto('/app/refer');
  await page.getByLabel('Their name').fill(name);
  await page.getByLabel('Their email').fill('not-an-email');
  await page.getByRole('button', { name: 'Send referral' }).click();
  await expect(page).toHaveURL(/\/app\/refer\?/);
  await expect(page.locator('#f-email-error')).toHaveText('Enter a valid email address, like name@example.com.');
  await page.getByLabel('Their name').fill(name);
  await page.getByLabel('Their email').fill(email);
  await page.getByLabel('How do you know them?').selectOption('Met at an event');
  await page.getByRole('button', { name: 'Send referral' }).click();
  await expect(page).toHaveURL(/\/app\/people\/[^/?]+\?referred=1$/);
  await expect(page.getByRole('heading', { level: 1, name, exact: true })).toBeVisible();
  const crm = page.locator('section.crm-panel');
  await expect(fact(crm, 'Referred by')).toHaveText('Sam Sourcer (Met at an event)');

  // A tag.
  const tags = page.locator('section.card', { has: page.getByRole('heading', { name: 'Tags', exact: true }) });
  await tags.getByLabel('New tag').fill(tag);
  await tags.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(tags.locator('.tag-list li', { hasText: tag })).toBeVisible();

  // A note, in its tab.
  await profileTab(page, 'Notes');
  await page.getByLabel('Add a note for your team').fill(note);
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.locator('.note-list .note', { hasText: note })).toBeVisible();
  await expect(page.locator('.note-list .note', { hasText: note })).toContainText('Sam Sourcer');

  // Into the pool, from the CRM panel (on the overview).
  await profileTab(page, 'Overview');
  await crm.getByLabel('Add to a pool').selectOption({ label: pool });
  await crm.locator('form', { has: page.locator('#f-add-pool') }).getByRole('button', { name: 'Add', exact: true }).click();
  await expect(fact(page.locator('section.crm-panel'), 'Pools')).toContainText(pool);

  // The tag comes off again.
  await tags.getByRole('button', { name: `Remove tag ${tag}` }).click();
  await expect(tags.locator('.tag-list li', { hasText: tag })).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name, exact: true })).toBeVisible();

  await page.goto(poolUrl);
  await expect(page.getByText('1 people.')).toBeVisible();
  await expect(page.locator('.members')).toContainText(email);
});
