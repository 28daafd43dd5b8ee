// `analyze` end to end: HARs in Chrome's shape built from what the harness saw the REAL convex client do with
// jose-signed tokens, analysed by the built CLI (a child process), plus hand-made edge files.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConvexClient, ConvexHttpClient } from "convex/browser";
import { anyApi } from "convex/server";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { startHarness, type Harness } from "../../harness/deployment";
import type { Scenario } from "../../harness/scenarios";
import { waitFor } from "../../harness/test-helpers";
import { buildCli, runCli } from "./run";
import { COOKIE, har, harFromHarness, httpEntry, socketEntry } from "./har";
import { reply, startServer } from "../keys/server";
import { readFileSync } from "node:fs";
import { importCaptureText } from "../../../src/core/session/import-stream";
import { exportHar, exportSession } from "../../../src/core/session/export";

const dir = mkdtempSync(join(tmpdir(), "cai-analyze-"));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

let h: Harness;
const files: Record<string, { full: string; sanitized: string }> = {};

/** Runs a scenario with the real client, then saves what happened as a full and a sanitized HAR. */
async function capture(name: string, drive: () => Promise<void>) {
  const fromConnection = h.connections.length;
  const fromRequest = h.httpRequests.length;
  await drive();
  const opts = { fromConnection, fromRequest, page: "http://127.0.0.1:5173/" };
  files[name] = { full: file(`${name}.har`, harFromHarness(h, opts)), sanitized: file(`${name}.sanitized.har`, harFromHarness(h, { ...opts, sanitized: true })) };
}

async function socketScenario(scenario: Scenario, until: (changes: boolean[]) => boolean, setup?: (c: ConvexClient) => void) {
  const client = new ConvexClient(h.url, { logger: false });
  const changes: boolean[] = [];
  const session = Math.random().toString(36);
  client.onUpdate(anyApi.users!.whoami!, {}, () => {});
  if (setup) setup(client);
  else client.setAuth(() => h.tokenFor(scenario, session), (ok) => changes.push(ok));
  await waitFor(scenario, () => until(changes), 10_000);
  await new Promise((r) => setTimeout(r, 200));
  await client.close();
}

beforeAll(async () => {
  buildCli();
  h = await startHarness({ demo: false, expiryCheckMs: 100 });
  await capture("good", () => socketScenario("good", (c) => c.length >= 2));
  // Until the client gave up and reconnected without auth (client-gave-up needs that next Connect).
  await capture("workos-no-aud", async () => {
    const from = h.connections.length;
    await socketScenario("workos-no-aud", (c) => {
      const last = h.connections.at(-1);
      return c.includes(false) && h.connections.length > from + 4 && last!.frames.some((f) => (f.data as { type?: string }).type === "ModifyQuerySet");
    });
  });
  await capture("admin-key", async () => {
    await socketScenario("admin-key", () => h.connections.at(-1)!.frames.some((f) => (f.data as { type?: string }).type === "Transition"), (c) => {
      (c.client as unknown as { setAdminAuth(k: string): void }).setAdminAuth(h.adminKey);
    });
  });
  await capture("http-401", async () => {
    const http = new ConvexHttpClient(h.url);
    http.setAuth((await h.tokenFor("http-401"))!);
    await http.query(anyApi.users!.whoami!, {}).catch(() => {});
  });
}, 60_000);

afterAll(async () => {
  await h?.close();
});

const json = async (args: string[]) => {
  const r = await runCli(["analyze", ...args, "--json", "--offline"]);
  return { ...r, out: r.stdout ? JSON.parse(r.stdout) : null };
};
const ids = (out: { findings: { id: string }[] }) => out.findings.map((f) => f.id);

describe("analyze: HARs of the real client against the harness", () => {
  it("good: one sync connection, its token accepted as observed, exit 0; the page's own entry is not Convex", async () => {
    const r = await json([files.good!.full]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.out.connections).toHaveLength(1);
    expect(r.out.connections[0]).toMatchObject({ entry: 1, auth: "accepted", clientVersion: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(ids(r.out)).toContain("token-accepted");
    expect(r.out.findings.filter((f: { severity: string }) => f.severity === "error")).toEqual([]);
    expect(r.out.tokens[0]).toMatchObject({ verdict: "accepted", verdictSource: "observed", observed: "accepted" });
    expect(r.out.tokens[0].token).toMatch(/\.\[signature-removed\]$/);
    const accepted = r.out.findings.find((f: { id: string }) => f.id === "token-accepted");
    expect(accepted.at).toMatchObject({ entry: 1, connection: "har:1", frame: expect.any(Number), message: expect.any(Number), time: expect.stringMatching(/^20\d\d-/) });
  });

  it("workos-no-aud: the cause (from the NoAuthProvider list the deployment sent) before token-rejected and client-gave-up, exit 1", async () => {
    for (const f of [files["workos-no-aud"]!.full, files["workos-no-aud"]!.sanitized]) {
      const r = await json([f]);
      expect(r.code).toBe(1);
      const found = ids(r.out);
      expect(found).toEqual(expect.arrayContaining(["token-rejected", "client-gave-up"]));
      const cause = found.findIndex((id) => id === "aud-missing" || id === "iss-mismatch");
      expect(cause).toBeGreaterThanOrEqual(0);
      expect(cause).toBeLessThan(found.indexOf("token-rejected"));
      expect(r.out.tokens[0]).toMatchObject({ verdict: "rejected", verdictSource: "observed", providerSource: "learned" });
      expect(r.out.tokens[0].providers).toHaveLength(3);
      expect(r.out.connections.length).toBeGreaterThan(1);
    }
  });

  it("http-401: the 401 body is diagnosed, with and without the Authorization header (sanitized); the preflight is not a call", async () => {
    const full = await json([files["http-401"]!.full]);
    expect(full.code).toBe(1);
    expect(ids(full.out)).toContain("http-auth-rejected");
    expect(full.out.requests).toHaveLength(1);
    expect(full.out.requests[0]).toMatchObject({ status: 401, scheme: "Bearer", entry: 2 });
    expect(ids(full.out)).not.toContain("http-auth-missing");
    const sanitized = await json([files["http-401"]!.sanitized]);
    expect(sanitized.code).toBe(1);
    expect(ids(sanitized.out)).toContain("http-auth-rejected");
    expect(sanitized.out.requests[0]).toMatchObject({ status: 401, scheme: "none" });
  });

  it("admin-key: admin-key-exposed, and the Markdown report has no admin key secret, no cookie, no signature", async () => {
    const r = await json([files["admin-key"]!.full]);
    expect(r.code).toBe(1);
    expect(ids(r.out)).toContain("admin-key-exposed");
    const secret = h.adminKey.split("|")[1]!;
    expect(r.stdout).not.toContain(secret);
    const md = await runCli(["analyze", files["admin-key"]!.full, "--markdown", "--offline"]);
    expect(md.code).toBe(1);
    expect(md.stdout).toMatch(/^## Convex auth report/);
    expect(md.stdout).toContain("admin-key-exposed");
    expect(md.stdout).not.toContain(secret);
    expect(md.stdout).not.toContain(COOKIE.split("=")[1]);
    const text = await runCli(["analyze", files["admin-key"]!.full, "--offline"]);
    expect(text.stdout).not.toContain(secret);
  });

  it("--markdown: cause first with its fix, claims without the signature, the provider list, client version, the auth timeline", async () => {
    const token = (await h.tokenFor("workos-no-aud"))!;
    const r = await runCli(["analyze", files["workos-no-aud"]!.full, "--markdown", "--offline"]);
    expect(r.code).toBe(1);
    const out = r.stdout;
    const cause = out.indexOf("### Cause and fix");
    expect(cause).toBeGreaterThan(0);
    expect(out.slice(cause)).toMatch(/1\. ✖ \*\*`(aud-missing|iss-mismatch)`\*\*[^\n]*\n   - \*\*Fix:\*\*/);
    expect(out).toContain('"iss":');
    expect(out).toContain("### Providers (from the deployment's NoAuthProvider text)");
    expect(out).toMatch(/\*\*Convex client:\*\* `\d+\.\d+\.\d+/);
    expect(out).toContain("### Auth timeline");
    expect(out).not.toContain(token.split(".")[2]!);
    expect(out).not.toContain(COOKIE.split("=")[1]);
    // The HAR itself holds the signature in its frames: the report removed it.
    expect(har.toString().length).toBeGreaterThan(0);
  });

  it("our export and our HAR export of the same capture (redacted) give the same finding IDs as Chrome's HAR", async () => {
    for (const name of ["workos-no-aud", "admin-key", "good"]) {
      const source = await json([files[name]!.full]);
      const events = importCaptureText(readFileSync(files[name]!.full, "utf8")).events;
      const viaExport = await json([file(`${name}.export.json`, exportSession(events))]);
      const viaHar = await json([file(`${name}.ours.har`, exportHar(events))]);
      expect(viaExport.out.capture.kind).toBe("export");
      expect(ids(viaExport.out).sort(), name).toEqual(ids(source.out).sort());
      expect(ids(viaHar.out).sort(), name).toEqual(ids(source.out).sort());
      expect([viaExport.code, viaHar.code]).toEqual([source.code, source.code]);
    }
  });

  it("text report: connections with timelines, findings with where they were seen", async () => {
    const r = await runCli(["analyze", files["workos-no-aud"]!.full, "--offline"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Capture {4}.*workos-no-aud\.har \(HAR, \d+ entries\)/);
    expect(r.stdout).toContain("Connection har:1 (HAR entry 1)");
    expect(r.stdout).toMatch(/at: entry \d+ message \d+, har:\d+ frame \d+, 20\d\d-/);
    expect(r.stdout).toContain("Verdict    PROBLEM");
  });
});

describe("analyze: edge files", () => {
  it("a HAR with no Convex traffic: 0 connections, exit 0", async () => {
    const f = file(
      "plain.har",
      har([
        httpEntry({ url: "https://example.com/", at: Date.now(), method: "GET", status: 200, body: "<html></html>", mimeType: "text/html", resourceType: "document" }),
        httpEntry({ url: "https://example.com/api/users", at: Date.now(), status: 401, body: "no" }),
        socketEntry("wss://example.com/chat", Date.now(), [{ type: "send", at: Date.now(), data: "hi" }]),
      ]),
    );
    const r = await json([f]);
    expect(r.code).toBe(0);
    expect(r.out).toMatchObject({ capture: { kind: "har", entries: 3 }, connections: [], requests: [], tokens: [], findings: [] });
    const text = await runCli(["analyze", f]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("no Convex traffic in this file");
  });

  it("a truncated HAR: exit 2 and one line saying where it ends", async () => {
    const full = harFromHarness(h, { page: "http://127.0.0.1:5173/" });
    const cut = Math.floor(full.length / 2);
    const f = file("truncated.har", full.slice(0, cut));
    const r = await runCli(["analyze", f, "--offline"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`ends at byte ${Buffer.byteLength(full.slice(0, cut))} inside HAR entry \\d+ .*truncated`));
  });

  it("non-HAR input: exit 2 with what and where", async () => {
    for (const [name, text, re] of [
      ["array.json", "[1,2]", /expected a JSON object, found "\[" at byte 0/],
      ["other.json", '{"hello": "world"}', /neither a HAR file/],
      ["bad-entry.har", '{"log":{"entries":[{"request": nope}]}}', /HAR entry 0: "request" \(starting at byte 31\) is not valid JSON/],
      ["empty.har", "", /empty/],
    ] as const) {
      const r = await runCli(["analyze", file(name, text)]);
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toMatch(re);
      expect(r.stderr.trim().split("\n"), name).toHaveLength(1);
    }
    const missing = await runCli(["analyze", join(dir, "nope.har")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
  });

  it("a token valid when it was sent but expired today is judged at capture time: not token-expired", async () => {
    const { privateKey, publicKey } = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256" };
    const iat = 1_700_000_000; // 2023-11-14: long expired today
    const token = await new SignJWT({ email: "a@example.test" })
      .setProtectedHeader({ alg: "RS256", kid: "k1" })
      .setIssuer("https://auth.example.test")
      .setSubject("user_1")
      .setAudience("convex-app")
      .setIssuedAt(iat)
      .setExpirationTime(iat + 3600)
      .sign(privateKey);
    const config = file("old.config.ts", `export default { providers: [{ type: "customJwt", issuer: "https://auth.example.test", jwks: "https://auth.example.test/jwks", algorithm: "RS256", applicationID: "convex-app" }] };`);
    const jwks = file("old.jwks.json", JSON.stringify({ keys: [jwk] }));
    const sent = (iat + 60) * 1000;
    // The capture ends before the server answered: only the prediction can judge the token.
    const f = file(
      "old.har",
      har([
        socketEntry("wss://happy-otter-123.convex.cloud/api/1.48.0/sync", sent - 100, [
          { type: "send", at: sent - 50, data: JSON.stringify({ connectionCount: 0, lastCloseReason: "InitialConnect", clientTs: sent - 50, type: "Connect", sessionId: "0b7c0000-0000-4000-8000-000000000001" }) },
          { type: "send", at: sent, data: JSON.stringify({ type: "Authenticate", baseVersion: 0, tokenType: "User", value: token }) },
        ]),
      ]),
    );
    const r = await json([f, "--config", config, "--jwks", jwks]);
    expect(r.stderr).toBe("");
    expect(r.out.tokens[0]).toMatchObject({ verdict: "accepted", verdictSource: "predicted", judgedAt: iat + 60, providerSource: "config" });
    expect(ids(r.out)).not.toContain("token-expired");
    expect(r.code).toBe(0);
    // The same token checked today is expired: the capture time is what made the difference.
    const today = await runCli(["check", token, "--config", config, "--jwks", jwks, "--json"]);
    expect(JSON.parse(today.stdout).findings.map((x: { id: string }) => x.id)).toContain("token-expired");
  });

  it("fetches keys only for --config's issuers: providers and issuers read from a capture are not fetched from", async () => {
    const server = await startServer();
    try {
      const { privateKey, publicKey } = await generateKeyPair("RS256");
      const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256" };
      const iss = server.url("/oidc");
      server.route("/oidc/.well-known/openid-configuration", reply(200, { "content-type": "application/json" }, JSON.stringify({ issuer: iss, jwks_uri: server.url("/oidc/jwks") })));
      server.route("/oidc/jwks", reply(200, { "content-type": "application/json" }, JSON.stringify({ keys: [jwk] })));
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({}).setProtectedHeader({ alg: "RS256", kid: "k1" }).setIssuer(iss).setSubject("u1").setAudience("convex").setIssuedAt(now).setExpirationTime(now + 3600).sign(privateKey);
      const at = now * 1000;
      // The deployment listed its providers in a 401 earlier; then a socket sent the token and the capture ended.
      const f = file(
        "learned.har",
        har([
          httpEntry({ url: "https://happy-otter-123.convex.cloud/api/query", at, status: 401, body: JSON.stringify({ code: "NoAuthProvider", message: `No auth provider found matching the given token. Check that your JWT's issuer and audience match one of your configured providers: [OIDC(domain=${iss}, app_id=convex)]` }) }),
          socketEntry("wss://happy-otter-123.convex.cloud/api/1.48.0/sync", at + 100, [
            { type: "send", at: at + 110, data: JSON.stringify({ connectionCount: 0, lastCloseReason: "InitialConnect", clientTs: at + 110, type: "Connect", sessionId: "0b7c0000-0000-4000-8000-000000000002" }) },
            { type: "send", at: at + 120, data: JSON.stringify({ type: "Authenticate", baseVersion: 0, tokenType: "User", value: token }) },
          ]),
        ]),
      );
      const learned = await runCli(["analyze", f, "--json"]);
      const out = JSON.parse(learned.stdout);
      expect(out.tokens[0]).toMatchObject({ providerSource: "learned", verdict: "unknown", verdictSource: "predicted" });
      expect(JSON.stringify(out.findings)).toContain("read from the capture are not fetched from");
      expect(server.hits("/oidc/.well-known/openid-configuration")).toBe(0);
      expect(learned.code).toBe(1); // the earlier 401 is an error finding either way
      const config = file("learned.config.ts", `export default { providers: [{ domain: "${iss}", applicationID: "convex" }] };`);
      const configured = await runCli(["analyze", f, "--json", "--config", config]);
      expect(JSON.parse(configured.stdout).tokens[0]).toMatchObject({ providerSource: "config", verdict: "accepted", verdictSource: "predicted" });
      expect(server.hits("/oidc/.well-known/openid-configuration")).toBe(1);
      expect(configured.code).toBe(1);
    } finally {
      await server.close();
    }
  });

  it("hostile page data: no control character reaches the terminal, no link, image or HTML in the Markdown", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const evil = "\u001b]0;pwned\u0007\u001b[2J\u202e ![x](https://evil.test/i.png) [click](javascript:alert(1)) <img src=x onerror=alert(1)> | ``` ";
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ name: evil }).setProtectedHeader({ alg: "RS256", kid: evil }).setIssuer(`https://auth.example.test/${evil}`).setSubject(evil).setIssuedAt(now).setExpirationTime(now + 600).sign(privateKey);
    const at = now * 1000;
    const f = file(
      "hostile.har",
      har([
        socketEntry("wss://happy-otter-123.convex.cloud/api/1.48.0/sync", at, [
          { type: "send", at: at + 1, data: JSON.stringify({ connectionCount: 0, lastCloseReason: evil, clientTs: at, type: "Connect", sessionId: evil }) },
          { type: "send", at: at + 2, data: JSON.stringify({ type: "Authenticate", baseVersion: 0, tokenType: "User", value: token }) },
          { type: "receive", at: at + 3, data: JSON.stringify({ type: "AuthError", error: evil, baseVersion: 0, authUpdateAttempted: true }) },
        ]),
      ]),
    );
    const controls = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
    for (const mode of [[], ["--markdown"], ["--json"]]) {
      const r = await runCli(["analyze", f, "--offline", ...mode]);
      expect(r.code, mode.join()).toBe(1);
      expect(controls.test(r.stdout), mode.join()).toBe(false);
      expect(r.stdout).not.toContain(token.split(".")[2]!);
    }
    const md = (await runCli(["analyze", f, "--offline", "--markdown"])).stdout;
    const prose = md.replace(/```json[\s\S]*?\n```/g, ""); // claims are inside a fence, where Markdown is inert
    expect(prose).not.toMatch(/(^|[^\\])!\[/);
    expect(prose).not.toMatch(/(^|[^\\])\[click\]/);
    expect(prose).not.toMatch(/(^|[^\\])<img/);
    expect(md.match(/^```/gm)!.length % 2).toBe(0); // no fence was closed from inside
  });

  it("usage errors: --json with --markdown, --now, no file", async () => {
    for (const args of [["x.har", "--json", "--markdown"], ["x.har", "--now", "5"], []]) {
      const r = await runCli(["analyze", ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^convex-auth-inspector: /);
    }
  });
});

describe("check --markdown", () => {
  it("verdict, cause first with its fix, claims without the signature", async () => {
    const token = (await h.tokenFor("workos-no-aud"))!;
    const r = await runCli(["check", token, "--markdown", "--offline"]);
    expect(r.stdout).toMatch(/^## Convex auth check/);
    expect(r.stdout).toMatch(/\*\*Verdict:\*\* (REJECTED|UNKNOWN)/);
    expect(r.stdout).toContain("### Token (signature removed)");
    expect(r.stdout).not.toContain(token.split(".")[2]!);
    expect(r.stdout).not.toContain(token);
  });
});
