/** `check`: one token + the app's provider config → the backend's predicted verdict. */
import type { CheckArgs } from "./args";
import { readTextFile, readToken } from "./input";
import { loadProviders, type LoadedConfig } from "./config";
import { cliKeySource } from "./keys";
import { decodeToken } from "../core/token/decode";
import { predictVerdict } from "../core/verdict/predict";
import type { Verdict } from "../core/verdict/types";
import { renderReport } from "./report";

export interface CheckResult {
  exitCode: 0 | 1;
  stdout: string;
}

export async function runCheck(args: CheckArgs, io: { stdin: NodeJS.ReadableStream; color: boolean }): Promise<CheckResult> {
  const raw = await readToken(args.token, io.stdin);
  const config: LoadedConfig | null = args.config ? await loadProviders(args) : null;
  const now = Math.floor(args.now ?? Date.now() / 1000);
  const token = decodeToken(raw);

  // Without --config the provider list is unknown: only the provider-independent steps are judged.
  const keys = cliKeySource({
    jwks: args.jwks ? await jwksOverride(args.jwks) : undefined,
    providers: config?.providers ?? [],
    allowPrivateNetwork: args.allowPrivateNetwork,
  });
  const predicted = await predictVerdict(raw, config?.providers ?? null, { now, prod: args.prod, keys });
  const verdict: Verdict = config ? { ...predicted, findings: [...config.findings, ...predicted.findings] } : predicted;

  const hasError = verdict.findings.some((f) => f.severity === "error");
  const stdout = args.json
    ? JSON.stringify(
        {
          verdict: verdict.verdict,
          provider: verdict.provider,
          expectedError: verdict.expectedError,
          identity: verdict.identity,
          findings: verdict.findings,
          token: { header: token.header, claims: token.payload },
        },
        null,
        2,
      ) + "\n"
    : renderReport({
        verdict,
        token,
        providers: config?.providers ?? [],
        configGiven: config !== null,
        now,
        prod: args.prod,
        color: io.color,
      });
  return { exitCode: hasError ? 1 : 0, stdout };
}

/** `--jwks FILE|URL`: a URL is fetched instead of the provider's; a file becomes a data: URL so the same parse rules apply. */
async function jwksOverride(spec: string): Promise<string> {
  if (/^https?:\/\//i.test(spec)) return spec;
  const text = await readTextFile(spec, "--jwks");
  return `data:application/json;base64,${Buffer.from(text, "utf8").toString("base64")}`;
}
