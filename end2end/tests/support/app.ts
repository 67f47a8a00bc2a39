// Page objects and helpers shared by the journeys.
import { expect, test, type Page, type BrowserContext } from '@playwright/test';
import path from 'node:path';

export const PASSWORD = 'demo-password';
export const STAFF = {
  admin: 'admin@acme.test',
  recruiter: 'recruiter@acme.test',
  manager: 'manager@acme.test',
  sourcer: 'sourcer@acme.test',
  interviewer: 'interviewer@acme.test',
  /** A second interviewer; no journey changes this account's password (the reset journey uses `interviewer`). */
  panelist: 'panel@acme.test',
};
export const FIXTURES = path.resolve(__dirname, '../../fixtures');

/** A value unique to this test run, for names and emails. */
export function unique(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

/** Waits until the page is hydrated (the JS project); a no-op without JavaScript. */
export async function hydrated(page: Page) {
  if (test.info().project.name === 'nojs') return;
  await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
}

export class LoginPage {
  constructor(private page: Page) {}
  async goto(next?: string) {
    await this.page.goto(next ? `/login?next=${encodeURIComponent(next)}` : '/login');
    await hydrated(this.page);
  }
  async signIn(email: string, password = PASSWORD) {
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
  }
}

export async function signIn(page: Page, email: string, next = '/app') {
  const login = new LoginPage(page);
  await login.goto(next);
  await login.signIn(email);
  await expect(page).toHaveURL(new RegExp(next.replace(/[?]/g, '\\?') + '$'));
}

export class JobForm {
  constructor(private page: Page) {}
  async fill(job: { title: string; department?: string; location?: string; remote?: boolean; type?: string; description: string }) {
    await this.page.getByLabel('Job title').fill(job.title);
    await this.page.getByLabel('Department').fill(job.department ?? '');
    await this.page.getByLabel('Location').fill(job.location ?? '');
    if (job.remote) await this.page.getByLabel(/^Remote/).check();
    if (job.type) await this.page.getByLabel('Employment type').selectOption({ label: job.type });
    await this.page.getByLabel('Description').fill(job.description);
  }
}

export class ApplyForm {
  constructor(private page: Page) {}
  async fill(a: { name?: string; email?: string; phone?: string; resume?: string }) {
    if (a.name !== undefined) await this.page.getByLabel('Full name').fill(a.name);
    if (a.email !== undefined) await this.page.getByLabel('Email').fill(a.email);
    if (a.phone !== undefined) await this.page.getByLabel('Phone').fill(a.phone);
    if (a.resume) await this.page.getByLabel('Resume').setInputFiles(path.join(FIXTURES, a.resume));
  }
  async submit() {
    await this.page.getByRole('button', { name: 'Submit application' }).click();
  }
  /** The error shown under a field, by the field's form name. */
  fieldError(name: string) {
    return this.page.locator(`#f-${name}-error`);
  }
}

export class Board {
  constructor(public page: Page) {}
  column(name: string) {
    return this.page.locator('section.column', { has: this.page.getByRole('heading', { name, exact: true }) });
  }
  card(name: string) {
    return this.page.locator('li.board-card', { hasText: name });
  }
  /** Moves a card with its "Move to…" form (the way without dragging; works without JS: the
   * link opens the board with that card's form). */
  async moveWithMenu(name: string, stage: string) {
    const card = this.card(name);
    const choice = card.getByLabel(`Move ${name} to`);
    if (!(await choice.isVisible())) {
      await card.getByRole('link', { name: `Move to… for ${name}` }).click();
      await expect(choice).toBeFocused();
    }
    await choice.selectOption({ label: stage });
    // With JavaScript the card moves in place (as a drag moves it): wait until the server has
    // stored the move, so that the next step sees the board as the server does.
    const stored = test.info().project.name === 'nojs'
      ? null
      : this.page.waitForResponse((r) => r.url().includes('/move_card') && r.request().method() === 'POST');
    await card.getByRole('button', { name: 'Move', exact: true }).click();
    if (stored) expect((await stored).ok()).toBe(true);
  }
  /** Ticks a card and tags it with the bulk actions' form (the tag is returned). */
  async tagSelected(name: string, prefix: string) {
    await this.card(name).getByRole('checkbox', { name: `Select ${name}` }).check();
    await this.page.getByText('Bulk actions: tick cards, then choose what to do').click();
    await this.page.getByLabel('With the selected candidates').selectOption('tag');
    const tag = unique(prefix);
    await this.page.locator('#bulk-tag').fill(tag);
    await this.page.getByRole('button', { name: 'Apply to selected' }).click();
    return tag;
  }
  count(column: string) {
    return this.column(column).locator('.count');
  }
  /** A real mouse drag: press on the card, move in steps into the column, release. */
  async drag(cardName: string, toColumn: string) {
    const card = this.card(cardName).locator('.card-meta');
    await card.scrollIntoViewIfNeeded();
    const from = await card.boundingBox();
    const to = await this.column(toColumn).boundingBox();
    if (!from || !to) throw new Error('card or column not visible');
    const y = from.y + from.height / 2;
    await this.page.mouse.move(from.x + from.width / 2, y);
    await this.page.mouse.down();
    await this.page.mouse.move(from.x + from.width / 2 + 10, y + 5, { steps: 3 });
    await this.page.mouse.move(to.x + to.width / 2, y, { steps: 12 });
    await this.page.mouse.up();
  }
}

export async function newContext(browser: import('@playwright/test').Browser, javaScriptEnabled = true): Promise<BrowserContext> {
  return browser.newContext({ javaScriptEnabled });
}

/** Applies to a job in a fresh browser context, as a candidate would. */
export async function applyAs(
  browser: import('@playwright/test').Browser,
  jobId: string,
  name: string,
  email: string,
) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`/jobs/${jobId}`);
  await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
  const form = new ApplyForm(page);
  await form.fill({ name, email, resume: 'resume.pdf' });
  await form.submit();
  await expect(page).toHaveURL(/\/applied$/);
  await ctx.close();
}
