import { expect, test } from '../support/test';
import { PASSWORD, STAFF, hydrated, signIn, unique } from '../support/app';
import { linkIn, waitForMails } from '../support/mail';
import { totp } from '../support/totp';

test.describe.configure({ timeout: 120_000 });

test('an admin invites a colleague, who sets a password and works; deactivated, they are signed out', async ({ page, browser }) => {
  const email = `${unique('nia').toLowerCase().replace(/[^a-z0-9]/g, '')}@acme.test`;
  await signIn(page, STAFF.admin);
  await hydrated(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Staff' }).click();
  await expect(page).toHaveURL(/\/admin\/staff$/);
  await hydrated(page);

  // Bad input is explained per field; then the invitation goes out.
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.locator('#f-name-error')).toHaveText('Enter their name (up to 100 characters).');
  await page.getByLabel('Name').fill('Nia Newcomer');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Sourcer' });
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.locator('.banner-ok')).toHaveText('Invitation sent.');
  const row = page.locator('tr', { hasText: email });
  await expect(row.locator('.staff-status')).toHaveText('Invited');

  // The colleague opens the link in the email and chooses a password (a weak one is refused).
  const [mail] = await waitForMails(email, 1, 'Alex Admin invites you');
  const ctx = await browser.newContext();
  const nia = await ctx.newPage();
  await nia.goto(linkIn(mail, '/invite?token='));
  await hydrated(nia);
  await expect(nia.getByText(`Welcome, Nia Newcomer. Choose a password for ${email}.`)).toBeVisible();
  await nia.getByRole('textbox', { name: 'Password', exact: true }).fill('password1234');
  await nia.getByLabel('Password again').fill('password1234');
  await nia.getByRole('button', { name: 'Set password and sign in' }).click();
  await expect(nia.locator('#f-password-error')).toContainText('among the first ones attackers try');
  await nia.getByRole('textbox', { name: 'Password', exact: true }).fill('plum orchard lantern 42');
  await nia.getByLabel('Password again').fill('plum orchard lantern 42');
  await nia.getByRole('button', { name: 'Set password and sign in' }).click();
  await expect(nia).toHaveURL(/\/app$/);
  await expect(nia.locator('.role-badge')).toHaveText('Sourcer');
  await expect(nia.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' })).toBeVisible();

  // The admin sees the sign-in, makes them a recruiter, then deactivates them.
  await page.reload();
  await hydrated(page);
  await expect(row.locator('.staff-status')).toHaveText('Active');
  // Other journeys sign in at the same time: Nia's sign-in is in the list, not always first.
  await expect(page.locator('ul.sign-ins li', { hasText: 'Nia Newcomer' }).first()).toBeVisible();
  await row.getByLabel('Role of Nia Newcomer').selectOption({ label: 'Recruiter' });
  // Wait for the save itself before looking from the colleague's side.
  const saved = page.waitForResponse((r) => r.url().includes('change_role') && r.ok());
  await row.getByRole('button', { name: 'Save role' }).click();
  await saved;
  await nia.reload();
  await expect(nia.locator('.role-badge')).toHaveText('Recruiter');
  await row.getByRole('button', { name: 'Deactivate Nia Newcomer' }).click();
  await expect(row.locator('.staff-status')).toHaveText('Deactivated');
  await nia.reload();
  await expect(nia).toHaveURL(/\/login\?next=/);
  await ctx.close();
});

test('a staff member resets a forgotten password by email and changes it on their account page', async ({ page }) => {
  await page.goto('/login');
  await hydrated(page);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page).toHaveURL(/\/password\/reset$/);
  await hydrated(page);
  await page.getByLabel('Email').fill(STAFF.interviewer);
  await page.getByRole('button', { name: 'Email me a link' }).click();
  await expect(page.locator('.banner-ok')).toContainText('a link to reset the password is on its way');

  const [mail] = await waitForMails(STAFF.interviewer, 1, 'Reset your password');
  await page.goto(linkIn(mail, '/password/reset?token='));
  await hydrated(page);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill('violet harbour compass 7');
  await page.getByLabel('Password again').fill('violet harbour compass 7');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page).toHaveURL(/\/login\?reset=1$/);
  await expect(page.locator('.banner-ok')).toHaveText('Your password was changed. Sign in with the new one.');
  await hydrated(page);
  await page.getByLabel('Email').fill(STAFF.interviewer);
  await page.getByLabel('Password').fill('violet harbour compass 7');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/app$/);

  // Back to the demo password from the account page (the current one first).
  await page.getByRole('link', { name: 'Ivy Interviewer' }).click();
  await expect(page).toHaveURL(/\/app\/account$/);
  await hydrated(page);
  await page.getByLabel('Current password').fill('wrong');
  await page.getByRole('textbox', { name: 'New password', exact: true }).fill(PASSWORD + '-again');
  await page.getByLabel('New password again').fill(PASSWORD + '-again');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('#f-current-error')).toHaveText('That is not your current password.');
  await page.getByLabel('Current password').fill('violet harbour compass 7');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('.banner-ok')).toContainText('Your password was changed.');
});

test('an admin requires two-step sign-in of a colleague, who sets it up with an authenticator app and then needs its code to sign in', async ({ page, browser }) => {
  const email = `${unique('tom').toLowerCase().replace(/[^a-z0-9]/g, '')}@acme.test`;
  const password = 'granite meadow bicycle 8';
  // An admin invites them; they set a password.
  await signIn(page, STAFF.admin, '/admin/staff');
  await hydrated(page);
  await page.getByLabel('Name').fill('Tom Twostep');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.locator('.banner-ok')).toHaveText('Invitation sent.');
  const [mail] = await waitForMails(email, 1, 'Alex Admin invites you');
  const ctx = await browser.newContext();
  const tom = await ctx.newPage();
  await tom.goto(linkIn(mail, '/invite?token='));
  await hydrated(tom);
  await tom.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await tom.getByLabel('Password again').fill(password);
  await tom.getByRole('button', { name: 'Set password and sign in' }).click();
  await expect(tom).toHaveURL(/\/app$/);

  // The admin requires two-step sign-in of Tom: until it is on, only his account page works.
  await page.reload();
  await hydrated(page);
  const row = page.locator('tr', { hasText: email });
  await row.getByRole('button', { name: 'Require two-step of Tom Twostep' }).click();
  await expect(row.locator('.staff-two-step')).toContainText('Required');
  await tom.goto('/app/people');
  await expect(tom).toHaveURL(/\/app\/account$/);
  await hydrated(tom);
  await expect(tom.locator('.banner-error')).toHaveText('Two-step sign-in is required for your account. Set it up below to continue.');

  // On the account page: set up with the app's first code; the recovery codes are shown once.
  await expect(tom.locator('.two-step-status')).toHaveText('Off');
  await tom.getByRole('button', { name: 'Set up two-step sign-in' }).click();
  const secret = (await tom.locator('.totp-secret').textContent())!.trim();
  await tom.getByLabel('Code from your app').fill('000000' === totp(secret, Date.now() / 1000) ? '111111' : '000000');
  await tom.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await expect(tom.locator('#f-code-error')).toContainText('That code is not right');
  const now = Date.now() / 1000;
  await tom.getByLabel('Code from your app').fill(totp(secret, now));
  await tom.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await expect(tom.locator('.banner-ok')).toContainText('Two-step sign-in is on.');
  await expect(tom.locator('ul.recovery-codes li')).toHaveCount(10);
  await expect(tom.locator('.two-step-status')).toHaveText('On · 10 recovery codes left');
  await tom.getByRole('link', { name: 'Continue' }).click();
  await expect(tom).toHaveURL(/\/app$/);
  await tom.goto('/app/people');
  await expect(tom.getByRole('heading', { level: 1, name: 'People' })).toBeVisible();
  await expect(row.locator('.staff-two-step')).toContainText('Required');
  await page.reload();
  await expect(page.locator('tr', { hasText: email }).locator('.staff-two-step')).toContainText('On');

  // Signing in now takes the password and the next code.
  await tom.getByRole('button', { name: 'Sign out' }).click();
  await expect(tom).toHaveURL(/\/login/);
  await hydrated(tom);
  await tom.getByLabel('Email').fill(email);
  await tom.getByLabel('Password').fill(password);
  await tom.getByRole('button', { name: 'Sign in' }).click();
  await expect(tom.locator('#f-code-error')).toHaveText('Enter the 6-digit code from your authenticator app (or a recovery code).');
  await tom.getByLabel('Code from your authenticator app').fill(totp(secret, now + 30));
  await tom.getByRole('button', { name: 'Sign in' }).click();
  await expect(tom).toHaveURL(/\/app$/);
  await expect(tom.locator('.who-name')).toHaveText('Tom Twostep');
  await ctx.close();
});
