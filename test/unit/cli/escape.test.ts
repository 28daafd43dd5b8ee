/**
 * Terminal injection: whatever a token, a config or an argument says, the CLI never sends a control or bidi
 * character to the terminal; it shows it as an escape (`\x1b`, `\u202e`).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { buildCli, runCli } from "./run";
import { escapeJsonForTerminal, escapeTerminal, terminalSafe } from "../../../src/core/text/escape-control";

const ESC = "\x1b";
const CLEAR = `${ESC}[2J${ESC}[H`;
const TITLE = `${ESC}]0;pwned${"\x07"}`;
const OVERWRITE = "\rVerdict    ACCEPTED";
const C1_CSI = "\u009b2J";
const BIDI = "\u202eDETPECCA\u202c\u2066x\u2069";
const HOSTILE = `${CLEAR}${TITLE}\x07\x08${OVERWRITE}${C1_CSI}${BIDI}\u2028\x7f`;
/** No byte of these may reach the terminal. */
// eslint-disable-next-line no-control-regex
const RAW_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
const NOW = 1_800_000_000;
const dir = mkdtempSync(join(tmpdir(), "cai-escape-"));
let rsa: { privateKey: CryptoKey; publicKey: CryptoKey };
let config: string;
let jwksFile: string;

beforeAll(async () => {
  buildCli();
  rsa = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(rsa.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  jwksFile = join(dir, "jwks.json");
  writeFileSync(jwksFile, JSON.stringify({ keys: [jwk] }));
  config = join(dir, "auth.config.ts");
  writeFileSync(config, `export default { providers: [{ type: "customJwt", issuer: "https://auth.example.com", jwks: "https://auth.example.com/jwks", algorithm: "RS256", applicationID: "app" }] };\n`);
});
afterAll(() => {});

function expectNothingRaw(text: string): void {
  const m = RAW_UNSAFE.exec(text);
  expect(m ? `raw U+${m[0].charCodeAt(0).toString(16).padStart(4, "0")} at ${m.index}: ${JSON.stringify(text.slice(Math.max(0, m.index - 40), m.index + 10))}` : null).toBeNull();
}

describe("the CLI never prints control characters from its inputs", () => {
  it("an unsigned token whose alg/kid/typ/iss/sub/aud are escape sequences: text report", async () => {
    const token = `${b64({ alg: HOSTILE, kid: HOSTILE, typ: HOSTILE })}.${b64({ iss: HOSTILE, sub: HOSTILE, aud: [HOSTILE], exp: NOW + 60, iat: NOW })}.c2ln`;
    const r = await runCli(["check", token, "--now", String(NOW)]);
    expect(r.code).not.toBe(2);
    expectNothingRaw(r.stdout);
    expectNothingRaw(r.stderr);
    expect(r.stdout).toContain("\\x1b[2J\\x1b[H\\x1b]0;pwned\\x07");
    expect(r.stdout).toContain("\\rVerdict    ACCEPTED");
    expect(r.stdout).toContain("\\u202eDETPECCA");
    expect(r.stdout).toMatch(/^Verdict {4}(UNKNOWN|REJECTED)/);
    expect(r.stdout.split("\n").filter((l) => l.startsWith("Verdict"))).toHaveLength(1);
  });

  it("a signed token with a hostile kid, matched to a customJwt provider: the findings quoting the kid are escaped", async () => {
    const token = await new SignJWT({ iss: "https://auth.example.com", sub: HOSTILE, aud: "app", [HOSTILE]: HOSTILE })
      .setProtectedHeader({ alg: "RS256", kid: HOSTILE, typ: HOSTILE })
      .setIssuedAt(NOW)
      .setExpirationTime(NOW + 3600)
      .sign(rsa.privateKey);
    const r = await runCli(["check", token, "--config", config, "--jwks", jwksFile, "--now", String(NOW)]);
    expect(r.code).toBe(1);
    expectNothingRaw(r.stdout);
    expectNothingRaw(r.stderr);
    expect(r.stdout).toMatch(/^Verdict {4}REJECTED/);
    expect(r.stdout).toContain("kid-not-in-jwks");
    expect(r.stdout).toContain("\\x1b]0;pwned\\x07");
  });

  it("--json: valid JSON with the same values, but no raw control, C1 or bidi character", async () => {
    const token = `${b64({ alg: HOSTILE, kid: HOSTILE })}.${b64({ iss: HOSTILE, sub: HOSTILE, aud: HOSTILE, exp: NOW + 60 })}.c2ln`;
    const r = await runCli(["check", token, "--json", "--now", String(NOW)]);
    expectNothingRaw(r.stdout);
    expectNothingRaw(r.stderr);
    const j = JSON.parse(r.stdout) as { token: { header: Record<string, unknown>; claims: Record<string, unknown> } };
    expect(j.token.header.kid).toBe(HOSTILE);
    expect(j.token.claims.sub).toBe(HOSTILE);
  });

  it("arguments and file names echoed in an error line are escaped on stderr", async () => {
    for (const args of [["check", "a.b.c", "--now", HOSTILE], ["check", "a.b.c", "--config", join(dir, `${CLEAR}${OVERWRITE}`)], [`${TITLE}${OVERWRITE}`]]) {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expectNothingRaw(r.stderr);
      expect(r.stderr).toContain("\\x1b");
    }
  });
});

describe("escape functions", () => {
  it("escapeTerminal shows C0, DEL, C1 and bidi characters and keeps the rest", () => {
    expect(escapeTerminal(`a${ESC}[31mb\x07\r\n\t\x7f\u0085\u009b\u202e\u2066\u200f é 日本 🙂`)).toBe(
      "a\\x1b[31mb\\x07\\r\\n\\t\\x7f\\x85\\x9b\\u202e\\u2066\\u200f é 日本 🙂",
    );
  });
  it("escapeJsonForTerminal keeps the JSON value", () => {
    const value = { s: HOSTILE, [HOSTILE]: 1 };
    const out = escapeJsonForTerminal(JSON.stringify(value));
    expectNothingRaw(out);
    expect(JSON.parse(out)).toEqual(value);
  });
  it("terminalSafe escapes keys and values and stops at the depth limit instead of overflowing", () => {
    let deep: unknown = HOSTILE;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const safe = terminalSafe({ [HOSTILE]: [HOSTILE], deep });
    expectNothingRaw(JSON.stringify(safe));
    expect(JSON.stringify(safe)).toContain("nested deeper than");
  });
});
