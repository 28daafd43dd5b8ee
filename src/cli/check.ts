/** `check`: one token + the app's provider config → the backend's predicted verdict. */
import { VERSION } from "./version";
import type { CheckArgs } from "./args";
import { readToken } from "./input";
import { chooseConfig, configJson } from "./config";
import { cliKeySource, readSupplied } from "./keys";
import { decodeToken } from "../core/token/decode";
import { predictVerdict } from "../core/verdict/predict";
import type { Verdict } from "../core/verdict/types";
import { foundConfigNote, renderReport } from "./report";
import { checkMarkdown } from "../core/report/markdown";

export interface CheckResult {
  exitCode: ExitCode;
  stdout: string;
  /** One line for stderr without its newline ("" for none): where a found config came from, when stdout is JSON or Markdown. */
  stderr: string;
}

/** 0 no error finding, 1 the backend will reject (an error finding), 3 the verdict is unknown and no error is certain. */
export type ExitCode = 0 | 1 | 3;

export function exitCodeOf(verdict: Verdict): ExitCode {
  if (verdict.verdict === "rejected" || verdict.findings.some((f) => f.severity === "error")) return 1;
  return verdict.verdict === "unknown" ? 3 : 0;
}

export async function runCheck(args: CheckArgs, io: { stdin: NodeJS.ReadableStream; color: boolean; cwd: string }): Promise<CheckResult> {
  const raw = await readToken(args.token, io.stdin);
  const { config, none } = await chooseConfig(args, io.cwd);
  const now = Math.floor(args.now ?? Date.now() / 1000);
  const token = decodeToken(raw);

  // Without --config the provider list is unknown: what every provider that could match would do is judged.
  const keys = cliKeySource({
    jwks: args.jwks !== undefined ? await readSupplied(args.jwks, "--jwks") : undefined,
    discovery: args.discovery === undefined ? undefined : args.discovery === "skip" ? "skip" : await readSupplied(args.discovery, "--discovery"),
    offline: args.offline,
    providers: config?.providers ?? [],
    allowPrivateNetwork: args.allowPrivateNetwork,
  });
  const predicted = await predictVerdict(raw, config?.providers ?? null, { now, prod: args.prod, keys });
  const verdict: Verdict = config ? { ...predicted, findings: [...config.findings, ...predicted.findings] } : predicted;

  const stdout = args.json
    ? JSON.stringify(
        {
          verdict: verdict.verdict,
          provider: verdict.provider,
          expectedError: verdict.expectedError,
          alternatives: verdict.alternatives ?? [],
          identity: verdict.identity,
          findings: verdict.findings,
          token: { header: token.header, claims: token.payload },
          config: configJson(config),
        },
        null,
        2,
      ) + "\n"
    : args.markdown
      ? checkMarkdown({ verdict, token, providers: config?.providers ?? [], configGiven: config !== null, configLabel: config?.label, now, prod: args.prod }, VERSION)
      : renderReport({
        verdict,
        token,
        providers: config?.providers ?? [],
        configGiven: config !== null,
        config,
        none,
        now,
        prod: args.prod,
        color: io.color,
      });
  return { exitCode: exitCodeOf(verdict), stdout, stderr: args.json || args.markdown ? foundConfigNote(config) : "" };
}
