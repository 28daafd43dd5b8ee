/**
 * Fuzz targets: each takes generated input, calls the real code, and may only fail in the documented way
 * (a UsageError for bad argv, an ImportError for a file that is not an export). Anything else is a defect.
 * `large` inputs are the 1 MB adversarial cases every target also gets (no call may take over 100 ms on them).
 * Shared by the fixed-seed vitest run (test/fuzz/fuzz.test.ts) and `npm run fuzz` (test/fuzz/run.ts).
 */
import fc from "fast-check";
import { CompactSign, exportJWK, generateKeyPair } from "jose";
import { decodeToken } from "../../src/core/token/decode";
import { redactAuthorization, redactToken } from "../../src/core/token/redact";
import { predictVerdict } from "../../src/core/verdict/predict";
import { classifyBackendError } from "../../src/core/verdict/classify";
import type { KeySource } from "../../src/core/keys/types";
import type { Provider } from "../../src/core/config/types";
import { parseAuthConfig } from "../../src/core/config/parse";
import { providersFromNoAuthProviderMessage } from "../../src/core/config/no-auth-provider";
import { readClientFrame } from "../../src/core/wire/client";
import { readServerFrame } from "../../src/core/wire/server";
import { emptySession, reduceSession } from "../../src/core/session/reduce";
import { sessionFindings } from "../../src/core/rules/session/index";
import { exportHar, exportSession, importCaptured } from "../../src/core/session/export";
import { ImportError } from "../../src/core/session/import";
import { redactEvent, redactText } from "../../src/core/session/redact-events";
import { validateEvent } from "../../src/extension/validate";
import { parseCliArgs, UsageError } from "../../src/cli/args";
import type { CapturedEvent } from "../../src/core/session/types";
import type { FrameText } from "../../src/core/capture/events";
import { b64url, capturedEvents, cliArgv, clientFrame, deepJsonText, hookEvent, hostileString, jsonValue, provider, serverFrame, tokenLike } from "./arbitraries";

export interface Target<T> {
  name: string;
  arbitrary: fc.Arbitrary<T>;
  run(input: T): unknown;
  /** The 1 MB adversarial inputs. */
  large(): T[];
  /** Errors that are the target's documented answer to bad input. */
  expected?(e: unknown): boolean;
}

const M = 1_000_000;
/** The 1 MB strings that broke or froze things before, and their relatives. */
export function largeStrings(): string[] {
  return [
    "a-".repeat(M / 2),
    `${"a-".repeat(M / 4)}|${"a-".repeat(M / 4)}`,
    "a|".repeat(M / 2),
    "prod:a|".repeat(M / 7),
    `${"a".repeat(10)}|`.repeat(M / 11),
    "Ab.".repeat(M / 3),
    "eyJ".repeat(M / 3),
    "eyJ.".repeat(M / 4),
    `eyJ${"A".repeat(M)}`,
    ".".repeat(M),
    "\u001b[2J".repeat(M / 4),
    deepJsonText(M / 6),
  ];
}

const NOW = 1_800_000_000;

/** Real keys and tokens, and a KeySource that answers from memory: no network in a fuzz run. */
async function memoryKeys() {
  const rsa = await generateKeyPair("RS256", { extractable: true });
  const ec = await generateKeyPair("ES256", { extractable: true });
  const rsaJwk = { ...(await exportJWK(rsa.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  const ecJwk = { ...(await exportJWK(ec.publicKey)), kid: "k2", alg: "ES256" };
  const sign = (payload: string, alg: "RS256" | "ES256", kid: string) =>
    new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader({ alg, kid }).sign(alg === "RS256" ? rsa.privateKey : ec.privateKey);
  const claims = (extra: string) => `{"iss":"https://issuer.example","sub":"user-1","aud":"app","iat":${NOW - 10},"exp":${NOW + 3600}${extra}}`;
  const signed = [
    await sign(claims(""), "RS256", "k1"),
    await sign(claims(""), "ES256", "k2"),
    await sign(claims(`,"deep":${deepJsonText(100_000)}`), "RS256", "k1"),
    await sign(claims(`,"__proto__":{"x":1},"constructor":"c"`), "RS256", "k1"),
    await sign(claims(""), "RS256", "k9"),
  ];
  const keys: KeySource = {
    async discover(iss) {
      if (iss.includes("127.0.0.1")) return { ok: false, failure: { kind: "network", url: iss, error: "connection refused" } };
      if (iss.includes("other")) return { ok: false, failure: { kind: "status", url: iss, status: 404, statusText: "Not Found", body: "a-".repeat(100) } };
      return { ok: true, value: { issuer: iss, jwks_uri: `${iss.replace(/\/$/, "")}/jwks` }, url: `${iss}/.well-known/openid-configuration` };
    },
    async jwks(url) {
      if (url === null) return { ok: false, failure: { kind: "skipped", url: "", reason: "discovery not checked" } };
      if (url.startsWith("file:")) return { ok: false, failure: { kind: "policy", url, reason: "not http(s)" } };
      return { ok: true, value: { keys: [rsaJwk, ecJwk, { kty: "oct", k: "AAAA", kid: "k3" }, { kid: ["x"] }], skipped: 1 }, url };
    },
  };
  return { keys, signed };
}

const short = (s: string, n = 60) => JSON.stringify(s.length > n ? `${s.slice(0, n)}…` : s);
/** One line saying what an input was: its shape, size and start. */
export function describeInput(v: unknown): string {
  if (typeof v === "string") return `string of ${v.length} chars ${short(v)}`;
  if (Array.isArray(v)) return `array of ${v.length}: ${short(JSON.stringify(v.slice(0, 3)) ?? "", 80)}`;
  try {
    const text = JSON.stringify(v) ?? String(v);
    return `${text.length} chars of JSON ${short(text, 80)}`;
  } catch {
    return String(v);
  }
}

const frameOf = (text: string): FrameText => ({ text, size: text.length });
const bigEvents = (): CapturedEvent[][] =>
  largeStrings().map((s, i) => [
    { n: 0, doc: "d", frame: 0, ev: { k: "ws-new", t: 1, ws: 0, url: "wss://x.convex.cloud/api/1.0.0/sync" } },
    { n: 1, doc: "d", frame: 0, ev: { k: "ws-recv", t: 2, ws: 0, frame: frameOf(JSON.stringify({ type: "AuthError", error: s, baseVersion: i, authUpdateAttempted: true })) } },
    { n: 2, doc: "d", frame: 0, ev: { k: "ws-send", t: 3, ws: 0, frame: frameOf(JSON.stringify({ type: "Authenticate", tokenType: "User", value: s, baseVersion: 0 })) } },
    { n: 3, doc: "d", frame: 0, ev: { k: "http", t: 4, req: 1, via: "fetch", method: "POST", url: `https://x.convex.cloud/api/query?adminKey=${s.slice(0, 1000)}`, authorization: `Bearer ${s}`, status: 401, errorBody: s } },
  ]);

/** Config sources shaped like auth.config.ts files, with hostile values where strings go. */
const configSource = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.array(fc.tuple(fc.constantFrom("domain", "issuer", "applicationID", "jwks", "algorithm", "type", "__proto__"), fc.oneof(hostileString(4).map((s) => JSON.stringify(s)), fc.constantFrom("process.env.ISSUER", "process.env.__proto__", "`${process.env.A}/x`", '"customJwt"', '"RS256"', "undefined", "null", "1", "[]", "{}"))), { maxLength: 6 }), fc.nat(3))
      .map(([fields, n]) => {
        const p = `{ ${fields.map(([k, v]) => `${k}: ${v}`).join(", ")} }`;
        return n === 0 ? `export default { providers: [${p}] };` : n === 1 ? `const p = ${p};\nexport default { providers: [p, p] } satisfies AuthConfig;` : n === 2 ? JSON.stringify({ providers: [Object.fromEntries(fields)] }) : `module.exports = { providers: [${p}] }`;
      }),
  },
  { weight: 1, arbitrary: hostileString() },
);

const STRING_REDACTORS: ReadonlyMap<string, (s: string) => unknown> = new Map<string, (s: string) => unknown>([
  ["redactText", (s) => redactText(s)],
  ["redactText (secrets kept)", (s) => redactText(s, { includeSecrets: true })],
  ["redactToken", redactToken],
  ["redactAuthorization", redactAuthorization],
  ["classifyBackendError", classifyBackendError],
]);

export async function makeTargets(): Promise<Target<any>[]> {
  const { keys, signed } = await memoryKeys();
  const token = fc.oneof({ weight: 3, arbitrary: tokenLike }, { weight: 1, arbitrary: fc.constantFrom(...signed) });
  const targets: Target<any>[] = [
    {
      name: "token decoding",
      arbitrary: token,
      run: (t: string) => decodeToken(t),
      large: () => [...largeStrings(), `${b64url('{"alg":"RS256"}')}.${b64url(`{"deep":${deepJsonText(M / 6)}}`)}.c2ln`],
    } satisfies Target<string>,
    {
      name: "predictVerdict",
      arbitrary: fc.record({ token, providers: fc.option(fc.array(provider, { maxLength: 4 }), { nil: null }), now: fc.constantFrom(NOW, NOW + 7200, NaN), prod: fc.boolean() }),
      run: (x: { token: string; providers: Provider[] | null; now: number; prod: boolean }) => predictVerdict(x.token, x.providers, { now: x.now, prod: x.prod, keys }),
      large: () =>
        [...largeStrings(), signed[2]!].flatMap((t) => [
          { token: t, providers: null, now: NOW, prod: false },
          { token: t, providers: [{ type: "customJwt", issuer: "https://issuer.example", jwks: "https://issuer.example/jwks", algorithm: "RS256", applicationID: "app", index: 0 }], now: NOW, prod: false },
          { token: t, providers: [{ type: "oidc", domain: "https://issuer.example", applicationID: "app", index: 0 }], now: NOW, prod: true },
        ] as { token: string; providers: Provider[] | null; now: number; prod: boolean }[]),
    },
    {
      name: "config parse + evaluate",
      arbitrary: fc.record({ source: configSource, filename: fc.constantFrom("auth.config.ts", "auth.config.js", "auth.config.json", "a.tsx"), env: fc.dictionary(fc.constantFrom("ISSUER", "A", "__proto__", "constructor"), hostileString(4), { maxKeys: 3 }) }),
      run: (x: { source: string; filename: string; env: Record<string, string> }) => {
        parseAuthConfig(x.source, { filename: x.filename, env: x.env });
        providersFromNoAuthProviderMessage(x.source);
      },
      large: () => largeStrings().flatMap((s) => [{ source: s, filename: "auth.config.ts", env: {} }, { source: `export default { providers: [{ domain: ${JSON.stringify(s.slice(0, 900_000))}, applicationID: "a" }] };`, filename: "auth.config.ts", env: {} }]),
    },
    {
      name: "client frame reader",
      arbitrary: clientFrame,
      run: (f: FrameText) => readClientFrame(f),
      large: () => largeStrings().flatMap((s) => [frameOf(s), frameOf(JSON.stringify({ type: "Authenticate", tokenType: "User", value: s, baseVersion: 0 })), { head: s.slice(0, 2048), tail: s.slice(-512), size: s.length }]),
    },
    {
      name: "server frame reader",
      arbitrary: serverFrame,
      run: (f: FrameText) => readServerFrame(f),
      large: () => largeStrings().flatMap((s) => [frameOf(s), frameOf(JSON.stringify({ type: "AuthError", error: s, baseVersion: 0, authUpdateAttempted: true })), { head: s.slice(0, 2048), tail: s.slice(-512), size: s.length }]),
    },
    {
      name: "session reducer + findings",
      arbitrary: fc.oneof(capturedEvents, fc.array(jsonValue, { maxLength: 10 }).map((vs) => vs.map((v) => validateEvent(v)).filter((e) => e !== null).map((ev, n) => ({ n, doc: "d", frame: 0, ev: ev! })))),
      run: (events: CapturedEvent[]) => sessionFindings(reduceSession(emptySession(), events)),
      large: bigEvents,
    },
    {
      name: "export import (ours and HAR)",
      arbitrary: fc.oneof(
        capturedEvents.map((e) => exportSession(e)),
        capturedEvents.map((e) => exportHar(e)),
        fc.tuple(capturedEvents, fc.nat(), fc.constantFrom("cut", "swap")).map(([e, i, how]) => {
          const text = i % 2 ? exportHar(e) : exportSession(e);
          const at = i % Math.max(1, text.length);
          return how === "cut" ? text.slice(0, at) : text.replace(/"(ws|n|t|doc|k|frame|events|entries)":/g, `"${"x".repeat(i % 3)}$1":`);
        }),
        jsonValue.map((v) => JSON.stringify(v) ?? ""),
        hostileString(),
      ),
      run: (text: string) => importCaptured(text),
      expected: (e) => e instanceof ImportError,
      large: () => [...largeStrings(), ...bigEvents().map((e) => exportSession(e)), ...bigEvents().map((e) => exportHar(e))],
    },
    {
      // One call is one function (the limit is per call): each string goes through every string redactor in turn.
      name: "redaction",
      arbitrary: fc.oneof(
        fc.record({ s: hostileString(), fn: fc.constantFrom(...STRING_REDACTORS.keys()) }),
        hookEvent.map((ev) => ({ ev })),
      ),
      run: (x: { s?: string; fn?: string; ev?: CapturedEvent["ev"] }) => {
        if (x.s !== undefined && x.fn !== undefined) STRING_REDACTORS.get(x.fn)!(x.s);
        if (x.ev) redactEvent({ n: 0, doc: "d", frame: 0, ev: x.ev });
      },
      large: () => [
        ...largeStrings().flatMap((s) => [...STRING_REDACTORS.keys()].map((fn) => ({ s, fn }))),
        ...bigEvents().flat().map((e) => ({ ev: e.ev })),
      ],
    },
    {
      name: "CLI argument parsing",
      arbitrary: cliArgv,
      run: (argv: string[]) => parseCliArgs(argv),
      expected: (e) => e instanceof UsageError,
      large: () => largeStrings().flatMap((s) => [["check", s], ["check", "x", "--now", s], ["check", "x", "--env", s], [s]]),
    },
  ];
  return targets;
}
