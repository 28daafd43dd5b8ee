import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { catalogueMarkdown, readmeCatalogue } from "../../scripts/catalogue-md";
import { CATALOGUE } from "../../src/core/rules/catalogue";
import { USAGE } from "../../src/cli/args";
import pkg from "../../package.json" with { type: "json" };

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

describe("README", () => {
  it("lists the finding catalogue exactly as the registry has it (run `npx tsx scripts/catalogue-md.ts --write`)", () => {
    expect(readmeCatalogue(readme)).toBe(catalogueMarkdown());
    for (const id of Object.keys(CATALOGUE)) expect(readme).toContain(`| \`${id}\` |`);
  });

  it("names the two commands and the CLI usage", () => {
    expect(readme).toContain("npm run demo");
    expect(readme).toContain("npm test");
    expect(readme).toContain("convex-auth-inspector check <token | -> [--config FILE | --no-config]");
  });

  it("shows the CLI's own synopsis (the usage lines of --help), whitespace aside", () => {
    const words = (text: string) => text.replace(/^usage:/, "").trim().split(/\s+/).join(" ");
    const synopsis = USAGE.slice(0, USAGE.indexOf("\n\n"));
    const block = /## The CLI\n\n```sh\n([^`]*)```/.exec(readme)?.[1] ?? "";
    expect(words(block)).toBe(words(synopsis));
  });

  it("never offers `npx convex-auth-inspector` from the registry, and names the tarball npm pack writes", () => {
    // The one mention is the warning that it is not on the registry; every npx line runs a tarball.
    const bare = [...readme.matchAll(/npx convex-auth-inspector/g)];
    expect(bare).toHaveLength(1);
    expect(readme.slice(bare[0]!.index! - 80, bare[0]!.index!)).toContain("not on the npm registry yet");
    const tarballs = [...readme.matchAll(/convex-auth-inspector-[\w.-]+\.tgz/g)].map((m) => m[0]);
    expect(tarballs.length).toBeGreaterThan(0);
    for (const t of tarballs) expect(t).toBe(`${pkg.name}-${pkg.version}.tgz`);
  });
});
