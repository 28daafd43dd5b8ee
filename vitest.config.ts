import { defineConfig } from "vitest/config";

// Unit tests only: the browser suites (test/e2e, test/firefox) run through Playwright / puppeteer.
export default defineConfig({
  test: {
    include: ["test/unit/**/*.test.ts", "test/harness/**/*.test.ts", "test/fuzz/**/*.test.ts"],
    environment: "node",
    testTimeout: 15000,
  },
});
