import { expect, test, type Locator, type Page } from '../support/test';
import { STAFF, hydrated, signIn, unique } from '../support/app';
import { mailsTo } from '../support/mail';

// Several reloads of the campaign page on a debug build.
test.describe.configure({ timeout: 120_000 });

/** The kinds of the sequence's steps, in order ("email", "wait", "condition"). */
async function kinds(steps: Locator): Promise<string[]> {
  return steps.evaluateAll((els) =>
    els.map((el) => [...el.classList].find((c) => c.startsWith('step-') && c !== 'step-card')!.slice(5)),
  );
}

/** A real mouse drag: press on a step's grip, move in steps onto another step, release. */
async function dragStep(page: Page, from: Locator, onto: Locator) {
  const grip = from.locator('.step-grip');
  await grip.scrollIntoViewIfNeeded();
  const a = await grip.boundingBox();
  const b = await onto.locator('.step-head').boundingBox();
  if (!a || !b) throw new Error('step not visible');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2 + 8, { steps: 3 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 15 });
  await page.mouse.up();
}

test('a sourcer starts a sequence from a template, inserts, drags and personalises steps, previews it on a phone and sends a test to herself', async ({ page }) => {
  const u = unique('');
  const name = `Come back ${u}`;
  await signIn(page, STAFF.sourcer, '/app/campaigns');
  await hydrated(page);

  // A template instead of an empty builder.
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel(/Re-engage silver medalists/).check();
  await page.getByRole('button', { name: 'Create sequence' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await hydrated(page);
  const steps = page.locator('.sequence .step-card');
  await expect(steps).toHaveCount(4);
  expect(await kinds(steps)).toEqual(['email', 'wait', 'condition', 'email']);
  await expect(steps.nth(0).getByLabel('Subject', { exact: true })).toHaveValue('{{first_name}}, we would love to talk again');
  // The condition draws its two branches.
  await expect(steps.nth(2).locator('.branch-yes')).toHaveText('If they replied → stop');
  await expect(steps.nth(2).locator('.branch-no')).toHaveText('Otherwise → the next step');

  // Its audience: the silver medalists pool.
  await page.getByLabel('A pool').check();
  await page.getByLabel('Pool', { exact: true }).selectOption({ label: 'Silver medalists' });
  const settings = page.locator('.settings-form');
  await settings.getByRole('button', { name: 'Save' }).click();
  await expect(settings.getByRole('status')).toHaveText('Saved.');
  await expect(page.locator('.audience-line')).toContainText('Silver medalists');

  // A step between the first two.
  await steps.nth(0).getByText('+ Add a step here (before step 2)').click();
  await steps.nth(0).locator('.insert-step').getByRole('button', { name: 'Condition' }).click();
  await expect(steps).toHaveCount(5);
  expect(await kinds(steps)).toEqual(['email', 'condition', 'wait', 'condition', 'email']);
  await page.waitForLoadState('networkidle');

  // Dragged by the mouse onto the last step, it takes that place.
  await dragStep(page, steps.nth(1), steps.nth(4));
  await expect.poll(() => kinds(steps)).toEqual(['email', 'wait', 'condition', 'email', 'condition']);
  // The arrows do the same without a mouse: the last step goes back up one.
  await steps.nth(4).getByRole('button', { name: 'Move up' }).click();
  await expect.poll(() => kinds(steps)).toEqual(['email', 'wait', 'condition', 'condition', 'email']);
  await steps.nth(3).getByRole('button', { name: 'Remove step' }).click();
  await expect(steps).toHaveCount(4);
  await page.waitForLoadState('networkidle');

  // A personal detail goes where the cursor is, and the step saves itself.
  const first = steps.nth(0);
  const message = first.getByLabel('Message');
  await message.click();
  await message.press('Control+Home');
  await first.getByRole('group', { name: 'Insert a personal detail' }).getByRole('button', { name: 'Full name' }).click();
  await expect(message).toHaveValue(/^\{\{full_name\}\}Hi \{\{first_name\}\},/);
  await expect(first.getByRole('status')).toHaveText('Saved.');
  await page.reload();
  await hydrated(page);
  await expect(steps.nth(0).getByLabel('Message')).toHaveValue(/^\{\{full_name\}\}Hi/);

  // The preview shows the branded HTML email, at a phone's width on demand.
  const frame = page.frameLocator('iframe.preview-html');
  await expect(frame.locator('.brand-bar')).toContainText('Acme');
  const to = (await page.locator('.preview-to').textContent())!;
  const firstName = to.split(' ')[0];
  await expect(frame.locator('body')).toContainText(`Hi ${firstName},`);
  await page.getByLabel('Screen').selectOption('Phone');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/width=phone/);
  await expect(page.locator('.mail-frame.phone')).toBeVisible();
  const width = await page.locator('.mail-frame.phone').evaluate((el) => el.getBoundingClientRect().width);
  expect(width).toBeLessThanOrEqual(375);
  await expect(page.frameLocator('iframe.preview-html').locator('body')).toContainText(`Hi ${firstName},`);

  // A test goes to the sourcer herself, marked as one, and touches nobody in the audience.
  await hydrated(page);
  await page.getByRole('button', { name: 'Send me a test' }).click();
  await expect(page.locator('.test-send [role=status]')).toHaveText(`Test sent to ${STAFF.sourcer}.`);
  await expect
    .poll(() => mailsTo(STAFF.sourcer).filter((m) => m.body.includes(name)).length, { timeout: 20_000 })
    .toBe(1);
  const mail = mailsTo(STAFF.sourcer).find((m) => m.body.includes(name))!;
  expect(mail.subject).toBe(`[Test] ${firstName}, we would love to talk again`);
  expect(mail.body).toContain(`as ${to.split(' <')[0]} would receive it`);
  expect(mail.body).not.toContain('token=');
});
