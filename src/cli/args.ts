/** The CLI's argument grammar (README, "The CLI"). Parsing only: no I/O here. */
import { parseArgs } from "node:util";

export class UsageError extends Error {}

export interface CheckArgs {
  command: "check";
  /** The token, or "-" for stdin. */
  token: string;
  config?: string;
  /** Use no config even when the Convex app around the current directory has one. */
  noConfig: boolean;
  env: string[];
  envFile?: string;
  jwks?: string;
  /** A discovery document file or URL, or "skip". */
  discovery?: string;
  /** Fetch nothing. */
  offline: boolean;
  now?: number;
  prod: boolean;
  json: boolean;
  /** Print the shareable redacted Markdown report instead of the text report. */
  markdown: boolean;
  /** Follow a discovery jwks_uri (or redirect) to a loopback / private-network address the user did not name. */
  allowPrivateNetwork: boolean;
}

/** `analyze`: a HAR file or an export, diagnosed offline. */
export interface AnalyzeArgs {
  command: "analyze";
  file: string;
  config?: string;
  noConfig: boolean;
  env: string[];
  envFile?: string;
  jwks?: string;
  offline: boolean;
  prod: boolean;
  json: boolean;
  markdown: boolean;
  allowPrivateNetwork: boolean;
}

export type CliArgs = CheckArgs | AnalyzeArgs | { command: "help" } | { command: "version" };

export const USAGE = `usage: convex-auth-inspector check <token | -> [--config FILE | --no-config] [--env NAME=VALUE]...
                                   [--env-file FILE] [--jwks FILE|URL] [--discovery FILE|URL|skip]
                                   [--offline] [--now UNIX_SECONDS] [--prod] [--json | --markdown]
                                   [--allow-private-network]
       convex-auth-inspector analyze <file.har | export.json> [--config FILE | --no-config]
                                   [--env NAME=VALUE]... [--env-file FILE] [--jwks FILE|URL] [--offline]
                                   [--prod] [--json | --markdown] [--allow-private-network]

check predicts what the Convex backend will do with a user token, with the backend's own rules.
analyze diagnoses a HAR file (Chrome's "Save all as HAR", sanitized or not) or an inspector export: every
Convex connection, its timeline, and every finding; each token judged at the time it was sent. With no
config, analyze takes the providers from the deployment's own NoAuthProvider texts in the capture.
  --config FILE     convex/auth.config.ts, .js or .json (read, never run). Without it, the Convex app around
                    the current directory is used: its auth.config.ts (then .js) in convex.json's "functions"
                    folder (default convex/) at the nearest directory with a package.json
  --no-config       use no config, even when one is found
  --env NAME=VALUE  a value for process.env.NAME in the config (repeatable); the deployment's values are not
                    read from anywhere: \`npx convex env get NAME\` prints one
  --env-file FILE   NAME=VALUE lines (dotenv syntax)
  --jwks FILE|URL   use this JWKS instead of fetching the provider's (OIDC and customJwt)
  --discovery FILE|URL|skip
                    use this OIDC discovery document instead of fetching {iss}/.well-known/…;
                    skip: do not read one (its issuer check is then not made)
  --offline         fetch nothing; steps that need a fetched document are reported as not checked
  --now SECONDS     backend time (unix seconds); default: now
  --prod            predict the redacted production error texts
  --json            print one JSON object (README.md, "JSON contract")
  --markdown        print a short redacted Markdown report to paste into an issue (no signature, admin key
                    secret or cookie)
  --allow-private-network
                    follow a discovery jwks_uri (or a redirect) to a loopback or private-network address
                    that --config / --jwks / --discovery do not name (refused by default)
Exit status: 0 no error finding, 1 an error finding (the backend will reject), 2 bad usage or unreadable
input, 3 the verdict is unknown and no error is certain.`;

/** The one usage line for a bad command line: `analyze`'s when it was analyze, else `check`'s. */
export function usageLine(argv: readonly string[]): string {
  const command = argv[0] === "analyze" ? "analyze" : "check";
  const line = USAGE.split("\n").find((l) => l.includes(`convex-auth-inspector ${command} `)) ?? "";
  return `usage: ${line.replace(/^(usage:)?\s*/, "")}`;
}

export function parseCliArgs(argv: string[]): CliArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") return { command: "help" };
  if (command === "--version" || command === "version") return { command: "version" };
  if (command !== "check" && command !== "analyze") throw new UsageError(`unknown command "${command}" (expected "check" or "analyze")`);
  // `check --help` / `analyze --version` win over a missing token; after `--` they are positionals (a token).
  const options = rest.indexOf("--") < 0 ? rest : rest.slice(0, rest.indexOf("--"));
  if (options.includes("--help") || options.includes("-h")) return { command: "help" };
  if (options.includes("--version")) return { command: "version" };
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: "string" },
        "no-config": { type: "boolean", default: false },
        env: { type: "string", multiple: true },
        "env-file": { type: "string" },
        jwks: { type: "string" },
        discovery: { type: "string" },
        offline: { type: "boolean", default: false },
        now: { type: "string" },
        prod: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        markdown: { type: "boolean", default: false },
        "allow-private-network": { type: "boolean", default: false },
      },
    });
  } catch (e) {
    // Node's unknown-option text suggests `'-- "--x"` (mismatched quotes): say it plainly instead.
    const err = e as Error & { code?: string };
    const unknown = err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" ? /'(-[^']*)'/.exec(err.message)?.[1] : undefined;
    if (unknown !== undefined) throw new UsageError(`unknown option ${unknown} (a value starting with "-" goes after --, as in: ${command} -- ${unknown})`);
    // parseArgs's other messages are one line and name the option.
    throw new UsageError(err.message);
  }
  const { values, positionals } = parsed;
  if (values.json && values.markdown) throw new UsageError("--json and --markdown are exclusive: choose one output");
  if (values.config !== undefined && values["no-config"]) throw new UsageError("--config and --no-config are exclusive: name a config or use none");
  for (const pair of values.env ?? []) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(pair)) throw new UsageError(`--env must be NAME=VALUE, got "${pair}"`);
  }
  // The options both commands take, read once.
  const common = {
    config: values.config,
    noConfig: values["no-config"] ?? false,
    env: values.env ?? [],
    envFile: values["env-file"],
    jwks: values.jwks,
    offline: values.offline ?? false,
    prod: values.prod ?? false,
    json: values.json ?? false,
    markdown: values.markdown ?? false,
    allowPrivateNetwork: values["allow-private-network"] ?? false,
  };
  if (command === "analyze") {
    if (positionals.length !== 1) throw new UsageError(`analyze takes one file (a .har or an export), got ${positionals.length} arguments`);
    if (values.now !== undefined) throw new UsageError("--now is for check: analyze judges each token at the time it was sent");
    if (values.discovery !== undefined) throw new UsageError("--discovery is for check only");
    return { command: "analyze", file: positionals[0]!, ...common };
  }
  if (positionals.length === 0) throw new UsageError("check needs a token argument, or - to read it from stdin");
  if (positionals.length > 1) throw new UsageError(`check takes one token, got ${positionals.length} arguments`);
  let now: number | undefined;
  if (values.now !== undefined) {
    now = Number(values.now);
    if (!/^\d+(\.\d+)?$/.test(values.now.trim()) || !Number.isFinite(now)) {
      throw new UsageError(`--now must be unix seconds, got "${values.now}"`);
    }
  }
  return { command: "check", token: positionals[0]!, ...common, discovery: values.discovery, now };
}
