// Start the harness and print the demo URLs: `npx tsx test/harness/cli.ts [--port N] [--redact] [--host-names]`.
import { startHarness } from "./deployment.ts";
import { CHROMIUM_HOST_RULES, harnessTls } from "./host-names.ts";
import { SCENARIO_NOTES } from "./scenarios.ts";

function usage(reason: string): never {
  process.stderr.write(`${reason}\nusage: npx tsx test/harness/cli.ts [--port N] [--redact] [--host-names]\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
let port = 0;
let redact = false;
let hostNames = false;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--port") {
    const v = Number(args[++i]);
    if (!Number.isInteger(v) || v < 0 || v > 65535) usage(`--port needs a number from 0 to 65535, got ${JSON.stringify(args[i] ?? "")}`);
    port = v;
  } else if (a === "--redact") {
    redact = true;
  } else if (a === "--host-names") {
    hostNames = true;
  } else {
    usage(`unknown argument ${JSON.stringify(a)}`);
  }
}

const harness = await startHarness({ port, redact, hostNames }).catch((e: unknown) => usage(`could not start the harness: ${String(e)}`));
const mask = (key: string) => `${key.slice(0, key.indexOf("|") + 1)}${"*".repeat(8)}`;
console.log(`Convex-like deployment: ${harness.url}  (${redact ? "prod-style redacted" : "dev"} error texts)`);
console.log(`Admin key: ${mask(harness.adminKey)} (masked)`);
console.log("Providers (stored order):");
for (const p of harness.providers) console.log(`  ${JSON.stringify(p)}`);
console.log("Demo pages:");
for (const s of harness.scenarios) console.log(`  ${harness.demoUrl(s)}\n      ${SCENARIO_NOTES[s]}`);
if (hostNames) {
  // The certificate is made for this process only: a browser must pin this run's key.
  console.log("Browse with Chromium started with:");
  console.log(`  '--host-resolver-rules=${CHROMIUM_HOST_RULES}' --ignore-certificate-errors-spki-list=${harnessTls().spkiSha256}`);
}
console.log("Ctrl-C to stop.");

const stop = () => {
  void harness.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
