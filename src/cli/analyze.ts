/**
 * `analyze`: a HAR file or an inspector export → every Convex connection, its timeline, the findings, each
 * token judged at the time it was sent. The file is streamed (core/session/import-stream.ts): a 100 MB HAR is
 * never one string.
 */
import { createReadStream } from "node:fs";
import type { AnalyzeArgs } from "./args";
import { chooseConfig, type LoadedConfig } from "./config";
import { InputError, statRegularFile } from "./input";
import { cliKeySource, readSupplied } from "./keys";
import { analysisExitCode, analyzeCapture, type Analysis } from "../core/session/analyze";
import { CaptureStream, type ImportedCapture } from "../core/session/import-stream";
import { ImportError } from "../core/session/import";
import { analysisJson } from "./analyze-json";
import { renderAnalysis } from "./analyze-report";
import { foundConfigNote } from "./report";
import { analysisMarkdown } from "../core/report/markdown";
import type { CheckResult } from "./check";
import { VERSION } from "./version";

/** Reads the file in 1 MiB chunks through the streaming reader; a broken file is one InputError line. */
export async function readCapture(path: string): Promise<ImportedCapture> {
  await statRegularFile(path, "capture file");
  const stream = new CaptureStream();
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) stream.push(chunk as Buffer);
    return stream.end();
  } catch (e) {
    if (e instanceof ImportError) throw new InputError(`${path}: ${e.message}`);
    // A read failure (EACCES, EIO…) is the file's; anything else is a bug of ours and stays an internal error.
    if (typeof (e as NodeJS.ErrnoException).code === "string") throw new InputError(`${path}: ${(e as Error).message}`);
    throw e;
  }
}

export interface AnalyzeRun {
  capture: ImportedCapture;
  config: LoadedConfig | null;
  /** Why no config is used, when none is. */
  none?: string;
  analysis: Analysis;
}

export async function runAnalysis(args: AnalyzeArgs, cwd: string): Promise<AnalyzeRun> {
  const { config, none } = await chooseConfig(args, cwd);
  const jwks = args.jwks !== undefined ? await readSupplied(args.jwks, "--jwks") : undefined;
  const capture = await readCapture(args.file);
  // Issuers read from a capture are the file author's choice, not the user's: without a config of theirs nothing is fetched.
  const keys = cliKeySource({
    jwks,
    offline: args.offline,
    ...(config ? {} : { untrusted: "issuers and providers read from the capture are not fetched from; pass --config to check their keys" }),
    providers: config?.providers ?? [],
    allowPrivateNetwork: args.allowPrivateNetwork,
  });
  const analysis = await analyzeCapture(capture.events, { providers: config?.providers ?? null, prod: args.prod, keys, sources: capture.sources });
  return { capture, config, none, analysis };
}

export async function runAnalyze(args: AnalyzeArgs, io: { color: boolean; cwd: string }): Promise<CheckResult> {
  const run = await runAnalysis(args, io.cwd);
  const configFindings = run.config?.findings ?? [];
  const stdout = args.json
    ? JSON.stringify(analysisJson(run), null, 2) + "\n"
    : args.markdown
      ? analysisMarkdown(run, VERSION)
      : renderAnalysis(run, { file: args.file, color: io.color, prod: args.prod });
  return { exitCode: analysisExitCode(run.analysis, configFindings), stdout, stderr: args.json || args.markdown ? foundConfigNote(run.config) : "" };
}
