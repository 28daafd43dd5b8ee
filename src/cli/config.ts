/** `--config`, `--env`, `--env-file` → the provider list, or a one-line InputError for an unreadable config. */
import type { CheckArgs } from "./args";
import { InputError, readTextFile } from "./input";
import { parseAuthConfig } from "../core/config/parse";
import { parseEnvText } from "../core/config/env";
import type { Provider } from "../core/config/types";
import type { Finding } from "../core/rules/types";

export interface LoadedConfig {
  providers: Provider[];
  findings: Finding[];
}

export async function loadProviders(args: Pick<CheckArgs, "config" | "env" | "envFile">): Promise<LoadedConfig> {
  const env: Record<string, string> = Object.create(null); // `__proto__=…` is a name like any other
  if (args.envFile) Object.assign(env, parseEnvText(await readTextFile(args.envFile, "--env-file")));
  for (const pair of args.env) {
    const eq = pair.indexOf("=");
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const path = args.config!;
  const source = await readTextFile(path, "--config");
  let parsed;
  try {
    parsed = parseAuthConfig(source, { filename: path, env });
  } catch (e) {
    throw new InputError(`--config ${(e as Error).message}`);
  }
  const unreadable = parsed.findings.find((f) => f.id === "config-unreadable");
  if (unreadable) throw new InputError(`--config ${unreadable.message}`);
  return { providers: parsed.providers, findings: parsed.findings };
}
