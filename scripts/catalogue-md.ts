// The finding catalogue as Markdown, from the one registry (src/core/rules/catalogue.ts): the README's table and
// docs/findings.md. `npx tsx scripts/catalogue-md.ts --write` refreshes both; test/unit/readme.test.ts and
// test/unit/findings-doc.test.ts keep them in step.
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

/** The catalogue is ordered token → config → hints → session; the ID prefixes mark the middle two. */
function section(id: string, previous: string | undefined): string {
  if (id.startsWith("config-")) return "Config findings";
  if (id.startsWith("hint-")) return "Provider hints";
  if (previous === "Provider hints" || previous === "Session findings") return "Session findings";
  return "Token and provider findings";
}

const INTRO: Record<string, string> = {
  "Token and provider findings": "From one token and the provider list (the CLI's `check`, the panel's verdict for each token).",
  "Config findings": "From a parsed `convex/auth.config.ts` (or `.js` / JSON), before any token is seen. The file is read, never run.",
  "Provider hints": "Attached to a failing token's finding when its issuer identifies a well-known provider.",
  "Session findings": "From the timeline of a page's Convex connections (the panel, and the CLI's `analyze` of a HAR file or an export).",
};

/** docs/findings.md: every finding ID with its severity, when it fires, the fix and the docs link. */
export function findingsDoc(): string {
  const out = [
    "# Findings",
    "",
    "<!-- Generated from src/core/rules/catalogue.ts by `npx tsx scripts/catalogue-md.ts --write`; do not edit by hand. -->",
    "",
    "Every finding the panel, the CLI (`check --json`, `analyze --json`) and exports report, by its stable ID.",
    "IDs never change; severities are the defaults (`iat-missing` is a warning for customJwt providers,",
    "`config-no-application-id` is info where the issuer is specific to one application). Findings are listed",
    "cause first: the specific reason a token failed comes before `token-rejected`, `http-auth-rejected` and",
    "`client-gave-up`.",
  ];
  let current: string | undefined;
  for (const [id, e] of Object.entries(CATALOGUE)) {
    const s = section(id, current);
    if (s !== current) out.push("", `## ${s}`, "", INTRO[s]!);
    current = s;
    out.push("", `### \`${id}\``, "", `**${e.severity}** — ${e.title}`, "", `- **When:** ${e.when}`, `- **Fix:** ${e.fix}`);
    if (e.docs !== undefined) out.push(`- **Docs:** <${e.docs}>`);
  }
  return out.join("\n") + "\n";
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = fileURLToPath(new URL("../README.md", import.meta.url));
  const readme = readFileSync(path, "utf8");
  if (process.argv.includes("--write")) {
    const a = readme.indexOf(START) + START.length;
    writeFileSync(path, readme.slice(0, a) + "\n" + catalogueMarkdown() + readme.slice(readme.indexOf(END)));
    writeFileSync(fileURLToPath(new URL("../docs/findings.md", import.meta.url)), findingsDoc());
  } else process.stdout.write(catalogueMarkdown());
}
