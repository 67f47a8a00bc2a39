import { expect, test } from '../support/test';
import { STAFF, applyAs, hydrated, signIn, unique } from '../support/app';
import { chooseTechnicalThenTeam, moveToAnotherDay, openInterviews } from '../support/interviews';
import { linkIn, waitForMails } from '../support/mail';

test('a recruiter books two interviews back to back, each with its own panel', async ({ page, browser }) => {
  test.setTimeout(90_000);
  const name = `Lu ${unique('Loop')}`;
  const email = `${unique('lu')}@example.org`;
  await applyAs(browser, 'rust-backend', name, email);
  await signIn(page, STAFF.recruiter, '/app/jobs/rust-backend/board');
  await hydrated(page);
  await openInterviews(page, name);

  // The technical interview with Ivy (London), then meeting the team with Morgan (Berlin)
  // straight after. Nobody else's specs book these two, so the times stay free while this runs.
  await chooseTechnicalThenTeam(page);

  const times = page.getByRole('group', { name: /Times for both interviews, back to back/ });
  const first = times.locator('label.slot').first();
  await expect(first).toBeVisible();
  // Both panels' zones are shown beside each time; the candidate could choose instead.
  await expect(first).toContainText(/Morgan Manager: \w{3} \d\d:\d\d CES?T/);
  await expect(page.locator('form.send-link')).toContainText('for both interviews, back to back');
  await page.getByRole('button', { name: 'Schedule both interviews' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Both interviews scheduled, back to back.' })).toBeVisible();

  const technical = page.locator('li.interview-line', { hasText: 'Technical interview' });
  const team = page.locator('li.interview-line', { hasText: 'Meet the team' });
  await expect(technical.getByRole('list', { name: 'Panel' })).toContainText('Ivy Interviewer');
  await expect(team.getByRole('list', { name: 'Panel' })).toContainText('Morgan Manager');
  await expect(team.getByRole('list', { name: 'Panel' })).not.toContainText('Ivy Interviewer');
  // The second starts when the first ends.
  const span = async (line: typeof team) => (await line.locator('time').textContent())!.match(/(\d\d:\d\d)–(\d\d:\d\d)/)!;
  const [, , firstEnds] = await span(technical);
  const [, secondStarts] = await span(team);
  expect(secondStarts).toBe(firstEnds);

  // The candidate has an invitation for each.
  const invites = await waitForMails(email, 2, 'Invitation');
  expect(invites).toHaveLength(2);
});

test('a candidate chooses one time for two interviews back to back from the emailed link, then moves them', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const name = `Lia ${unique('Looper')}`;
  const email = `${unique('lia')}@example.org`;
  await applyAs(browser, 'rust-backend', name, email);
  await signIn(page, STAFF.recruiter, '/app/jobs/rust-backend/board');
  await hydrated(page);
  await openInterviews(page, name);

  // The recruiter picks the loop and its panels, and lets the candidate choose the time.
  await chooseTechnicalThenTeam(page);
  await page.getByRole('button', { name: 'Send the candidate a scheduling link' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Scheduling link sent to ${email}` })).toBeVisible();

  // The candidate, in New York, opens the link from the email.
  const [choose] = await waitForMails(email, 1, 'Choose a time for your Technical interview and Meet the team');
  expect(choose.body).toContain('2 interviews back to back');
  const ctx = await browser.newContext({ timezoneId: 'America/New_York' });
  const cand = await ctx.newPage();
  await cand.goto(linkIn(choose, '/schedule/'));
  await hydrated(cand);
  await expect(cand).toHaveURL(/tz=America(%2F|\/)New_York/);
  await expect(cand.getByRole('heading', { level: 1, name: 'Technical interview and Meet the team with Acme' })).toBeVisible();
  const steps = cand.getByRole('list', { name: 'Interviews, in order' }).getByRole('listitem');
  await expect(steps).toHaveCount(2);
  await expect(steps.nth(0)).toHaveText('Technical interview · 60 min · with Ivy Interviewer');
  await expect(steps.nth(1)).toHaveText('Meet the team · 45 min · with Morgan Manager');
  await expect(cand.locator('.lead')).toContainText('2 interviews back to back, 105 minutes in all');
  await hydrated(cand);

  // One time for both: each offered time spans an hour and three quarters.
  const pick = cand.locator('fieldset.slot-day').nth(2).locator('label.slot').last();
  const day = (await cand.locator('fieldset.slot-day').nth(2).locator('legend').textContent())!.trim();
  const time = (await pick.locator('.slot-time').textContent())!.trim();
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  const [, from, to] = time.match(/(\d\d:\d\d)–(\d\d:\d\d) E[SD]T/)!;
  expect(minutes(to) - minutes(from)).toBe(105);
  await pick.getByRole('radio').check();
  await cand.getByRole('button', { name: 'Book this time' }).click();
  await expect(cand.getByRole('status').filter({ hasText: 'Booked.' })).toBeVisible();
  const booked = cand.getByRole('region', { name: 'Your interviews' });
  await expect(booked.locator('.booked-when')).toHaveText(`${day}, ${time}`);
  const parts = booked.locator('.booked-parts li');
  await expect(parts).toHaveCount(2);
  // The first ends, and the second starts, an hour after the start.
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const end = hhmm(minutes(from) + 60);
  await expect(parts.nth(0)).toHaveText(new RegExp(`^Technical interview: .*${from}–${end}`));
  await expect(parts.nth(1)).toHaveText(new RegExp(`^Meet the team: .*${end}–${to}`));
  // An invitation for each interview.
  await waitForMails(email, 2, 'Invitation:');

  // They move both to another day, in one go.
  await moveToAnotherDay(cand, booked, 'Move my interviews');
  const moved = await waitForMails(email, 2, 'Moved:');
  expect(moved.map((m) => m.subject.split(':')[1].trim()).sort()).toEqual([
    expect.stringMatching(/^Meet the team/),
    expect.stringMatching(/^Technical interview/),
  ]);
  await ctx.close();

  // The recruiter sees both, each with its panel, the second starting when the first ends.
  await page.reload();
  await hydrated(page);
  const technical = page.locator('li.interview-line', { hasText: 'Technical interview' });
  const team = page.locator('li.interview-line', { hasText: 'Meet the team' });
  await expect(technical.getByRole('list', { name: 'Panel' })).toContainText('Ivy Interviewer');
  await expect(team.getByRole('list', { name: 'Panel' })).toContainText('Morgan Manager');
  const span = async (line: typeof team) => (await line.locator('time').textContent())!.match(/(\d\d:\d\d)–(\d\d:\d\d)/)!;
  expect((await span(team))[1]).toBe((await span(technical))[2]);
});

test('a recruiter books a loop of three: a third interview is offered once a second is chosen; the candidate moves all three from the portal', async ({ page, browser }) => {
  test.setTimeout(150_000);
  const name = `Tri ${unique('Loop')}`;
  const email = `${unique('tri')}@example.org`;
  await applyAs(browser, 'rust-backend', name, email);
  await signIn(page, STAFF.recruiter, '/app/jobs/rust-backend/board');
  await hydrated(page);
  await openInterviews(page, name);

  // The recruiter screen with Riley, then the technical interview with Ivy...
  await page.getByLabel('Interview', { exact: true }).selectOption({ label: 'Phone screen · Recruiter screen · 30 min' });
  await page.getByRole('group', { name: 'Panel', exact: true }).getByRole('checkbox', { name: /Riley Recruiter/ }).check();
  await page.getByText('Add a second interview straight after').click();
  await page.getByLabel('Then', { exact: true }).selectOption({ label: 'Interview · Technical interview · 60 min' });
  await page.getByRole('group', { name: 'Its panel' }).getByRole('checkbox', { name: /Ivy Interviewer/ }).check();
  await expect(page.getByLabel('Interview 3', { exact: true })).toHaveCount(0);
  await page.getByRole('button', { name: 'Find times' }).click();
  await expect(page.getByRole('group', { name: /Times for both interviews/ })).toBeVisible();
  // ...and, offered now, meeting the team with Morgan.
  await page.getByLabel('Interview 3', { exact: true }).selectOption({ label: 'Interview · Meet the team · 45 min' });
  await page.getByRole('group', { name: 'Panel of interview 3' }).getByRole('checkbox', { name: /Morgan Manager/ }).check();
  await page.getByRole('button', { name: 'Find times' }).click();
  await expect(page).toHaveURL(/then=.*then=/);
  await hydrated(page);

  const times = page.getByRole('group', { name: /Times for all 3 interviews, back to back/ });
  await expect(times.locator('label.slot').first()).toBeVisible();
  await expect(page.locator('form.send-link')).toContainText('for all 3 interviews, back to back');
  // The last time offered, days out: the candidate may move a booking only until 24 hours
  // before it, and the first time offered can be tomorrow morning.
  await times.getByRole('radio').last().check();
  await page.getByRole('button', { name: 'Schedule all 3 interviews' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'All 3 interviews scheduled, back to back.' })).toBeVisible();

  // Each starts when the one before ends, with its own panel.
  const lines = page.locator('li.interview-line');
  await expect(lines).toHaveCount(3);
  const spans = await lines.locator('time').evaluateAll((ts) => ts.map((t) => t.textContent!.match(/(\d\d:\d\d)–(\d\d:\d\d)/)!.slice(1)));
  expect(spans[1][0]).toBe(spans[0][1]);
  expect(spans[2][0]).toBe(spans[1][1]);
  await expect(lines.nth(0)).toContainText('Recruiter screen');
  await expect(lines.nth(0).getByRole('list', { name: 'Panel' })).toContainText('Riley Recruiter');
  await expect(lines.nth(1).getByRole('list', { name: 'Panel' })).toContainText('Ivy Interviewer');
  await expect(lines.nth(2).getByRole('list', { name: 'Panel' })).toContainText('Morgan Manager');
  await waitForMails(email, 3, 'Invitation:');

  // The candidate, in their portal, sees the three, each leading to the same page: the loop
  // moves as one.
  const [received] = await waitForMails(email, 1, 'We received your application');
  // In a zone of its own, so that the times are read only once the page has switched to it
  // (until then they show in the default zone, and a move could be read in one, shown in the other).
  const ctx = await browser.newContext({ timezoneId: 'Asia/Tokyo' });
  const cand = await ctx.newPage();
  await cand.goto(linkIn(received, '/portal/auth?token='));
  await cand.getByRole('button', { name: 'Continue to my applications' }).click();
  await expect(cand).toHaveURL(/\/portal$/);
  const mine = cand.locator('li.portal-interview');
  await expect(mine).toHaveCount(3);
  const change = mine.getByRole('link', { name: 'Move or cancel' });
  await expect(change).toHaveCount(3);
  const hrefs = await change.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  expect(new Set(hrefs).size).toBe(1);
  await change.first().click();
  await expect(cand.getByRole('heading', { level: 1, name: /Recruiter screen, Technical interview and Meet the team/ })).toBeVisible();
  await expect(cand).toHaveURL(/tz=Asia(%2F|\/)Tokyo/);
  const booked = cand.getByRole('region', { name: 'Your interviews' });
  await expect(booked.locator('.booked-when')).toContainText('JST');
  const parts = booked.locator('.booked-parts li');
  await expect(parts).toHaveCount(3);
  await moveToAnotherDay(cand, booked, 'Move my interviews');
  const moved = await waitForMails(email, 3, 'Moved:');
  expect(moved.map((m) => m.subject.split(':')[1].trim().split(' ')[0]).sort()).toEqual(['Meet', 'Recruiter', 'Technical']);
  await ctx.close();

  // The recruiter sees the three moved, still back to back.
  await page.reload();
  await hydrated(page);
  await expect(lines).toHaveCount(3);
  const after = await lines.locator('time').evaluateAll((ts) => ts.map((t) => t.textContent!));
  expect(after).not.toEqual(spans.map(([a, b]) => `${a}–${b}`));
  const movedSpans = after.map((t) => t.match(/(\d\d:\d\d)–(\d\d:\d\d)/)!.slice(1));
  expect(movedSpans[1][0]).toBe(movedSpans[0][1]);
  expect(movedSpans[2][0]).toBe(movedSpans[1][1]);
});
