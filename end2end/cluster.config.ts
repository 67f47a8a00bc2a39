import { defineConfig } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import base from './playwright.config';

// Browser journeys through the two-node set-up: `scripts/cluster.sh --built` (a SurrealDB
// server, two app nodes of the debug build the browser tests use, nginx in front), on ports of
// its own and a fresh data directory. Run by the test command after the main journeys.
export const PROXY_PORT = Number(process.env.CLUSTER_PORT ?? 3300);
export const PROXY = `http://127.0.0.1:${PROXY_PORT}`;
/** The nodes, reached directly (cluster.sh puts them at the proxy's port + 101 and + 102). */
export const NODE_A = `http://127.0.0.1:${PROXY_PORT + 101}`;
export const NODE_B = `http://127.0.0.1:${PROXY_PORT + 102}`;
const ROOT = path.resolve(__dirname, '..');

export default defineConfig({
  ...base,
  testDir: './cluster',
  retries: 0,
  workers: 1,
  projects: [{ name: 'cluster', use: { javaScriptEnabled: true } }],
  use: { ...base.use, baseURL: PROXY },
  webServer: {
    command: `${ROOT}/scripts/cluster.sh --built`,
    cwd: ROOT,
    url: `${PROXY}/healthz`,
    reuseExistingServer: false,
    timeout: 300_000,
    stdout: 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
    env: {
      CLUSTER_PORT: String(PROXY_PORT),
      CLUSTER_DB_PORT: String(Number(process.env.CLUSTER_DB_PORT ?? 8300)),
      CLUSTER_DATA: fs.mkdtempSync(path.join(os.tmpdir(), 'ats-cluster-')),
      RUST_LOG: 'warn',
    },
  },
});
