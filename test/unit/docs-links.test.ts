/** The repository's documents point only inside it (or to public URLs), and every such link resolves (issue 10.2). */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { USAGE } from "../../src/cli/args";

const root = fileURLToPath(new URL("../../", import.meta.url));
const docs = [
  ...readdirSync(root).filter((f) => f.endsWith(".md")),
  ...readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
  "test/harness/README.md",
];
const read = (f: string) => readFileSync(join(root, f), "utf8");

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to dashes. */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replaceAll(" ", "-");

describe("documents", () => {
  it("include the license, the contributor guide, the architecture and the findings", () => {
    for (const f of ["LICENSE", "CONTRIBUTING.md", "docs/architecture.md", "docs/findings.md"]) expect(existsSync(join(root, f)), f).toBe(true);
    const pkg = JSON.parse(read("package.json")) as { license: string };
    expect(pkg.license).toBe("MIT");
    expect(read("LICENSE")).toMatch(/^MIT License\n\nCopyright \(c\) 2026 Convex Auth Inspector contributors\n/);
  });

  it.each(docs)("%s: every relative link resolves to a file in the repository (and a heading, with #)", (f) => {
    const text = read(f).replace(/```[\s\S]*?```/g, "");
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (/^(https?:|mailto:)/.test(target)) continue;
      const [path, hash] = target.split("#") as [string, string | undefined];
      const file = path === "" ? f : join(dirname(f), path);
      expect(existsSync(join(root, file)), `${f} → ${target}`).toBe(true);
      if (hash !== undefined && file.endsWith(".md")) {
        const headings = [...read(file).matchAll(/^#{1,6} (.+)$/gm)].map((h) => anchor(h[1]!.replaceAll("`", "")));
        expect(headings, `${f} → ${target}`).toContain(hash);
      }
    }
  });

  it.each([...docs, "the CLI's --help"])("%s names no file outside the repository", (f) => {
    const text = f.startsWith("the CLI") ? USAGE : read(f);
    expect(text).not.toMatch(/\.\.\/shared|\/work\/|\bDESIGN\.md\b|\bRULES\.md\b/);
  });
});
