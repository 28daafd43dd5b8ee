/** convex-auth-inspector: the CLI entry. Every failure path ends in one line on stderr and exit 2. */
import { VERSION } from "./version";
import { parseCliArgs, USAGE, usageLine, UsageError } from "./args";
import { InputError } from "./input";
import { runCheck } from "./check";
import { runAnalyze } from "./analyze";
import { escapeJsonForTerminal, escapeTerminal } from "../core/text/escape-control";

export async function main(argv: string[]): Promise<number> {
  try {
    const args = parseCliArgs(argv);
    if (args.command === "help") {
      process.stdout.write(USAGE + "\n");
      return argv.length === 0 ? 2 : 0;
    }
    if (args.command === "version") {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const color = !args.json && !args.markdown && process.stdout.isTTY === true && !process.env.NO_COLOR;
    const cwd = process.cwd();
    const result = args.command === "analyze" ? await runAnalyze(args, { color, cwd }) : await runCheck(args, { stdin: process.stdin, color, cwd });
    if (result.stderr) process.stderr.write(`${escapeTerminal(result.stderr)}\n`);
    process.stdout.write(args.json ? escapeJsonForTerminal(result.stdout) : result.stdout);
    return result.exitCode;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`convex-auth-inspector: ${escapeTerminal(e.message)}\n${usageLine(argv)}\n`);
      return 2;
    }
    if (e instanceof InputError) {
      process.stderr.write(`convex-auth-inspector: ${escapeTerminal(e.message)}\n`);
      return 2;
    }
    // A bug of ours: still one line, but say it is ours.
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`convex-auth-inspector: internal error: ${escapeTerminal(msg.split("\n")[0] ?? "")}\n`);
    return 2;
  }
}

// `analyze … | head`: a reader that stops early is not an error of ours.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 2;
  },
);
