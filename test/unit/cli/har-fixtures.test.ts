/**
 * `analyze` on REAL Chrome-exported HARs, captured when this test runs (test/e2e/support/chrome-har.ts: DevTools'
 * own HAR writer in headless Chromium while the harness demo page ran the real `convex` client; the files hold
 * signed tokens and an admin key, so none is committed). Each file, full and sanitized, must give the finding IDs the live panel
 * shows for its scenario: the expectations are the panel specs' own lists (test/scenarios/expectations.ts,
 * test/e2e/session/expectations.ts), not a copy. What the panel shows that a HAR cannot carry is listed per
 * scenario below, with the reason, and checked to be absent (so the list stays true).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, buildCli, runCli } from "./run";
import { EXPECTATIONS } from "../../scenarios/expectations";
import { SESSION_EXPECTATIONS } from "../../e2e/session/expectations";
import { CAPTURED, NO_CONVEX, captureHars } from "../../e2e/support/chrome-har";
import type { Scenario } from "../../harness/scenarios";

const dir = mkdtempSync(join(tmpdir(), "cai-har-fixtures-"));
const HARS = join(dir, "hars");

interface Expected {
  /** IDs the panel lists, with a severity where its spec pins one. */
  present: { id: string; severity?: string }[];
  absent: string[];
  noErrors: boolean;
}

/** The panel's expectation for a scenario, from whichever spec owns it. */
function panelExpectation(scenario: Scenario): Expected | null {
  const panel = EXPECTATIONS.find((e) => e.scenario === scenario);
  if (panel) return { present: panel.findings.map((id) => ({ id })), absent: [...(panel.absent ?? []), "prediction-mismatch"], noErrors: false };
  const session = SESSION_EXPECTATIONS.find((e) => e.scenario === scenario);
  if (session) return { present: session.findings, absent: session.absent, noErrors: session.noErrors };
  return null;
}

/**
 * Findings the live panel shows that cannot come out of the file, per scenario and variant, with why.
 * "both" = full and sanitized HAR; "sanitized" = only the sanitized one.
 */
const NOT_IN_A_HAR: Partial<Record<Scenario, { id: string; variants: "both" | "sanitized"; why: string }[]>> = {
  good: [
    {
      id: "identity-preview",
      variants: "both",
      why:
        "a prediction of acceptance needs the deployment's config and the issuer's keys: the panel spec pastes the config and " +
        "fetches the JWKS live; a HAR holds neither, and analyze fetches nothing from issuers named by a capture (the " +
        "captured issuer was a harness on a port that is long closed)",
    },
  ],
  "identity-expired": [
    {
      id: "token-expired",
      variants: "both",
      why:
        "the panel's token-expired is its prediction for NOW (the token died after the server accepted it); analyze judges " +
        "each token at the time it was sent, when this one was valid (identity-expired and same-token-on-refresh say the rest)",
    },
  ],
  "http-401": [
    {
      id: "aud-missing",
      variants: "sanitized",
      why: "the token travelled only in the Authorization header, which Chrome's sanitized export drops; the 401 body stays",
    },
    {
      id: "hint-clerk-template",
      variants: "sanitized",
      why: "the Clerk hint reads the token's claims (azp, sid, no aud), and the sanitized export drops the Authorization header",
    },
  ],
};

interface Analysed {
  code: number | null;
  findings: { id: string; severity: string }[];
  connections: unknown[];
}

async function analyse(file: string): Promise<Analysed> {
  const r = await runCli(["analyze", "--json", file]);
  expect(r.stderr, `${file}: stderr`).toBe("");
  const j = JSON.parse(r.stdout) as { findings: Analysed["findings"]; connections: unknown[] };
  return { code: r.code, findings: j.findings, connections: j.connections };
}

/** The built CLI run with its clock 20 years ahead (a preloaded Date), as someone running it in 2046 would. */
const FUTURE_MS = 20 * 365 * 24 * 3600 * 1000;
function runInFuture(args: string[]): { code: number | null; stdout: string } {
  const preload = join(dir, "future-clock.mjs");
  writeFileSync(
    preload,
    `const Real = Date;
class Future extends Real {
  constructor(...a) { super(...(a.length ? a : [Real.now() + ${FUTURE_MS}])); }
  static now() { return Real.now() + ${FUTURE_MS}; }
}
globalThis.Date = Future;
`,
  );
  const r = spawnSync(process.execPath, ["--import", preload, "--", BIN, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout };
}

// One headless Chromium captures all 13 page loads (fetch-token-hangs alone waits 17 s for the server's Ping).
beforeAll(async () => {
  buildCli();
  await captureHars(HARS);
}, 300_000);

describe("analyze on Chrome-exported HARs of each harness scenario gives the panel's finding IDs", () => {
  for (const { scenario } of CAPTURED) {
    const expected = panelExpectation(scenario);
    for (const variant of ["full", "sanitized"] as const) {
      it(`${scenario} (${variant})`, async () => {
        expect(expected, `no panel expectation for ${scenario}`).not.toBeNull();
        const file = join(HARS, `${scenario}${variant === "sanitized" ? ".sanitized" : ""}.har`);
        const a = await analyse(file);
        const ids = a.findings.map((f) => f.id);
        const notHere = (NOT_IN_A_HAR[scenario] ?? []).filter((n) => n.variants === "both" || variant === "sanitized");
        for (const want of expected!.present) {
          if (notHere.some((n) => n.id === want.id)) continue;
          const severities = a.findings.filter((f) => f.id === want.id).map((f) => f.severity);
          expect(severities, `${scenario}: ${want.id} (analyze found ${ids.join(", ")})`).not.toEqual([]);
          if (want.severity) expect(severities).toContain(want.severity);
        }
        // What the panel shows but the file cannot carry: absent, for the reason given above.
        for (const n of notHere) expect(ids, `${scenario}: ${n.id} (${n.why})`).not.toContain(n.id);
        for (const id of expected!.absent) expect(ids, `${scenario}: ${id} must not be listed`).not.toContain(id);
        const errors = a.findings.filter((f) => f.severity === "error");
        if (expected!.noErrors) expect(errors).toEqual([]);
        expect(a.code).toBe(errors.length > 0 ? 1 : 0);
      });
    }
  }

  it("the sanitized export (no Authorization/Cookie headers) gives the same findings, except where listed", { timeout: 60_000 }, async () => {
    for (const { scenario } of CAPTURED) {
      const kinds = (a: Analysed) => [...new Set(a.findings.map((f) => `${f.severity} ${f.id}`))];
      const full = await analyse(join(HARS, `${scenario}.har`));
      const sanitized = await analyse(join(HARS, `${scenario}.sanitized.har`));
      const dropped = (NOT_IN_A_HAR[scenario] ?? []).filter((n) => n.variants === "sanitized").map((n) => n.id);
      expect(kinds(sanitized), scenario).toEqual(kinds(full).filter((f) => !dropped.includes(f.split(" ")[1]!)));
      expect(sanitized.code, scenario).toBe(full.code);
    }
  });

  it("admin-key: the sanitized HAR still shows the key (the socket's Authenticate Admin), not the HTTP header's copy", async () => {
    const count = async (name: string) => (await analyse(join(HARS, name))).findings.filter((f) => f.id === "admin-key-exposed").length;
    // Full: the socket frame and the HTTP call's `Authorization: Convex <key>`; sanitized drops that header.
    expect(await count("admin-key.har")).toBe(2);
    expect(await count("admin-key.sanitized.har")).toBe(1);
  });
});

describe("a capture gives the same answer years from now", () => {
  it("the CLI's clock moved 20 years ahead changes check's verdict on a captured token, and no analysis", async () => {
    // The clock really moves: `check` judges at now, so the good scenario's 10-year token is expired in 2046.
    const har = JSON.parse(readFileSync(join(HARS, "good.har"), "utf8")) as { log: { entries: { _webSocketMessages?: { data: string }[] }[] } };
    const auth = har.log.entries
      .flatMap((e) => e._webSocketMessages ?? [])
      .map((m) => JSON.parse(m.data) as { type?: string; value?: string })
      .find((m) => m.type === "Authenticate" && typeof m.value === "string");
    const token = auth!.value!;
    const today = await runCli(["check", token, "--offline", "--json"]);
    const future = runInFuture(["check", token, "--offline", "--json"]);
    const expiredIn = (out: string) => (JSON.parse(out) as { findings: { id: string }[] }).findings.some((f) => f.id === "token-expired");
    expect(expiredIn(today.stdout)).toBe(false);
    expect(expiredIn(future.stdout)).toBe(true);
    // analyze judges each token when it was sent: the same JSON then as now, for every capture (the
    // sanitized twins hold the same frames).
    for (const { scenario } of CAPTURED) {
      const name = `${scenario}.har`;
      const now = await runCli(["analyze", "--json", join(HARS, name)]);
      const later = runInFuture(["analyze", "--json", join(HARS, name)]);
      expect(later.code, name).toBe(now.code);
      expect(later.stdout, name).toBe(now.stdout);
    }
  }, 120_000);
});

describe("edge files made from real captures", () => {
  it("a HAR with no Convex traffic: 0 connections, no findings, exit 0", async () => {
    for (const name of [`${NO_CONVEX}.har`, `${NO_CONVEX}.sanitized.har`]) {
      const file = join(HARS, name);
      // It is a real page load, not an empty file.
      expect((JSON.parse(readFileSync(file, "utf8")) as { log: { entries: unknown[] } }).log.entries.length).toBeGreaterThan(0);
      const a = await analyse(file);
      expect(a.connections).toEqual([]);
      expect(a.findings).toEqual([]);
      expect(a.code).toBe(0);
    }
  });

  it("http-auth-missing needs to know the header was absent: a call without Authorization is flagged only when the HAR can show it", async () => {
    type Entry = {
      startedDateTime: string;
      request: { url: string; method: string; headersSize: number; headers: { name: string; value: string }[] };
      _webSocketMessages?: { time: number }[];
    };
    const har = JSON.parse(readFileSync(join(HARS, "good.har"), "utf8")) as { log: { entries: Entry[] } };
    const call = har.log.entries.find((e) => e.request.method === "POST" && e.request.url.endsWith("/api/query"))!;
    // The finding is about a call made while the socket is authenticated; the page's query races the socket's
    // auth, so the call is placed after the socket's last message (time in epoch seconds).
    const lastFrame = Math.max(...har.log.entries.flatMap((e) => (e._webSocketMessages ?? []).map((m) => m.time)));
    call.startedDateTime = new Date(lastFrame * 1000 + 1000).toISOString();
    const auth = call.request.headers.find((h) => h.name === "Authorization")!;
    call.request.headers = call.request.headers.filter((h) => h !== auth);
    // As the page would have sent it without the header: headersSize (the raw request head) agrees with the list.
    const sent = join(dir, "http-without-auth.har");
    writeFileSync(sent, JSON.stringify({ log: { ...har.log, entries: har.log.entries.map((e) => (e === call ? { ...e, request: { ...call.request, headersSize: call.request.headersSize - (auth.name.length + auth.value.length + 4) } } : e)) } }));
    expect((await analyse(sent)).findings.map((f) => f.id)).toContain("http-auth-missing");
    // As Chrome's sanitized export leaves it (headersSize still counts the header): unknown, so no finding.
    const sanitized = join(dir, "http-auth-removed.har");
    writeFileSync(sanitized, JSON.stringify(har));
    const a = await analyse(sanitized);
    expect(a.findings.map((f) => f.id)).not.toContain("http-auth-missing");
  });

  it("a truncated HAR (a real capture cut in the middle of a WebSocket message): exit 2, one line saying what", async () => {
    const text = readFileSync(join(HARS, "clerk-no-template.har"), "utf8");
    const cut = text.indexOf('"_webSocketMessages"') + 200;
    const file = join(dir, "truncated.har");
    writeFileSync(file, text.slice(0, cut));
    const r = await runCli(["analyze", file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(file);
  });
});
