/**
 * The provider config: `--config FILE`, or else the Convex app's own `auth.config.ts` found around the current
 * directory (find-config.ts), or none (`--no-config`); with `--env` / `--env-file` for its `process.env` names.
 * An unreadable config is a one-line InputError, whichever way it was chosen.
 */
import type { CheckArgs } from "./args";
import { InputError, readTextFile } from "./input";
import { findAuthConfig, type FoundConfig } from "./find-config";
import { parseAuthConfig } from "../core/config/parse";
import { parseEnvText } from "../core/config/env";
import type { Provider } from "../core/config/types";
import type { Finding } from "../core/rules/types";

/** Where the config came from: named with --config, or found in the Convex app. */
export type ConfigOrigin = { source: "given"; path: string } | ({ source: "found" } & FoundConfig);

export interface LoadedConfig {
  providers: Provider[];
  findings: Finding[];
  origin: ConfigOrigin;
  /** `process.env` names the config reads that no --env / --env-file gave: their values live on the deployment. */
  unresolvedEnv: string[];
  /** Where the providers came from, as the Markdown report says it. */
  label: string;
}

/** The config to use, or null with why there is none (`--no-config`, or what the search found missing). */
export type ConfigChoice = { config: LoadedConfig; none?: undefined } | { config: null; none: string };

type ConfigArgs = Pick<CheckArgs, "config" | "noConfig" | "env" | "envFile">;

/** How to choose differently, said wherever a found config is named. */
export const FOUND_HINT = "use --config FILE to choose another, --no-config to use none";

export async function chooseConfig(args: ConfigArgs, cwd: string): Promise<ConfigChoice> {
  if (args.noConfig) return { config: null, none: "--no-config" };
  if (args.config !== undefined) return { config: await loadConfig({ source: "given", path: args.config }, args) };
  const search = await findAuthConfig(cwd);
  if (search.found === null) return { config: null, none: `no --config given and none found (${search.why})` };
  return { config: await loadConfig({ source: "found", ...search.found }, args) };
}

async function loadConfig(origin: ConfigOrigin, args: ConfigArgs): Promise<LoadedConfig> {
  const env: Record<string, string> = Object.create(null); // `__proto__=…` is a name like any other
  if (args.envFile) Object.assign(env, parseEnvText(await readTextFile(args.envFile, "--env-file")));
  for (const pair of args.env) {
    const eq = pair.indexOf("=");
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  // Messages name the file as the user chose it: `--config FILE…`, or the found file and how to choose another.
  const what = origin.source === "given" ? "--config" : "found config";
  const unreadable = (message: string) => new InputError(origin.source === "given" ? `--config ${message}` : `found config ${message} (${FOUND_HINT})`);
  const source = await readTextFile(origin.path, what);
  let parsed;
  try {
    parsed = parseAuthConfig(source, { filename: origin.path, env });
  } catch (e) {
    throw unreadable((e as Error).message);
  }
  const bad = parsed.findings.find((f) => f.id === "config-unreadable");
  if (bad) throw unreadable(bad.message);
  // The Markdown report is shared: it names the file inside the app, never the user's directories.
  const label = origin.source === "given" ? "from --config" : `from ${origin.relative}, found in the app`;
  return { providers: parsed.providers, findings: parsed.findings, origin, unresolvedEnv: parsed.unresolvedEnv, label };
}

/** The `config` key of `--json`: `{ path, source, unresolvedEnv }`, or null when no config was used. */
export function configJson(config: LoadedConfig | null): { path: string; source: "given" | "found"; unresolvedEnv: string[] } | null {
  return config && { path: config.origin.path, source: config.origin.source, unresolvedEnv: config.unresolvedEnv };
}
