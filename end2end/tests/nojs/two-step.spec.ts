import { expect, test } from '../support/test';
import { STAFF, hydrated, signIn, unique } from '../support/app';
import { linkIn, waitForMails } from '../support/mail';
import { totp } from '../support/totp';

// Two-step sign-in set up in a browser without JavaScript: the key and the recovery codes stay
// on the account page between the plain form posts.
test('a colleague sets up two-step sign-in without JavaScript and then needs its code', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const email = `${unique('nina').toLowerCase().replace(/[^a-z0-9]/g, '')}@acme.test`;
  const password = 'granite meadow bicycle 8';
  // An admin invites them and they choose a password (with JavaScript, as set-up).
  const js = await browser.newContext({ javaScriptEnabled: true });
  const admin = await js.newPage();
  await signIn(admin, STAFF.admin, '/admin/staff');
  await hydrated(admin);
  await admin.getByLabel('Name').fill('Nina Nojs');
  await admin.getByLabel('Email').fill(email);
  await admin.getByRole('button', { name: 'Send invitation' }).click();
  await expect(admin.locator('tr', { hasText: email })).toContainText('Invited');
  const [mail] = await waitForMails(email, 1, 'Alex Admin invites you');
  const invited = await js.newPage();
  await invited.goto(linkIn(mail, '/invite?token='));
  await hydrated(invited);
  await invited.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await invited.getByLabel('Password again').fill(password);
  await invited.getByRole('button', { name: 'Set password and sign in' }).click();
  await expect(invited).toHaveURL(/\/app$/);
  await js.close();

  // Without JavaScript: sign in, set up, enter a wrong code, then the right one.
  await page.goto('/login?next=%2Fapp%2Faccount');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/app\/account$/);
  await expect(page.locator('.two-step-status')).toHaveText('Off');
  await page.getByRole('button', { name: 'Set up two-step sign-in' }).click();
  await expect(page.locator('.two-step-status')).toHaveText('Off · setting up');
  const secret = (await page.locator('.totp-secret').textContent())!.trim();
  await expect(page.locator('ul.recovery-codes li')).toHaveCount(10);
  const recovery = (await page.locator('ul.recovery-codes li').first().textContent())!.trim();
  // A reload keeps the same key (nothing is lost between posts).
  await page.reload();
  await expect(page.locator('.totp-secret')).toHaveText(secret);
  await page.getByLabel('Code from your app').fill('000000' === totp(secret, Date.now() / 1000) ? '111111' : '000000');
  await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await expect(page.locator('#f-code-error')).toContainText('That code is not right');
  const now = Date.now() / 1000;
  await page.getByLabel('Code from your app').fill(totp(secret, now));
  await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await expect(page.locator('.two-step-status')).toHaveText('On · 10 recovery codes left');

  // Signing in again takes the password and then a recovery code shown during the set-up.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto('/login?next=%2Fapp%2Faccount');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('#f-code-error')).toHaveText('Enter the 6-digit code from your authenticator app (or a recovery code).');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Code from your authenticator app').fill(recovery);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/app\/account$/);
  await expect(page.locator('.two-step-status')).toHaveText('On · 9 recovery codes left');
});
