import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tools/**/*.test.ts", "packages/*/test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    // The drift check compiles the TypeSpec project, which takes a few seconds.
    testTimeout: 60_000,
    reporters: ["default", "./tools/checks/summary-reporter.ts"],
    benchmark: {
      include: ["packages/*/bench/**/*.bench.ts", "tools/**/*.bench.ts"],
    },
  },
});
