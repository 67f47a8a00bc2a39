import { expect, test } from '../support/test';
import path from 'node:path';
import { FIXTURES, STAFF, hydrated, signIn, unique } from '../support/app';

// An admin puts the careers pages in the company's colour and words. A colour too light to read
// is refused; the chosen one shows on the careers page (header, buttons) for candidates, and the
// introduction above the jobs. The spec puts the app's own colour back when it is done.
test('an admin brands the careers pages: a readable colour and an introduction above the jobs', async ({ page, browser }) => {
  const words = `We build tools people love (${unique('brand')}).`;
  await signIn(page, STAFF.admin, '/admin/brand');
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Brand' })).toBeVisible();
  const colour = page.getByLabel('Colour');
  await expect(colour).toHaveValue(/^#[0-9a-f]{6}$/);
  const before = await colour.inputValue();
  const intro = page.getByLabel('Careers introduction');
  const introBefore = await intro.inputValue();

  await colour.fill('#ffcc00');
  await page.getByRole('button', { name: 'Save brand' }).click();
  await expect(page.locator('#f-colour-error')).toContainText('too light to read');

  await colour.fill('#0F766E');
  await page.getByLabel('Careers introduction').fill(words);
  await page.getByRole('button', { name: 'Save brand' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  // The preview shows the colour on a sample, not on the staff pages around it.
  await expect(page.locator('.brand-sample-bar')).toHaveCSS('background-color', 'rgb(15, 118, 110)');

  // A logo: an SVG is refused (it can carry script), a PNG shows on the page and the preview.
  await page.getByLabel('Logo image').setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') });
  await page.getByRole('button', { name: 'Upload logo' }).click();
  await expect(page.locator('#f-logo-error')).toContainText('PNG, JPEG or WebP');
  await page.getByLabel('Logo image').setInputFiles(path.join(FIXTURES, 'logo.png'));
  await page.getByRole('button', { name: 'Upload logo' }).click();
  await expect(page.getByRole('img', { name: 'The logo of Acme' })).toBeVisible();

  try {
    const cand = await (await browser.newContext({ colorScheme: 'light' })).newPage();
    await cand.goto('/jobs');
    await expect(cand.locator('.careers-intro')).toHaveText(words);
    await expect(cand.locator('.public-header .brand')).toHaveText('Acme Careers');
    const logo = cand.locator('.public-header img.brand-logo');
    await expect(logo).toBeVisible();
    await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(96);
    await expect(cand.locator('.talent-invite .btn').first()).toBeVisible();
    // A job page has the brand in its HTML from the server (public pages are not hydrated: no
    // frame in the default colour while the brand is asked for).
    await cand.locator('a[href="/jobs/rust-backend"]').first().click();
    await expect(cand).toHaveURL(/\/jobs\/rust-backend$/);
    await expect(cand.getByRole('button', { name: 'Submit application' })).toHaveCSS('background-color', 'rgb(15, 118, 110)');
    const served = await (await cand.request.get('/jobs/rust-backend')).text();
    expect(served.toLowerCase()).toContain('#0f766e');
    await cand.goto('/jobs/rust-backend');
    await expect(cand.getByRole('button', { name: 'Submit application' })).toHaveCSS('background-color', 'rgb(15, 118, 110)');
    await cand.context().close();
  } finally {
    // Back to how it was, for the other specs: colour and words first, then the logo if any.
    await colour.fill(before);
    await intro.fill(introBefore);
    await page.getByRole('button', { name: 'Save brand' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
    const remove = page.getByRole('button', { name: 'Remove logo' });
    if (await remove.count()) {
      await remove.click();
      await expect(page.getByText('No logo yet')).toBeVisible();
    }
  }
});
