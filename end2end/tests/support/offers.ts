// Steps the offer journeys share: a fresh one-hire job (so filling it closes nothing others
// use), a candidate, and an offer the hiring manager approved.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { Board, STAFF, applyAs, signIn, unique } from './app';
import { applyWithoutJs, createDraftJob, waitHydrated } from './journeys';
import { openInterviews } from './interviews';

export interface OfferSetup {
  jobId: string;
  title: string;
  name: string;
  email: string;
}

/** A published one-hire job (Morgan approved its requisition) with one applicant. */
export async function jobWithApplicant(page: Page, browser: Browser): Promise<OfferSetup> {
  const title = unique('Offer Engineer ');
  await signIn(page, STAFF.recruiter);
  const jobId = await createDraftJob(page, title, 'Morgan Manager');
  await page.getByRole('button', { name: 'Request approval' }).click();
  await expect(page.locator('.approval .status')).toHaveText('Waiting for approval');
  await approveAs(browser, title);
  await page.reload();
  await waitHydrated(page);
  await page.getByRole('button', { name: 'Publish' }).click();
  await expect(page.locator('.page-head .status').first()).toHaveText('Open');
  const name = `Olive ${unique('Offer')}`;
  const email = `${unique('olive')}@example.org`;
  // Contexts made here take the project's JavaScript setting.
  if (test.info().project.name === 'nojs') await applyWithoutJs(browser, jobId, name, email);
  else await applyAs(browser, jobId, name, email);
  return { jobId, title, name, email };
}

/** Morgan Manager approves the item that mentions `text` in their approvals (with JavaScript). */
export async function approveAs(browser: Browser, text: string) {
  const ctx = await browser.newContext({ javaScriptEnabled: true });
  const mgr = await ctx.newPage();
  await signIn(mgr, STAFF.manager, '/app/approvals');
  await waitHydrated(mgr);
  const item = mgr.locator('article.approval-item', { hasText: text });
  await item.getByRole('button', { name: 'Approve' }).click();
  await expect(mgr.locator('article.approval-item', { hasText: text })).toHaveCount(0);
  await ctx.close();
}

/** As the signed-in recruiter, from the job's board: makes an offer (Morgan approves it). */
export async function makeOffer(page: Page, s: OfferSetup, salary = '85000') {
  await page.goto(`/app/jobs/${s.jobId}/board`);
  await waitHydrated(page);
  await openInterviews(page, s.name);
  const offer = page.locator('#offer');
  await expect(offer.getByText('No offer yet')).toBeVisible();
  // The card is not in the Offer stage: the form waits behind its button.
  await offer.locator('summary', { hasText: 'Make an offer' }).click();
  await offer.getByLabel('Base salary').fill(salary);
  await offer.getByLabel('Bonus').fill('10% of base');
  // The job's requisition approver is proposed.
  await expect(offer.getByRole('checkbox', { name: 'Morgan Manager' })).toBeChecked();
  await expect(offer.getByLabel('Offer letter')).toHaveValue(/Dear \{\{first_name\}\},/);
  await offer.getByRole('button', { name: 'Send for approval' }).click();
  await expect(offer.locator('.offer-current')).toContainText('Waiting for approval');
  await expect(offer.locator('.approval-steps li')).toHaveText(['Morgan Manager: deciding now']);
}

export { Board };
