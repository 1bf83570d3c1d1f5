import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

/**
 * Three projects: `worker` (and the Partnero contract suite) runs inside workerd with the
 * real bindings of the dev composition (wrangler.dev.toml); `widget` runs the Preact widget in happy-dom;
 * `e2e` drives Debian's Chromium against `wrangler dev`.
 */
const migrations = await readD1Migrations('worker/dev/local-partnero/migrations');

export default defineConfig({
  test: {
    // The worker writes one JSON log line per request: show console output only for failing tests.
    silent: 'passed-only',
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.dev.toml' },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: migrations,
                TOKEN_SECRET: 'test-token-secret-0123456789abcdef',
                TOKEN_SECRET_PREVIOUS: 'test-token-secret-previous-0123456789',
                // The contract suite runs against a real Partnero account when both are set.
                CONTRACT_PARTNERO_API_URL: process.env.PARTNERO_API_URL ?? '',
                CONTRACT_PARTNERO_API_KEY: process.env.PARTNERO_API_KEY ?? '',
              },
            },
          }),
        ],
        test: {
          name: 'worker',
          include: ['test/worker/**/*.test.ts', 'test/contract/**/*.test.ts', 'test/compat/**/*.test.ts'],
          setupFiles: ['test/worker/setup.ts'],
          // Property tests make hundreds of requests; a loaded CI machine must not turn that into a timeout.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'widget',
          environment: 'happy-dom',
          testTimeout: 30_000,
          include: ['test/widget/**/*.test.{ts,tsx}'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
