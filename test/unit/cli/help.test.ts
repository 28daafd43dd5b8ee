/** `--help`, `--version` and their per-command forms (issue 10.1): parsed, and run through the real bundled CLI. */
import { beforeAll, describe, expect, it } from "vitest";
import { parseCliArgs, USAGE, UsageError } from "../../../src/cli/args";
import { buildCli, runCli } from "./run";

describe("parseCliArgs: help and version", () => {
  it.each([[[]], [["--help"]], [["-h"]], [["help"]], [["check", "--help"]], [["check", "-h"]], [["analyze", "--help"]], [["check", "a.b.c", "--json", "--help"]]])(
    "%j asks for help",
    (argv) => expect(parseCliArgs(argv)).toEqual({ command: "help" }),
  );

  it.each([[["--version"]], [["version"]], [["check", "--version"]], [["analyze", "--version"]]])("%j asks for the version", (argv) =>
    expect(parseCliArgs(argv)).toEqual({ command: "version" }),
  );

  it("after -- a --help is the token, not the flag", () => {
    expect(parseCliArgs(["check", "--", "--help"])).toMatchObject({ command: "check", token: "--help" });
  });

  it("an unknown option is named with balanced quoting and the -- way out", () => {
    let err: unknown;
    try {
      parseCliArgs(["check", "--hlep"]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe('unknown option --hlep (a value starting with "-" goes after --, as in: check -- --hlep)');
  });
});

describe("the bundled CLI", () => {
  beforeAll(() => buildCli());

  it.each([[["--help"]], [["check", "--help"]], [["analyze", "--help"]]])("%j prints the usage on stdout and exits 0", async (argv) => {
    const r = await runCli(argv);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(USAGE + "\n");
    expect(r.stderr).toBe("");
  });

  it.each([[["--version"]], [["check", "--version"]]])("%j prints the package version", async (argv) => {
    const r = await runCli(argv);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.stdout.trim()).toBe((await import("../../../package.json", { with: { type: "json" } })).default.version);
  });

  it("no arguments: the usage, exit 2", async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("usage: convex-auth-inspector check");
  });

  it("the help points inside the repository, not at files it does not have", () => {
    expect(USAGE).not.toMatch(/RULES\.md|DESIGN\.md/);
  });
});

describe("a bad command line", () => {
  beforeAll(() => buildCli());

  it("ends with the usage line of the command that was run", async () => {
    const analyze = await runCli(["analyze"]);
    expect(analyze.code).toBe(2);
    expect(analyze.stderr).toBe(
      "convex-auth-inspector: analyze takes one file (a .har or an export), got 0 arguments\nusage: convex-auth-inspector analyze <file.har | export.json> [--config FILE | --no-config]\n",
    );
    const check = await runCli(["check"]);
    expect(check.code).toBe(2);
    expect(check.stderr).toBe(`convex-auth-inspector: check needs a token argument, or - to read it from stdin\n${USAGE.split("\n")[0]}\n`);
  });
});
