import { defineConfig } from "vitest/config";

// Firefox ESR suite (puppeteer-core over WebDriver BiDi, the built dist/firefox). Run after the build:
//   npx vitest run --config test/firefox/vitest.config.ts
export default defineConfig({
  test: {
    include: ["test/firefox/**/*.test.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
