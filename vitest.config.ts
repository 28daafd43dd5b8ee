import { defineConfig } from "vitest/config";

// Unit tests only: the browser suites (test/e2e, test/firefox) run through Playwright / puppeteer.
export default defineConfig({
  test: {
    include: ["test/unit/**/*.test.ts", "test/harness/**/*.test.ts", "test/fuzz/**/*.test.ts"],
    environment: "node",
    // The CLI bundle the CLI tests run, built once for all workers (test/unit/cli/build-once.ts).
    globalSetup: ["test/unit/cli/build-once.ts"],
    testTimeout: 15000,
    // Harness set-up makes RSA keys (random prime search): ~5 s for one startHarness at load 17, where vitest's
    // 10 s default failed three harness files' beforeAll. A hang still fails here.
    hookTimeout: 30000,
    // Two workers even on 2 cores (vitest's default there is one): the slow files mostly wait on Chromium,
    // npm or a socket, so overlapping them took the suite from 279 s to 180 s on this machine kind.
    maxWorkers: 2,
  },
});
