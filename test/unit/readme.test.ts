import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { catalogueMarkdown, readmeCatalogue } from "../../scripts/catalogue-md";
import { CATALOGUE } from "../../src/core/rules/catalogue";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

describe("README", () => {
  it("lists the finding catalogue exactly as the registry has it (run `npx tsx scripts/catalogue-md.ts --write`)", () => {
    expect(readmeCatalogue(readme)).toBe(catalogueMarkdown());
    for (const id of Object.keys(CATALOGUE)) expect(readme).toContain(`| \`${id}\` |`);
  });

  it("names the two commands and the CLI usage", () => {
    expect(readme).toContain("npm run demo");
    expect(readme).toContain("npm test");
    expect(readme).toContain("convex-auth-inspector check <token | -> [--config FILE]");
  });
});
