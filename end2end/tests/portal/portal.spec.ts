import { expect, test } from '../support/test';
import { Board, STAFF, applyAs, hydrated, signIn, unique } from '../support/app';
import { linkIn, waitForMails } from '../support/mail';

test('a candidate follows the application from the magic link and withdraws it', async ({ page, browser }) => {
  const email = `${unique('cand')}@example.org`;
  const name = `Cleo ${unique('Portal')}`;
  await applyAs(browser, 'product-designer', name, email);

  // The recruiter moves the candidate to Phone screen.
  const staff = await browser.newContext();
  const sp = await staff.newPage();
  await signIn(sp, STAFF.recruiter, '/app/jobs/product-designer/board');
  await hydrated(sp);
  await new Board(sp).moveWithMenu(name, 'Phone screen');
  await expect(new Board(sp).column('Phone screen').locator('li.board-card', { hasText: name })).toBeVisible();
  await staff.close();

  const [mail] = await waitForMails(email);
  // Opening the link signs nobody in (mail scanners open links too); its button does, once.
  const link = linkIn(mail, '/portal/auth?token=');
  await page.goto(link);
  await expect(page).toHaveURL(/\/portal\/signin\?token=/);
  await page.getByRole('button', { name: 'Continue to my applications' }).click();
  await expect(page).toHaveURL(/\/portal$/);
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: /^Hello, Cleo/ })).toBeVisible();
  const app = page.locator('article.portal-app', { hasText: 'Product Designer' });
  await expect(app.locator('.status')).toHaveText('In progress: Phone screen');
  await expect(app.locator('.timeline li')).toHaveCount(2);
  await expect(app.locator('.timeline li').nth(0)).toContainText('Moved to Phone screen');
  await expect(app.locator('.timeline li').nth(1)).toContainText('Applied for Product Designer');
  await expect(app.locator('.timeline time').first()).toHaveText(/\d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC/);

  await app.getByText('Withdraw this application').click();
  await app.getByRole('button', { name: 'Yes, withdraw my application' }).click();
  await expect(app.locator('.status')).toHaveText('Withdrawn');
  await expect(app.locator('.timeline li').first()).toContainText('You withdrew this application');
  await expect(app.getByText('Withdraw this application')).toHaveCount(0);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Follow your applications' })).toBeVisible();

  // The link was used: it does not sign in again.
  await page.goto(link);
  await page.getByRole('button', { name: 'Continue to my applications' }).click();
  await expect(page).toHaveURL(/\/portal\?link=used$/);
  await expect(page.locator('.banner-error')).toContainText('That link was used already');
});

test('an expired or forged link explains itself and a new link can be requested', async ({ page }) => {
  await page.goto('/portal/auth?token=forged.token');
  await expect(page).toHaveURL(/\/portal\?link=invalid$/);
  await hydrated(page);
  await expect(page.locator('.banner-error')).toContainText('That link is not valid');
  await page.getByRole('button', { name: 'Email me a link' }).click();
  await expect(page.locator('#f-email-error')).toHaveText('Enter an email address.');
  await page.getByLabel('Email').fill('someone@example.org');
  await page.getByRole('button', { name: 'Email me a link' }).click();
  await expect(page.locator('.banner-ok')).toContainText('If we hold data about that address');
});

// A candidate asks a person to review their application; a recruiter finds the request on
// their home page and answers; the candidate reads the answer in the portal and by email.
test('a candidate asks for a human review and a recruiter answers from the home page', async ({ page, browser }) => {
  const email = `${unique('review')}@example.org`;
  const name = `Rhea ${unique('Review')}`;
  await applyAs(browser, 'customer-success', name, email);
  const [mail] = await waitForMails(email);
  await page.goto(linkIn(mail, '/portal/auth?token='));
  await page.getByRole('button', { name: 'Continue to my applications' }).click();
  await expect(page).toHaveURL(/\/portal$/);
  await hydrated(page);
  const app = page.locator('article.portal-app', { hasText: 'Customer Success Manager' });
  await app.getByText('Ask a person to review this application').click();
  await app.getByLabel('Anything we should know? (optional)').fill('I led a support team of twelve.');
  await app.getByRole('button', { name: 'Ask for a human review' }).click();
  await expect(app.locator('.review-state')).toContainText('You asked for a person to review this application');
  await expect(app.locator('.timeline li').first()).toContainText('You asked for a person to review this application');

  const staff = await browser.newContext();
  const sp = await staff.newPage();
  await signIn(sp, STAFF.recruiter, '/app');
  await hydrated(sp);
  const request = sp.locator('section.review-requests li.review-request', { hasText: name });
  await expect(request).toContainText('Customer Success Manager');
  await expect(request.locator('blockquote')).toHaveText('I led a support team of twelve.');
  await request.getByText('Answer', { exact: true }).click();
  await request.getByLabel('What you found, for the candidate').fill('We read it again: you move on to a phone screen.');
  await request.getByRole('button', { name: 'Send the answer' }).click();
  await expect(request).toHaveCount(0);
  await staff.close();

  const [answer] = await waitForMails(email, 1, 'We reviewed your application');
  expect(answer.body).toContain('We read it again: you move on to a phone screen.');
  await page.reload();
  await hydrated(page);
  await expect(app.locator('.review-state')).toHaveText('A person reviewed this application: We read it again: you move on to a phone screen.');
});
