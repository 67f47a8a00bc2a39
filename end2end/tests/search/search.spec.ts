import { type Page, expect, test } from '../support/test';
import { ApplyForm, STAFF, hydrated, signIn, unique } from '../support/app';

test('search finds a person by a skill that appears only in their resume', async ({ page, browser }) => {
  // A candidate applies with a resume that mentions "Xylography" (nowhere else in the data).
  const ctx = await browser.newContext();
  const cand = await ctx.newPage();
  await cand.goto('/jobs/product-designer');
  await hydrated(cand);
  const name = `Quinn ${unique('Archer')}`;
  const form = new ApplyForm(cand);
  await form.fill({ name, email: `${unique('quinn')}@example.org`, resume: 'search-resume.pdf' });
  await form.submit();
  await expect(cand).toHaveURL(/\/applied$/);
  await ctx.close();

  await signIn(page, STAFF.sourcer, '/app/people');
  await hydrated(page);
  // Search as you type in the header.
  await page.getByLabel('Search people').pressSequentially('xylogr', { delay: 40 });
  await page.getByLabel('Search people').pressSequentially('aphy', { delay: 40 });
  const results = page.locator('#header-results');
  await expect(results.getByRole('link', { name: new RegExp(name) })).toBeVisible();
  await expect(results.locator('mark').first()).toHaveText('Xylography');
  // Enter opens the full search with filters and highlighted snippets.
  await page.getByLabel('Search people').press('Enter');
  await expect(page).toHaveURL(/\/app\/search\?q=xylography/);
  await expect(page.locator('.result-count')).toHaveText('1 person');
  const hit = page.locator('.search-hit', { hasText: name });
  await expect(hit.locator('mark')).toHaveText(['Xylography']);
  // The snippet says which field matched.
  await expect(hit.locator('.snippet-field')).toContainText('Resume');
  // Operators: exclusion removes the match.
  await searchFor(page, 'xylography NOT bookbinding');
  await expect(page.getByText('No one matches.')).toBeVisible();
  // A phrase needs its words side by side, in order.
  await searchFor(page, '"bookbinding xylography"');
  await expect(page.getByText('No one matches.')).toBeVisible();
  await searchFor(page, '"xylography bookbinding"');
  await expect(page.locator('.search-hit', { hasText: name })).toBeVisible();
  await page.getByLabel('Job').selectOption({ label: 'Product Designer' });
  await searchFor(page, 'xylography', 'job');
  await hit.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.locator('.proposal')).toContainText('Name: Quinn Archer');
  await expect(page.locator('iframe.resume-viewer')).toBeVisible();
});

/** Runs a search from the form and waits until its results (not the previous ones) are shown. */
async function searchFor(page: Page, words: string, filter?: string) {
  await page.getByLabel('Words').fill(words);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect
    .poll(() => {
      const params = new URL(page.url()).searchParams;
      return params.get('q') === words && (!filter || !!params.get(filter));
    })
    .toBe(true);
  await expect(page.locator('.search-region')).toHaveAttribute('aria-busy', 'false');
}

test('facets beside the results count each tag and source, and narrow the results in a click', async ({ page }) => {
  await signIn(page, STAFF.sourcer, '/app/search?q=rust');
  await hydrated(page);
  const total = Number((await page.locator('.result-count').textContent())!.split(' ')[0]);
  const tags = page.getByRole('region', { name: 'Tags of the people found' });
  await expect(page.getByRole('region', { name: 'Source of the people found' }).locator('.facet-value').first()).toBeVisible();
  const first = tags.locator('.facet-value').first();
  const tag = (await first.locator('.facet-label').textContent())!;
  const count = Number(await first.locator('.count').textContent());
  expect(count).toBeGreaterThan(0);
  expect(count).toBeLessThanOrEqual(total);
  // A click narrows the results to that tag, with the words kept. Other tests add people while
  // this one runs, so the counts are compared as one page shows them: the chosen value's count
  // is the number of results.
  await first.click();
  await expect(page).toHaveURL(new RegExp(`q=rust.*tag=${encodeURIComponent(tag)}`));
  const chosen = tags.locator('.facet-value[aria-current="true"]');
  await expect(chosen.locator('.facet-label')).toHaveText(tag);
  await expect(page.getByLabel('Tag', { exact: true })).toHaveValue(tag);
  await expect
    .poll(async () => {
      const shown = await page.locator('.result-count').textContent();
      const chosenCount = Number(await chosen.locator('.count').textContent());
      return chosenCount > 0 && shown === `${chosenCount} ${chosenCount === 1 ? 'person' : 'people'}`;
    })
    .toBe(true);
  // The chosen value, clicked again, drops the filter: at least as many as before are shown.
  await chosen.click();
  await expect(page).not.toHaveURL(/tag=/);
  await expect(tags.locator('.facet-value[aria-current="true"]')).toHaveCount(0);
  await expect
    .poll(async () => Number((await page.locator('.result-count').textContent())!.split(' ')[0]))
    .toBeGreaterThanOrEqual(count);
});
