// Public pages (careers site, portal) are HTML with one small script, /enhance.js, and no
// WebAssembly; staff pages (/app, /admin) and staff sign-in hydrate with the staff bundle `ats`, a
// job's board with its own (/pkg/board/; app/src/bundles.rs). A visitor moving between them by a link, a sign-in's redirect or the back
// button gets a working page.
import { expect, test } from '../support/test';
import { ApplyForm, LoginPage, STAFF, hydrated, signIn } from '../support/app';
import type { Page } from '@playwright/test';

/** The scripts and WASM files the page's context has fetched so far. */
function codeFetched(page: Page): Set<string> {
  const seen = new Set<string>();
  page.context().on('request', (r) => {
    const p = new URL(r.url()).pathname;
    if (/\.(js|wasm)$/.test(p)) seen.add(p);
  });
  return seen;
}

test('public pages load only their small script, staff pages the staff bundle, and links between them work', async ({ page }) => {
  const code = codeFetched(page);

  // The careers site: no WebAssembly, and its answer says none may run.
  const jobs = await page.goto('/jobs');
  expect(jobs?.headers()['content-security-policy']).not.toContain('wasm-unsafe-eval');
  await hydrated(page);
  expect([...code]).toEqual(['/enhance.js']);
  await page.getByRole('link', { name: 'Senior Backend Engineer (Rust)' }).click();
  await expect(page).toHaveURL(/\/jobs\/rust-backend$/);
  await expect(page.getByRole('heading', { name: 'Senior Backend Engineer (Rust)', level: 1 })).toBeVisible();
  await hydrated(page);

  // The apply form posts as a plain form; what was typed comes back with the errors (the file,
  // which no browser can put back, is chosen again).
  const form = new ApplyForm(page);
  await form.fill({ name: '', email: 'not-an-email', phone: '+44 20 7946 0000', resume: 'resume.pdf' });
  await form.submit();
  await expect(form.fieldError('name')).toHaveText('Enter your name.');
  await expect(form.fieldError('email')).toHaveText('Enter a valid email address, like name@example.com.');
  await expect(page.getByLabel('Email')).toHaveValue('not-an-email');
  await expect(page.getByLabel('Phone')).toHaveValue('+44 20 7946 0000');
  // The browser is taken to the first field in error.
  await expect(page.getByLabel('Full name')).toBeFocused();
  expect([...code]).toEqual(['/enhance.js']);

  // A form sends once: a second submit while the first is on its way does nothing.
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST') posts.push(new URL(r.url()).pathname);
  });
  const guard = await page.evaluate(() => {
    const f = document.querySelector<HTMLFormElement>('form[enctype="multipart/form-data"]')!;
    f.requestSubmit(f.querySelector<HTMLButtonElement>('button[type=submit]'));
    // The same form submitted again before the answer: refused.
    const again = f.dispatchEvent(new SubmitEvent('submit', { bubbles: true, cancelable: true }));
    return { busy: f.getAttribute('aria-busy'), label: f.querySelector('button[type=submit]')!.textContent, again };
  });
  expect(guard).toEqual({ busy: 'true', label: 'Sending…', again: false });
  await expect(form.fieldError('resume')).toHaveText('Attach your resume as a PDF or Word (DOCX) file.');
  expect(posts).toHaveLength(1);

  // A page that does not exist is a 404.
  const missing = await page.goto('/no-such-page');
  expect(missing?.status()).toBe(404);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();

  // From the careers site to the portal: still no WebAssembly. Staff sign-in loads the staff
  // bundle (its next page is a staff page), and moves to that page in place.
  await page.goto('/');
  await page.getByRole('link', { name: 'Follow my application' }).click();
  await expect(page).toHaveURL(/\/portal(\/signin)?$/);
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect([...code].filter((p) => p.endsWith('.wasm'))).toEqual([]);
  const login = new LoginPage(page);
  await login.goto('/app/jobs');
  expect(code.has('/pkg/ats.wasm')).toBe(true);
  code.clear();
  await login.signIn(STAFF.recruiter);
  await expect(page).toHaveURL(/\/app\/jobs$/);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Jobs', level: 1 })).toBeVisible();
  expect([...code]).toEqual([]);

  // A link on a staff page to a public page loads that page, as HTML.
  await hydrated(page);
  await page.evaluate(() => {
    const a = document.createElement('a');
    a.href = '/jobs/rust-backend';
    a.textContent = 'On the careers site';
    document.querySelector('main')?.append(a);
  });
  await page.getByRole('link', { name: 'On the careers site' }).click();
  await expect(page).toHaveURL(/\/jobs\/rust-backend$/);
  await expect(page.getByRole('heading', { name: 'Apply for Senior Backend Engineer (Rust)' })).toBeVisible();
  await hydrated(page);
  await expect(page.locator('script[src="/enhance.js"]')).toHaveCount(1);
  await expect(page.locator('link[href$=".wasm"], link[href$=".js"], script[src^="/pkg/"]')).toHaveCount(0);
});

test('a board loads only its own bundle, works, and its links load other staff pages with the staff bundle', async ({ page }) => {
  await signIn(page, STAFF.recruiter, '/app/jobs');
  const code = codeFetched(page);

  // Opened by its address (a bookmark, a reload): the board's bundle, not the staff pages'.
  await page.goto('/app/jobs/rust-backend/board');
  await hydrated(page);
  expect([...code].filter((p) => p.startsWith('/pkg/')).sort()).toEqual(['/pkg/board/ats.js', '/pkg/board/ats.wasm']);

  // It is interactive: a card's name opens the quick view in place.
  const card = page.locator('section.column li.board-card').first();
  const name = (await card.locator('a.card-name').textContent())!.trim();
  await card.locator('a.card-name').click();
  const drawer = page.getByRole('dialog', { name });
  await expect(drawer).toBeVisible();
  await expect(page).toHaveURL(/\/app\/jobs\/rust-backend\/board$/);

  // A page the board's bundle does not hold loads in full, with the staff bundle, and works.
  await drawer.getByRole('link', { name: 'Open full profile' }).click();
  await expect(page).toHaveURL(/\/app\/people\/[^/]+$/);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await hydrated(page);
  expect(code.has('/pkg/ats.wasm')).toBe(true);

  // From a staff page, a link to a board opens it in place, with the staff bundle: nothing new
  // is fetched.
  code.clear();
  await page.goto('/app/jobs/rust-backend');
  await hydrated(page);
  code.clear();
  await page.getByRole('link', { name: 'Open pipeline', exact: true }).click();
  await expect(page).toHaveURL(/\/app\/jobs\/rust-backend\/board$/);
  await expect(page.locator('section.column li.board-card').first()).toBeVisible();
  expect([...code].filter((p) => p.startsWith('/pkg/'))).toEqual([]);
});
