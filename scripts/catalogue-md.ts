// The finding catalogue as a Markdown table, from the one registry (src/core/rules/catalogue.ts).
// `npx tsx scripts/catalogue-md.ts --write` refreshes README.md; test/unit/readme.test.ts keeps them in step.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CATALOGUE } from "../src/core/rules/catalogue";

const START = "<!-- catalogue:start -->";
const END = "<!-- catalogue:end -->";

export function catalogueMarkdown(): string {
  const esc = (s: string) => s.replaceAll("|", "\\|");
  const rows = Object.entries(CATALOGUE).map(([id, e]) => `| \`${id}\` | ${e.severity} | ${esc(e.title)} | ${esc(e.fix)} |`);
  return ["| id | severity | what | fix |", "|---|---|---|---|", ...rows].join("\n") + "\n";
}

/** The README's text between the catalogue markers. */
export function readmeCatalogue(readme: string): string {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error("README.md has no catalogue markers");
  return readme.slice(a + START.length, b).replace(/^\n/, "");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = fileURLToPath(new URL("../README.md", import.meta.url));
  const readme = readFileSync(path, "utf8");
  if (process.argv.includes("--write")) {
    const a = readme.indexOf(START) + START.length;
    writeFileSync(path, readme.slice(0, a) + "\n" + catalogueMarkdown() + readme.slice(readme.indexOf(END)));
  } else process.stdout.write(catalogueMarkdown());
}
