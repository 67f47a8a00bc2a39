// Public pages hydrate with their area's bundle, which holds only that area's code: the careers
// site with `ats-careers`, the portal with `ats-portal`, staff sign-in with `ats-account`; staff
// pages (/app, /admin) with the full `ats` (app/src/bundles.rs). A visitor moving from one area
// to another by a link, a sign-in's redirect or the back button gets a working page.
import { expect, test } from '../support/test';
import { ApplyForm, LoginPage, STAFF, hydrated } from '../support/app';
import type { Page } from '@playwright/test';

/** The WASM files the page's context has fetched so far. */
function wasmFetched(page: Page): Set<string> {
  const seen = new Set<string>();
  page.context().on('request', (r) => {
    const p = new URL(r.url()).pathname;
    if (p.endsWith('.wasm')) seen.add(p);
  });
  return seen;
}

test('each public area loads its own bundle, staff pages the full one, and links between them work', async ({ page }) => {
  const wasm = wasmFetched(page);

  // The careers site: its bundle only, hydrated, moving between its pages in place.
  await page.goto('/jobs');
  await hydrated(page);
  expect([...wasm]).toEqual(['/pkg/ats-careers.wasm']);
  await page.getByRole('link', { name: 'Senior Backend Engineer (Rust)' }).click();
  await expect(page).toHaveURL(/\/jobs\/rust-backend$/);
  await expect(page.getByRole('heading', { name: 'Senior Backend Engineer (Rust)', level: 1 })).toBeVisible();
  // The apply form answers in place (its server function called from the careers bundle).
  await hydrated(page);
  const form = new ApplyForm(page);
  await form.fill({ name: '', email: 'not-an-email', resume: 'resume.pdf' });
  await form.submit();
  await expect(form.fieldError('name')).toHaveText('Enter your name.');
  await expect(page.getByLabel('Email')).toHaveValue('not-an-email');
  expect([...wasm]).toEqual(['/pkg/ats-careers.wasm']);

  // A page that does not exist is a 404 in the careers bundle too.
  const missing = await page.goto('/no-such-page');
  expect(missing?.status()).toBe(404);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();

  // The portal's sign-in has its own bundle; so has staff sign-in, whose redirect to a staff
  // page loads that page in full with the full bundle.
  // From the careers site to the portal by a link: another area, loaded in full.
  await page.goto('/');
  await hydrated(page);
  wasm.clear();
  await page.getByRole('link', { name: 'Follow my application' }).click();
  await expect(page).toHaveURL(/\/portal(\/signin)?$/);
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect([...wasm]).toEqual(['/pkg/ats-portal.wasm']);
  wasm.clear();
  const login = new LoginPage(page);
  await login.goto('/app/jobs');
  expect([...wasm]).toEqual(['/pkg/ats-account.wasm']);
  await login.signIn(STAFF.recruiter);
  await expect(page).toHaveURL(/\/app\/jobs$/);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Jobs', level: 1 })).toBeVisible();
  expect(wasm.has('/pkg/ats.wasm')).toBe(true);

  // In the full bundle, public pages are routes like any other: no new download.
  wasm.clear();
  await page.goBack();
  await expect(page).toHaveURL(/\/login/);
  await page.goForward();
  await expect(page).toHaveURL(/\/app\/jobs$/);
  await expect(page.getByRole('heading', { name: 'Jobs', level: 1 })).toBeVisible();
  expect([...wasm]).toEqual([]);

  // A link on a public page to a staff page (the careers bundle has no such route) loads it.
  await page.goto('/jobs');
  await hydrated(page);
  await page.evaluate(() => {
    const a = document.createElement('a');
    a.href = '/app/jobs/rust-backend/board';
    a.textContent = 'To the board';
    document.querySelector('main')?.append(a);
  });
  await page.getByRole('link', { name: 'To the board' }).click();
  await expect(page).toHaveURL(/\/app\/jobs\/rust-backend\/board$/);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Senior Backend Engineer (Rust)', level: 1 })).toBeVisible();
  await expect(page.locator('.board')).toBeVisible();
});
