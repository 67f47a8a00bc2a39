import { expect, test } from '../support/test';
import { Board, STAFF, signIn, unique } from '../support/app';
import { applyWithoutJs } from '../support/journeys';
import { linkIn, waitForMails } from '../support/mail';
import { approveAs, jobWithApplicant, makeOffer } from '../support/offers';

// The candidate accepts an offer without JavaScript (plain form posts). The staff side, already
// covered with JavaScript, runs in a JavaScript context here.
test.describe.configure({ timeout: 300_000 });

test('a candidate accepts an offer without JavaScript', async ({ browser }) => {
  const staff = await browser.newContext({ javaScriptEnabled: true });
  const page = await staff.newPage();
  const s = await jobWithApplicant(page, browser);
  await makeOffer(page, s);
  await approveAs(browser, `Offer to ${s.name}`);
  await staff.close();

  const [mail] = await waitForMails(s.email, 1, 'Your offer from Acme');
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const cand = await ctx.newPage();
  await cand.goto(linkIn(mail, '/portal/auth?token='));
  await cand.getByRole('button', { name: 'Continue to my applications' }).click();
  await cand.locator('.portal-offer').getByRole('link', { name: 'Read your offer' }).click();
  await expect(cand.getByRole('heading', { level: 1, name: `Your offer: ${s.title}` })).toBeVisible();
  // A wrong signature comes back with its message, without JavaScript too.
  await cand.getByLabel('Your full name, as your signature').fill('Somebody Else');
  await cand.getByRole('button', { name: 'Accept offer' }).click();
  await expect(cand.getByText(`Type your full name as it appears on the offer: ${s.name}.`)).toBeVisible();
  await cand.getByLabel('Your full name, as your signature').fill(s.name);
  await cand.getByRole('button', { name: 'Accept offer' }).click();
  await expect(cand.getByText('You accepted this offer')).toBeVisible();
  await expect(cand.getByRole('button', { name: 'Accept offer' })).toHaveCount(0);
  await ctx.close();
});

test('a recruiter makes an offer without JavaScript: errors come back in the open form', async ({ page, browser }) => {
  const name = `Orla ${unique('NoScript')}`;
  await applyWithoutJs(browser, 'rust-backend', name, `${unique('orla')}@example.org`);
  await signIn(page, STAFF.recruiter, '/app/jobs/rust-backend/board');
  await new Board(page).card(name).getByRole('link', { name, exact: true }).click();
  await page.getByRole('link', { name: 'Interviews and feedback' }).click();
  const offer = page.locator('#offer');
  await expect(offer.getByText('No offer yet')).toBeVisible();
  // Before the Offer stage the form waits behind its button (a native disclosure).
  await expect(offer.getByLabel('Base salary')).toBeHidden();
  await offer.locator('summary', { hasText: 'Make an offer' }).click();
  await offer.getByLabel('Base salary').fill('lots');
  await offer.getByRole('checkbox', { name: 'Morgan Manager' }).check();
  await offer.getByRole('button', { name: 'Send for approval' }).click();
  // The plain post comes back with the message, the form open.
  await expect(offer.locator('.field-error', { hasText: /salary/i })).toBeVisible();
  await offer.getByLabel('Base salary').fill('90000');
  await offer.getByRole('checkbox', { name: 'Morgan Manager' }).check();
  await offer.getByRole('button', { name: 'Send for approval' }).click();
  await expect(offer.locator('.offer-current')).toContainText('Waiting for approval');
  await expect(offer.locator('.offer-terms')).toContainText('90,000');
});
