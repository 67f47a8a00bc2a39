import { expect, test } from '../support/test';
import { Board, applyAs, hydrated, unique } from '../support/app';
import { linkIn, waitForMails } from '../support/mail';
import { approveAs, jobWithApplicant, makeOffer } from '../support/offers';

test.describe.configure({ timeout: 300_000 });

test('an offer is approved, accepted in the portal, and the card lands in Hired', async ({ page, browser }) => {
  const s = await jobWithApplicant(page, browser);
  // A second candidate is still in process when the job is filled.
  const other = `Otto ${unique('Other')}`;
  const otherEmail = `${unique('otto')}@example.org`;
  await applyAs(browser, s.jobId, other, otherEmail);
  await makeOffer(page, s, '85,000');
  const offer = page.locator('#offer');
  await expect(offer.locator('.offer-terms')).toContainText('EUR 85,000 per year · bonus 10% of base');

  // The hiring manager is asked by email and decides in the app.
  const [ask] = await waitForMails('manager@acme.test', 1, `Approval needed: Offer to ${s.name}`);
  expect(ask.body).toContain(`approve the offer to ${s.name} for ${s.title}: EUR 85,000 per year`);
  await approveAs(browser, `Offer to ${s.name}`);

  // The candidate gets the offer by email, reads the letter in the portal and signs it.
  const [mail] = await waitForMails(s.email, 1, 'Your offer from Acme');
  const ctx = await browser.newContext();
  const cand = await ctx.newPage();
  await cand.goto(linkIn(mail, '/portal/auth?token='));
  await cand.getByRole('button', { name: 'Continue to my applications' }).click();
  await expect(cand.locator('.portal-offer')).toContainText('Your offer: Waiting for your answer.');
  await cand.locator('.portal-offer').getByRole('link', { name: 'Read your offer' }).click();
  await expect(cand.getByRole('heading', { level: 1, name: `Your offer: ${s.title}` })).toBeVisible();
  const first = s.name.split(' ')[0];
  await expect(cand.getByRole('article', { name: 'Offer letter' })).toContainText(`Dear ${first},`);
  await expect(cand.getByRole('article', { name: 'Offer letter' })).toContainText('EUR 85,000 per year');
  await hydrated(cand);
  const signature = cand.getByLabel('Your full name, as your signature');
  await signature.fill(first);
  await cand.getByRole('button', { name: 'Accept offer' }).click();
  await expect(cand.locator('#f-full_name-error')).toHaveText(`Type your full name as it appears on the offer: ${s.name}.`);
  await signature.fill(s.name);
  await cand.getByRole('button', { name: 'Accept offer' }).click();
  await expect(cand.getByRole('status').filter({ hasText: 'You accepted this offer' })).toContainText(`signed “${s.name}”`);
  await expect(cand.getByRole('button', { name: 'Accept offer' })).toHaveCount(0);
  await cand.goto('/portal');
  await expect(cand.locator('.portal-app', { hasText: s.title }).locator('.status')).toHaveText('Hired. Welcome aboard!');
  await ctx.close();

  // The recruiter sees the signature; the card is in Hired, and the filled job is closed.
  await page.reload();
  await hydrated(page);
  await expect(offer.locator('.offer-signed')).toContainText(`signed “${s.name}” from 127.0.0.1`);
  await expect(offer.locator('.offer-filled h3')).toHaveText('The job is filled: 1 of 1 hired');
  // The other candidate is listed, to be told rather than left waiting.
  const filled = offer.locator('.offer-filled');
  await expect(filled).toContainText('1 candidate(s) are still in process');
  await expect(filled.getByRole('checkbox', { name: new RegExp(other) })).toBeChecked();
  await expect(filled.getByLabel('Reason (kept on each application)')).toHaveValue('The role has been filled');
  await filled.getByRole('button', { name: 'Reject the selected and email them' }).click();
  // As every bulk action, it lands on the board, where it can be undone for a moment.
  await expect(page).toHaveURL(/\/board\?bulk=/);
  await expect(page.getByText('Rejected 1 candidate and queued 1 rejection email.', { exact: true }).first()).toBeVisible();
  const [rejection] = await waitForMails(otherEmail, 1, `Your application for ${s.title}`);
  expect(rejection.body).toContain('The position has now been filled');
  const [told] = await waitForMails('recruiter@acme.test', 1, `Offer accepted: ${s.name}`);
  expect(told.body).toContain('The job is now filled (1 hired) and closed.');
  await page.goto(`/app/jobs/${s.jobId}/board`);
  await hydrated(page);
  await expect(new Board(page).column('Hired')).toContainText(s.name);
  await page.goto(`/app/jobs/${s.jobId}`);
  await expect(page.locator('.page-head .status').first()).toHaveText('Closed');
});
