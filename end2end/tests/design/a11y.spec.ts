// Every page a person can reach (public, each staff role, the candidate portal), at laptop and
// phone widths, checked with axe-core: no serious or critical violation may remain. Each page is
// also saved as a screenshot in this test's output folder
// (end2end/test-results/design-a11y-…/<width>-<page>.png) so a reviewer can look at the screens
// without running the app.
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type Page, type TestInfo, expect, test } from '../support/test';
import { STAFF, applyAs, hydrated, signIn, unique } from '../support/app';
import { linkIn, waitForMails } from '../support/mail';

// Each visitor's pages in one test: a page is loaded and hydrated once, then audited per width.
test.describe.configure({ timeout: 300_000 });

/** A page by its path, or the page reached by following the first link matching `follow` on
 * it (a detail page), or a chain of such links. */
type Visit = { name: string; path: string; follow?: string | string[] };

const PUBLIC: Visit[] = [
  { name: 'home', path: '/' },
  { name: 'careers', path: '/jobs' },
  { name: 'job', path: '/jobs/product-designer' },
  { name: 'sign-in', path: '/login' },
  { name: 'password-reset', path: '/password/reset' },
  { name: 'talent-community', path: '/talent' },
  { name: 'privacy-notice', path: '/privacy' },
  { name: 'portal-sign-in', path: '/portal' },
];

const BY_ROLE: Record<string, Visit[]> = {
  [STAFF.recruiter]: [
    { name: 'recruiter-home', path: '/app' },
    { name: 'job-new', path: '/app/jobs/new' },
    { name: 'job-detail', path: '/app/jobs/product-designer' },
    { name: 'board', path: '/app/jobs/product-designer/board' },
    { name: 'interview-plan', path: '/app/jobs/rust-backend/plan' },
    {
      name: 'application-interviews',
      path: '/app/jobs/rust-backend/board',
      follow: ['li.board-card:has(.card-feedback) a.card-name', 'a[href^="/app/applications/"]'],
    },
    { name: 'approvals', path: '/app/approvals' },
    { name: 'reports', path: '/app/reports' },
    { name: 'account', path: '/app/account' },
  ],
  [STAFF.manager]: [
    { name: 'manager-home', path: '/app' },
    { name: 'manager-reports', path: '/app/reports?job=rust-backend' },
  ],
  [STAFF.panelist]: [
    { name: 'interviewer-home', path: '/app' },
    { name: 'interview', path: '/app/interviews', follow: 'a.interview-name' },
  ],
  [STAFF.sourcer]: [
    { name: 'sourcer-home', path: '/app' },
    { name: 'people', path: '/app/people' },
    { name: 'person', path: '/app/people', follow: '.people-table a[href^="/app/people/"]' },
    {
      name: 'person-emails',
      path: '/app/people',
      follow: ['.people-table a[href^="/app/people/"]', 'nav[aria-label="Profile"] a[href$="tab=emails"]'],
    },
    { name: 'search', path: '/app/search?q=rust' },
    { name: 'pools', path: '/app/pools' },
    { name: 'pool', path: '/app/pools', follow: 'a[href^="/app/pools/"]' },
    { name: 'segments', path: '/app/segments' },
    { name: 'segment', path: '/app/segments', follow: 'a[href^="/app/segments/"]' },
    { name: 'campaigns', path: '/app/campaigns' },
    { name: 'campaign', path: '/app/campaigns', follow: 'main a[href^="/app/campaigns/"]' },
    // A draft: the visual builder and its email preview.
    { name: 'campaign-builder', path: '/app/campaigns', follow: 'main tr:has(.status-draft) a[href^="/app/campaigns/"]' },
    { name: 'duplicates', path: '/app/duplicates' },
    { name: 'import', path: '/app/imports/new' },
    { name: 'refer', path: '/app/refer' },
  ],
  [STAFF.admin]: [
    { name: 'staff', path: '/admin/staff' },
    { name: 'rooms', path: '/admin/rooms' },
    { name: 'brand', path: '/admin/brand' },
    { name: 'outbox', path: '/admin/outbox' },
    { name: 'background-jobs', path: '/admin/jobs' },
    { name: 'audit-log', path: '/admin/audit?check=1' },
    { name: 'privacy-requests', path: '/admin/privacy' },
    { name: 'styleguide', path: '/app/styleguide' },
  ],
};

const WIDTHS = [
  { name: 'laptop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];

/** The serious and critical findings on the page shown now, one line each. */
async function audit(page: Page, label: string, info: TestInfo): Promise<string[]> {
  await hydrated(page);
  // A page's title is set with its data; while a part re-renders after hydration it can be
  // absent for a moment, so the audit waits for it (a page that never gets one fails here).
  await expect(page, `${label} has a title`).toHaveTitle(/\S/);
  await page.screenshot({ path: info.outputPath(`${label}.png`), fullPage: true });
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${label}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(', ')}`,
    );
}

async function visit(page: Page, v: Visit) {
  await page.goto(v.path);
  await expect(page.locator('main, #content').first()).toBeVisible();
  for (const hop of v.follow === undefined ? [] : [v.follow].flat()) {
    await hydrated(page);
    const link = page.locator(hop).first();
    await expect(link, `a link ${hop} to follow from ${page.url()} (demo data)`).toBeAttached();
    await page.goto((await link.getAttribute('href'))!);
    await expect(page.locator('main, #content').first()).toBeVisible();
  }
}

/** A candidate with an application, signed in to the portal from the emailed link. */
async function portalPage(browser: Browser) {
  const email = `${unique('axe')}@example.org`;
  await applyAs(browser, 'product-designer', `Avery ${unique('Axe')}`, email);
  const [mail] = await waitForMails(email, 1);
  const ctx = await browser.newContext({ viewport: { width: WIDTHS[0].width, height: WIDTHS[0].height } });
  const page = await ctx.newPage();
  await page.goto(linkIn(mail, '/portal/auth?token='));
  await page.getByRole('button', { name: 'Continue to my applications' }).click();
  await expect(page).toHaveURL(/\/portal$/);
  return { ctx, page };
}

/** The page shown now, audited at every width: one load and one hydration serve them all (the
 * layout follows the width through CSS alone). */
async function auditWidths(page: Page, name: string, info: TestInfo): Promise<string[]> {
  const findings: string[] = [];
  for (const w of WIDTHS) {
    await page.setViewportSize({ width: w.width, height: w.height });
    findings.push(...(await audit(page, `${w.name}-${name}`, info)));
  }
  return findings;
}

/** The pages of one visitor (signed in as `email`, or anonymous), at every width. */
async function auditVisits(browser: Browser, info: TestInfo, email: string | null, visits: Visit[]) {
  const ctx = await browser.newContext({ viewport: { width: WIDTHS[0].width, height: WIDTHS[0].height } });
  const page = await ctx.newPage();
  if (email) await signIn(page, email);
  const findings: string[] = [];
  for (const v of visits) {
    await visit(page, v);
    findings.push(...(await auditWidths(page, v.name, info)));
  }
  await ctx.close();
  return findings;
}

// One test per visitor, so the two workers share the pages.
test('no serious or critical accessibility violations on the public pages', async ({ browser }, info) => {
  expect(await auditVisits(browser, info, null, PUBLIC)).toEqual([]);
});

for (const [email, visits] of Object.entries(BY_ROLE)) {
  test(`no serious or critical accessibility violations on the pages of ${email}`, async ({ browser }, info) => {
    expect(await auditVisits(browser, info, email, visits)).toEqual([]);
  });
}

test('no serious or critical accessibility violations in the candidate portal', async ({ browser }, info) => {
  const portal = await portalPage(browser);
  const findings = await auditWidths(portal.page, 'portal', info);
  await portal.ctx.close();
  expect(findings).toEqual([]);
});

test('dark mode follows the system setting and stays readable', async ({ browser }, info) => {
  const ctx = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  const findings: string[] = [];
  await page.goto('/jobs');
  findings.push(...(await audit(page, 'dark-careers', info)));
  // The page really is dark: a dark background and light text.
  const [bg, fg] = await page.evaluate(() => {
    const s = getComputedStyle(document.documentElement);
    return [s.backgroundColor, s.color];
  });
  const lum = (rgb: string) => {
    const [r, g, b] = rgb.match(/\d+/g)!.map(Number);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  expect(lum(bg)).toBeLessThan(50);
  expect(lum(fg)).toBeGreaterThan(180);
  await signIn(page, STAFF.recruiter, '/app/jobs/product-designer/board');
  findings.push(...(await audit(page, 'dark-board', info)));
  await ctx.close();
  // Every component of the design system, in the dark theme.
  const admin = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1440, height: 900 } });
  const ap = await admin.newPage();
  await signIn(ap, STAFF.admin, '/app/styleguide');
  findings.push(...(await audit(ap, 'dark-styleguide', info)));
  await admin.close();
  expect(findings).toEqual([]);
});
