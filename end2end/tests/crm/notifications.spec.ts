import { expect, test } from '../support/test';
import { STAFF, hydrated, signIn } from '../support/app';

// The bell in the top bar lists what waits for me, wherever I am; each item leads to it.
test('the notifications in the top bar list replies to answer and lead to the person', async ({ page }) => {
  await signIn(page, STAFF.sourcer, '/app/people');
  await hydrated(page);
  const bell = page.getByRole('button', { name: /^Notifications: \d+ things? waits? for you$/ });
  await expect(bell).toBeVisible();
  await expect(bell).toHaveAccessibleName(/Notifications: [1-9]\d* things? waits? for you/);
  await expect(bell).toHaveAttribute('aria-expanded', 'false');
  await bell.click();
  const panel = page.getByRole('region', { name: 'Notifications' });
  await expect(panel).toBeVisible();
  await expect(panel).toBeFocused();
  const reply = panel.locator('li[data-kind="reply"] a').first();
  await expect(reply).toContainText('replied to a campaign');
  // Escape closes it and goes back to the bell.
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await expect(bell).toBeFocused();
  await bell.click();
  const name = (await reply.textContent())!.replace(' replied to a campaign', '');
  await reply.click();
  await expect(page.getByRole('heading', { level: 1, name, exact: true })).toBeVisible();
  await expect(panel).toBeHidden();
});
