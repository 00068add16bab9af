import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tools/**/*.test.ts", "packages/*/test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    // The drift check compiles the TypeSpec project, which takes a few seconds.
    testTimeout: 60_000,
    // Server suites open a database (PGlite loads a WebAssembly PostgreSQL) in beforeAll.
    hookTimeout: 60_000,
    // A throwaway PostgreSQL cluster, so server suites also run on a real PostgreSQL, a
    // migrated PGlite snapshot each suite loads instead of creating a cluster, and
    // Debian's Chromium for the docs browser tests (installed when missing).
    globalSetup: ["packages/server/test/setup/postgres-cluster.ts", "packages/server/test/setup/pglite-snapshot.ts", "packages/docs/test/setup/chromium.ts"],
    reporters: ["default", "./tools/checks/summary-reporter.ts"],
    benchmark: {
      include: ["packages/*/bench/**/*.bench.ts", "tools/**/*.bench.ts"],
    },
  },
});
