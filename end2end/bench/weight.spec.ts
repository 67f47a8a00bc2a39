// Page weight: the JS + WASM a browser downloads before a page is interactive (hydrated, or for
// public pages, which are not hydrated, their script has run), brotli quality 11
// (what the server sends: it serves cargo-leptos's precompressed files), per page; and the time
// from navigation to hydrated with the CPU slowed 4× (Chrome's "mid-tier phone" setting).
// Run by `scripts/bench.sh weight`, which builds the release WASM first. Prints a table.
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { STAFF, applyAs, signIn, unique } from '../tests/support/app';
import { linkIn, waitForMails } from '../tests/support/mail';

const TARGET = process.env.CARGO_TARGET_DIR ?? path.resolve(__dirname, '../../target');
const SITE = path.join(TARGET, 'site');
const RUNS = Number(process.env.WEIGHT_RUNS ?? 5);

const brotli = new Map<string, { raw: number; br: number }>();
function sizes(file: string) {
  let s = brotli.get(file);
  if (!s) {
    const bytes = fs.readFileSync(path.join(SITE, file));
    const br = zlib.brotliCompressSync(bytes, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }).length;
    s = { raw: bytes.length, br };
    brotli.set(file, s);
  }
  return s;
}

const kb = (n: number) => (n / 1024).toFixed(0);

test('page weight and time to interactive', async ({ browser }) => {
  // Sessions: a recruiter (board, home) and a candidate (portal, signed in from the email).
  const staff = await browser.newContext();
  await signIn(await staff.newPage(), STAFF.recruiter, '/app');
  const staffState = await staff.storageState();
  await staff.close();

  const email = `${unique('weight')}@example.org`;
  await applyAs(browser, 'product-designer', 'Wendy Weight', email);
  const [mail] = await waitForMails(email);
  const candidate = await browser.newContext();
  const cp = await candidate.newPage();
  await cp.goto(linkIn(mail, '/portal/auth?token='));
  await cp.getByRole('button', { name: 'Continue to my applications' }).click();
  await expect(cp).toHaveURL(/\/portal$/);
  const candidateState = await candidate.storageState();
  await candidate.close();

  const pages: { name: string; url: string; state?: typeof staffState; target?: number }[] = [
    { name: 'home', url: '/' },
    { name: 'careers list', url: '/jobs' },
    { name: 'job page + apply', url: '/jobs/rust-backend', target: 150 },
    { name: 'talent sign-up', url: '/talent' },
    { name: 'portal (signed in)', url: '/portal', state: candidateState, target: 150 },
    { name: 'staff sign-in', url: '/login' },
    { name: 'staff home', url: '/app', state: staffState },
    { name: 'board', url: '/app/jobs/rust-backend/board', state: staffState, target: 350 },
    { name: 'person', url: '/app/people/demo000', state: staffState },
  ];

  const rows: string[] = [];
  for (const p of pages) {
    const times: number[] = [];
    const html: number[] = [];
    let files: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      // A fresh context each run: an empty cache, as on a first visit.
      const ctx = await browser.newContext({ storageState: p.state });
      await ctx.addInitScript(() => {
        new MutationObserver((_, o) => {
          if (document.body?.hasAttribute('data-hydrated')) {
            (window as unknown as { __hydratedAt: number }).__hydratedAt = performance.now();
            o.disconnect();
          }
        }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
      });
      const page = await ctx.newPage();
      const seen = new Set<string>();
      page.on('request', (r) => {
        const u = new URL(r.url());
        // The staff bundle (/pkg/…) and the public pages' script (/enhance.js), as site paths.
        if (/\.(js|wasm)$/.test(u.pathname)) seen.add(u.pathname.slice(1));
      });
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      await page.goto(p.url);
      await page.locator('body[data-hydrated]').waitFor({ state: 'attached', timeout: 120_000 });
      // What was requested by the time the page was interactive.
      if (run === 0) files = [...seen].sort();
      times.push(await page.evaluate(() => (window as unknown as { __hydratedAt: number }).__hydratedAt));
      // When the page's HTML had arrived: the server's share of the time (the tests' debug
      // server), the rest is the browser's (download, compile, hydrate).
      html.push(
        await page.evaluate(
          () => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).responseEnd,
        ),
      );
      await ctx.close();
    }
    const raw = files.reduce((a, f) => a + sizes(f).raw, 0);
    const br = files.reduce((a, f) => a + sizes(f).br, 0);
    times.sort((a, b) => a - b);
    html.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    const htmlMedian = html[Math.floor(html.length / 2)];
    const target = p.target ? `≤ ${p.target}` : '';
    const verdict = p.target ? (br / 1024 <= p.target ? 'met' : `missed by ${kb(br - p.target * 1024)} KB`) : '';
    rows.push(
      `| ${p.name} | ${files.length} | ${kb(raw)} | ${kb(br)} | ${target} ${verdict} | ${htmlMedian.toFixed(0)} | ${median.toFixed(0)} | ${times[times.length - 1].toFixed(0)} |`,
    );
  }
  // What the server sends is the precompressed file (quality 11, as counted above), not an
  // answer it compresses on the fly (at quality 4).
  // Both bundles: the staff pages' (/pkg/) and the board's (/pkg/board/).
  const request = (await browser.newContext()).request;
  const sent: string[] = [];
  for (const dir of ['pkg', 'pkg/board']) {
    const served = await request.get(`/${dir}/ats.wasm`, { headers: { 'Accept-Encoding': 'br' } });
    expect(served.headers()['content-encoding']).toBe('br');
    const length = Number(served.headers()['content-length']);
    expect(length).toBe(fs.statSync(path.join(SITE, dir, 'ats.wasm.br')).size);
    sent.push(`/${dir}/ats.wasm as the server sends it: ${kb(length)} KB (brotli, precompressed).`);
  }
  const all = [
    ...['pkg', 'pkg/board'].flatMap((dir) =>
      fs
        .readdirSync(path.join(SITE, dir))
        .filter((f) => /^ats\.(js|wasm)$/.test(f))
        .map((f) => `${dir}/${f}`),
    ),
    ...fs.readdirSync(SITE).filter((f) => f.endsWith('.js')),
  ];
  const total = all.reduce((a, f) => a + sizes(f).br, 0);
  const largest = all
    .map((f) => ({ f, ...sizes(f) }))
    .sort((a, b) => b.br - a.br)
    .slice(0, 8)
    .map((x) => `  ${x.f}: ${kb(x.raw)} KB raw, ${kb(x.br)} KB brotli`);
  console.log(
    [
      '',
      `Page weight (release WASM in ${SITE}/pkg; CPU slowed 4×; ${RUNS} cold loads per page)`,
      '| page | files | JS+WASM raw KB | brotli KB | target KB | HTML in, ms (median) | hydrated ms (median) | max |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
      ...sent,
      `All JS + WASM of the site: ${all.length} files, ${kb(total)} KB brotli. Largest:`,
      ...largest,
      '',
    ].join('\n'),
  );
});
