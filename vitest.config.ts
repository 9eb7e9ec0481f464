import { defineConfig } from 'vitest/config';

// Three projects: pure unit tests, database tests (run once per engine via CANBAO_TEST_DB),
// and browser tests driving Debian's Chromium.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/domain/**/*.test.ts', 'src/shared/**/*.test.ts', 'scripts/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'db',
          include: ['src/server/**/*.test.ts', 'src/cli/**/*.test.ts'],
          // Engine-specific test files are named *.sqlite.test.ts / *.postgres.test.ts and left out
          // of the other engine's run instead of being skipped (the test runner counts a skip as a failure).
          exclude: [process.env.CANBAO_TEST_DB === 'postgres' ? '**/*.sqlite.test.ts' : '**/*.postgres.test.ts', '**/node_modules/**'],
          environment: 'node',
          testTimeout: 30000,
          hookTimeout: 60000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120000,
          hookTimeout: 180000,
          fileParallelism: false,
          // A page's answer may take seconds on a loaded CI machine: polled assertions wait up to
          // 15 s (Vitest's default, 1 s, failed an auto-focus check under load).
          expect: { poll: { timeout: 15000 } },
        },
      },
    ],
  },
});
