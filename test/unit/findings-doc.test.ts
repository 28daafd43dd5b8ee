import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { findingsDoc } from "../../scripts/catalogue-md";
import { CATALOGUE } from "../../src/core/rules/catalogue";

const doc = readFileSync(new URL("../../docs/findings.md", import.meta.url), "utf8");

describe("docs/findings.md", () => {
  it("is the catalogue exactly as the registry has it (run `npx tsx scripts/catalogue-md.ts --write`)", () => {
    expect(doc).toBe(findingsDoc());
  });

  it("gives every ID its severity, when it fires, its fix and its docs link", () => {
    for (const [id, e] of Object.entries(CATALOGUE)) {
      const at = doc.indexOf(`### \`${id}\``);
      expect(at, id).toBeGreaterThan(0);
      const end = doc.indexOf("\n### ", at + 1);
      const block = doc.slice(at, end < 0 ? undefined : end);
      expect(block).toContain(`**${e.severity}**`);
      expect(block).toContain(`- **When:** ${e.when}`);
      expect(block).toContain(`- **Fix:** ${e.fix}`);
      if (e.docs) expect(block).toContain(`<${e.docs}>`);
    }
  });
});
