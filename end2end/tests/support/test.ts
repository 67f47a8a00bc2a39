// The `test` every spec uses: Playwright's, plus a watch on each page for uncaught errors and
// failed hydration. A page that fails to hydrate still shows its server-rendered HTML, so a
// spec would otherwise fail later and far from the cause (a form posting without JavaScript, a
// banner that never comes), or not at all.
import { type Browser, type BrowserContext, test as base, expect } from '@playwright/test';

export * from '@playwright/test';

function watch(context: BrowserContext, errors: string[], pending: Promise<void>[]) {
  // The app's own files (WASM, JS, CSS) must always load: a refusal is recorded with its
  // headers and body, so a rare one can be explained from the report alone.
  context.on('response', (r) => {
    if (r.status() >= 400 && new URL(r.url()).pathname.startsWith('/pkg/')) {
      pending.push(
        r.text().catch(() => '(no body)').then((body) => {
          errors.push(`${r.url()}: ${r.status()} ${JSON.stringify(r.headers())} ${body.slice(0, 300)}`);
        }),
      );
    }
  });
  context.on('weberror', (e) => errors.push(`${e.page()?.url() ?? ''}: ${e.error().message}`));
  context.on('console', (m) => {
    if (m.type() === 'error' && /hydration error|panicked at/i.test(m.text())) {
      errors.push(`${m.page()?.url() ?? ''}: ${m.text().split('\n')[0]}`);
    }
  });
}

export const test = base.extend<{ pageErrors: void }>({
  pageErrors: [
    async ({ context, browser }, use) => {
      const errors: string[] = [];
      const pending: Promise<void>[] = [];
      watch(context, errors, pending);
      // Contexts a spec opens itself (a candidate beside the recruiter) are watched too.
      const b = browser as Browser;
      const newContext = b.newContext.bind(b);
      b.newContext = async (...args: Parameters<Browser['newContext']>) => {
        const c = await newContext(...args);
        watch(c, errors, pending);
        return c;
      };
      try {
        await use();
      } finally {
        b.newContext = newContext;
      }
      await Promise.all(pending);
      expect(errors, 'errors in the browser (a page that fails to hydrate works as if JavaScript were off)').toEqual([]);
    },
    { auto: true },
  ],
});
