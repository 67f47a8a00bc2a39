import { expect, test, type Browser, type Page } from '../support/test';
import { Board, STAFF, applyAs, hydrated, signIn, unique } from '../support/app';
import { openInterviews } from '../support/interviews';
import { linkIn, waitForMails } from '../support/mail';

async function signedInPage(browser: Browser, email: string, next: string) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, email, next);
  await hydrated(page);
  return page;
}

/** Rates every attribute of the scorecard form with `rating`. */
async function rateAll(page: Page, attributes: string[], rating: string) {
  for (const a of attributes) {
    await page.getByRole('group', { name: a, exact: true }).getByLabel(rating, { exact: true }).check();
  }
}

const KIT = ['Rust ownership model', 'System design', 'Testing discipline'];

test('a recruiter books a two-person panel across time zones; each interviewer sees the others\' scorecards only after submitting their own', async ({ page, browser }) => {
  // Three people sign in and work in turn: a long journey.
  test.setTimeout(150_000);
  const name = `Pia ${unique('Panel')}`;
  const email = `${unique('pia')}@example.org`;
  await applyAs(browser, 'rust-backend', name, email);
  await signIn(page, STAFF.recruiter, '/app/jobs/rust-backend/board');
  await hydrated(page);
  await openInterviews(page, name);
  await expect(page.getByText('No interviews yet')).toBeVisible();

  // Choose the interview and the panel: the app proposes times when both work and are free.
  await page.getByLabel('Interview', { exact: true }).selectOption({ label: 'Interview · Technical interview · 60 min' });
  await page.getByRole('checkbox', { name: /Parker Panelist/ }).check();
  await page.getByRole('checkbox', { name: /Sam Sourcer/ }).check();
  await page.getByRole('button', { name: 'Find times' }).click();
  await expect(page).toHaveURL(/[?&]plan=.*panel=/);
  await hydrated(page);
  const first = page.locator('label.slot').first();
  await expect(first).toBeVisible();
  // Parker works in New York: his own time is shown beside each proposal.
  await expect(first).toContainText(/Parker Panelist: \w{3} \d\d:\d\d E[SD]T/);
  const when = (await first.locator('.slot-time').textContent())!.trim();
  await page.getByRole('button', { name: 'Schedule interview' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Interview scheduled.' })).toBeVisible();
  const booked = page.locator('li.interview-line', { hasText: 'Technical interview' });
  await expect(booked.locator('time')).toHaveText(when);
  await expect(booked.getByRole('list', { name: 'Panel' })).toContainText('Parker Panelist');
  await expect(booked.getByRole('list', { name: 'Panel' })).toContainText('Sam Sourcer');
  await expect(booked).toContainText('0/2 scorecards');
  // The candidate sees the interview in the portal: when, how, with whom.
  const [mail] = await waitForMails(email, 1);
  const cand = await (await browser.newContext()).newPage();
  await cand.goto(linkIn(mail, '/portal/auth?token='));
  await cand.getByRole('button', { name: 'Continue to my applications' }).click();
  const mine = cand.locator('li.portal-interview', { hasText: 'Technical interview' });
  await expect(mine).toContainText(when);
  await expect(mine).toContainText('Video call');
  await expect(mine).toContainText('Parker Panelist');
  await expect(mine.getByRole('link', { name: 'Join the video call' })).toHaveAttribute('href', /^https:\/\//);
  await cand.context().close();

  // The time just booked is no longer offered for the same panel.
  await expect(page.locator('label.slot .slot-time').first()).not.toHaveText(when);

  // Sam interviews first: the kit, the resume, and the others' scorecards hidden.
  const sam = await signedInPage(browser, STAFF.sourcer, '/app/interviews');
  const line = sam.locator('li.interview-line', { hasText: name });
  await line.getByRole('link', { name: `${name} · Technical interview` }).click();
  await expect(sam.getByRole('heading', { level: 1, name: `Technical interview with ${name}` })).toBeVisible();
  await hydrated(sam);
  await expect(sam.locator('.kit')).toContainText('Rust ownership model');
  await expect(sam.getByRole('link', { name: 'Read the resume' })).toHaveAttribute('href', /\/app\/interviews\/.+\/resume$/);
  await expect(sam.locator('#others-hidden')).toContainText('0 of the other interviewers submitted');
  await rateAll(sam, KIT, 'Yes');
  await sam.getByLabel(/^Notes/).fill('Clear on lifetimes; tests first.');
  await sam.getByRole('group', { name: 'Overall recommendation' }).getByLabel('Yes', { exact: true }).check();
  await sam.getByRole('button', { name: 'Submit scorecard' }).click();
  await expect(sam.getByText('No one else has submitted yet.')).toBeVisible();
  await expect(sam.locator('section', { hasText: 'Your scorecard' }).locator('article.scorecard')).toContainText('Clear on lifetimes');

  // Parker cannot see Sam's scorecard until his own is in; a draft keeps it hidden.
  const parker = await signedInPage(browser, STAFF.panelist, '/app/interviews');
  await parker.locator('li.interview-line', { hasText: name }).getByRole('link', { name: `${name} · Technical interview` }).click();
  await hydrated(parker);
  await expect(parker.locator('#others-hidden')).toContainText('1 of the other interviewers submitted');
  await expect(parker.getByText('Clear on lifetimes')).toHaveCount(0);
  await parker.getByRole('group', { name: KIT[0], exact: true }).getByLabel('Strong yes', { exact: true }).check();
  await parker.getByRole('button', { name: 'Save draft' }).click();
  await expect(parker.getByRole('status').filter({ hasText: 'Scorecard saved.' })).toBeVisible();
  await parker.getByRole('button', { name: 'Submit scorecard' }).click();
  await expect(parker.getByText('Rate every attribute before submitting.')).toBeVisible();
  await expect(parker.locator('#others-hidden')).toBeVisible();
  await rateAll(parker, KIT, 'Strong yes');
  await parker.getByRole('group', { name: 'Overall recommendation' }).getByLabel('Strong yes', { exact: true }).check();
  await parker.getByRole('button', { name: 'Submit scorecard' }).click();
  const others = parker.locator('.scorecards article.scorecard');
  await expect(others).toHaveCount(1);
  await expect(others).toContainText('Sam Sourcer');
  await expect(others).toContainText('Clear on lifetimes');

  // The recruiter's debrief lines the two up.
  await page.reload();
  await hydrated(page);
  const debrief = page.getByRole('region', { name: 'Debrief' });
  await expect(debrief.locator('thead')).toContainText('Sam Sourcer · Technical interview');
  await expect(debrief.locator('thead')).toContainText('Parker Panelist · Technical interview');
  await expect(debrief.locator('tr', { hasText: 'Rust ownership model' })).toContainText('Strong yes');
  await expect(page.getByText('2 yes', { exact: true })).toBeVisible();
  await expect(page.locator('li.interview-line', { hasText: 'Technical interview' })).toContainText('2/2 scorecards');

  // The board card carries the feedback too.
  await page.goto('/app/jobs/rust-backend/board');
  await hydrated(page);
  await expect(new Board(page).card(name).locator('.card-feedback')).toContainText('2/2 · 2 yes');
});

test('a recruiter adds an interview with its kit to a job\'s plan, with clear errors first', async ({ page }) => {
  await signIn(page, STAFF.recruiter, '/app/jobs/customer-success');
  await page.getByRole('link', { name: 'Interview plan' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Interview plan' })).toBeVisible();
  await hydrated(page);
  // The demo plan: a screen, then the interview loop.
  await expect(page.getByRole('region', { name: 'Phone screen' })).toContainText('Recruiter screen');
  const form = page.locator('#add-interview');
  const caseName = `Account plan ${unique('')}`;
  await form.getByLabel('Stage').selectOption({ label: 'Interview' });
  await form.getByLabel('Name').fill(caseName);
  await form.getByLabel('Minutes').fill('7');
  await form.getByLabel(/^Focus attributes/).fill('Account planning\nCommunication');
  await form.getByLabel('Location or video link').fill('meet.example.com/acme');
  await form.getByRole('button', { name: 'Add interview' }).click();
  await expect(page.locator('#f-duration_min-error')).toContainText('between 15 and 480');
  await expect(page.locator('#f-location-error')).toContainText('starting with https://');
  await form.getByLabel('Minutes').fill('45');
  await form.getByLabel('Location or video link').fill('https://meet.example.com/acme');
  await form.getByLabel(/^Questions/).fill('Walk us through a renewal you saved.');
  await form.getByRole('button', { name: 'Add interview' }).click();
  const added = page.getByRole('region', { name: 'Interview' }).locator('article.plan-item', { hasText: caseName });
  await expect(added).toBeVisible();
  await expect(added.locator('.tag')).toHaveText(['Account planning', 'Communication']);
  await expect(added).toContainText('45 min');
});

test('anyone sets their time zone and working day, which interview times then follow', async ({ page }) => {
  await signIn(page, STAFF.manager, '/app/interviews');
  await hydrated(page);
  const hours = page.locator('details.working-hours');
  await hours.locator('summary').click();
  await expect(hours).toContainText('between 09:00 and 17:30 (Europe/Berlin)');
  await hours.getByLabel('Time zone').selectOption('Europe/Lisbon');
  await hours.getByLabel('From').fill('08:00');
  await hours.getByLabel('To').fill('08:30');
  await hours.getByRole('button', { name: 'Save working hours' }).click();
  await expect(page.locator('#f-end-error')).toHaveText('The day ends at least an hour after it starts.');
  await hours.getByLabel('To').fill('16:00');
  // A calendar to keep free must be an https (or webcal) address.
  await hours.getByLabel(/^Your calendar/).fill('ftp://calendar.example.com/me.ics');
  await hours.getByRole('button', { name: 'Save working hours' }).click();
  await expect(page.locator('#f-busy_feed_url-error')).toContainText('starts with https:// or webcal://');
  await hours.getByLabel(/^Your calendar/).fill('');
  await hours.getByRole('button', { name: 'Save working hours' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Working hours saved.' })).toBeVisible();
  await expect(hours).toContainText('between 08:00 and 16:00 (Europe/Lisbon)');
});

test('the hiring manager records a decision with its reason, and the candidate moves on', async ({ page, browser }) => {
  const name = `Dina ${unique('Decided')}`;
  await applyAs(browser, 'rust-backend', name, `${unique('dina')}@example.org`);
  await signIn(page, STAFF.manager, '/app/jobs/rust-backend/board');
  await hydrated(page);
  await openInterviews(page, name);
  const decision = page.locator('.decisions');
  await decision.getByLabel('Advance to Phone screen').check();
  await decision.getByLabel(/^Reason/).fill('Strong portfolio; worth a call.');
  await decision.getByRole('button', { name: 'Record decision' }).click();
  const recorded = decision.locator('li.decision');
  await expect(recorded).toContainText('Advance');
  await expect(recorded).toContainText('Morgan Manager');
  await expect(recorded).toContainText('Strong portfolio; worth a call.');
  await expect(page.locator('.lead')).toContainText('Phone screen');
});

test('a scorecard draft is saved while the interviewer types, and is there after a reload', async ({ page, browser }) => {
  test.setTimeout(90_000);
  const name = `Ada ${unique('Autosave')}`;
  await applyAs(browser, 'rust-backend', name, `${unique('ada')}@example.org`);
  await signIn(page, STAFF.recruiter, '/app/jobs/rust-backend/board');
  await hydrated(page);
  await openInterviews(page, name);
  // Riley puts herself on the panel, so that she writes the scorecard.
  await page.getByLabel('Interview', { exact: true }).selectOption({ label: 'Phone screen · Recruiter screen · 30 min' });
  await page.getByRole('checkbox', { name: /Riley Recruiter/ }).check();
  await page.getByRole('button', { name: 'Find times' }).click();
  // The times arrive with a new address: wait for it, so the page waited on is the new one.
  await expect(page).toHaveURL(/[?&]plan=.*panel=/);
  await hydrated(page);
  await page.locator('label.slot').nth(3).getByRole('radio').check();
  await page.getByRole('button', { name: 'Schedule interview' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Interview scheduled.' })).toBeVisible();
  await page.locator('li.interview-line', { hasText: 'Recruiter screen' }).getByRole('link', { name: 'Recruiter screen' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Recruiter screen with ${name}` })).toBeVisible();
  await hydrated(page);
  await page.getByRole('group', { name: 'Motivation', exact: true }).getByLabel('Strong yes', { exact: true }).check();
  await page.getByLabel(/^Notes/).fill('Wants to own the billing service; asked sharp questions.');
  await expect(page.locator('.autosave')).toHaveText('Draft saved.');
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel(/^Notes/)).toHaveValue('Wants to own the billing service; asked sharp questions.');
  await expect(page.getByRole('group', { name: 'Motivation', exact: true }).getByLabel('Strong yes', { exact: true })).toBeChecked();
});
