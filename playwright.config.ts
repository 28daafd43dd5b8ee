import { defineConfig } from "@playwright/test";

// Browser suites with the built extension (run `node scripts/build.mjs` first). One worker: the machine has
// 2 cores and every test starts its own Chromium. No webServer: each test starts its own servers on port 0.
export default defineConfig({
  testDir: "test/e2e",
  testMatch: "**/*.spec.ts",
  workers: 1,
  fullyParallel: false,
  // In CI one retry keeps a rare timing hiccup from blocking a landing; `npm test` prints every flaky test by
  // name so none goes unnoticed. Locally a failure is a failure.
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: { trace: "off", screenshot: "off", video: "off" },
});
