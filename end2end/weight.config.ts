import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// The page-weight benchmark (`scripts/bench.sh weight`), not a test: it prints figures. Same
// servers as the browser tests; the site it serves is whatever `cargo leptos build` wrote last
// (bench.sh builds the release WASM first).
export default defineConfig({
  ...base,
  testDir: './bench',
  timeout: 900_000,
  retries: 0,
  workers: 1,
  reporter: [['line']],
  projects: [{ name: 'bench', use: { javaScriptEnabled: true } }],
});
