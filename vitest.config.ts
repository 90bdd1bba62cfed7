import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One loud line per missing optional dependency (Python oracle, sodium-native); TEST_WITHOUT_SODIUM=1 hides
    // sodium-native in every test process (test/helpers/optional-deps.ts).
    globalSetup: ['test/helpers/global-setup.ts'],
    setupFiles: ['test/helpers/setup.ts'],
    // The JSON report feeds the "N passed, N failed" line that .ci/run prints.
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
    coverage: {
      // On in CI (where .ci/run installs the oracle, so the interop suites count); `npm test -- --coverage` locally.
      enabled: process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false',
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'json-summary'],
      // docs/coverage.md: the numbers, how to run, what is left uncovered. Interop suites count (CI installs the oracle).
      thresholds: { lines: 95, branches: 95, functions: 95, statements: 95 },
    },
  },
});
