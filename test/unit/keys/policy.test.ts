/**
 * The fetch policy (core/keys/policy.ts) and the address classes it relies on (core/keys/address.ts): every
 * trust level and every address class, then the key source against a real local server counting requests.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyHost, classifyUrl } from "../../../src/core/keys/address";
import { allowAll, cliPolicy, issuerOfDiscoveryUrl, panelPolicy } from "../../../src/core/keys/policy";
import { createKeySource } from "../../../src/core/keys/source";
import { HIDDEN_REDIRECT } from "../../../src/core/keys/http-get";
import type { Provider } from "../../../src/core/config/types";
import type { FetchDecision } from "../../../src/core/keys/types";
import { json, reply, startServer, type TestServer } from "./server";

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(() => srv.close());

const oidc = (domain: string, index = 0): Provider => ({ type: "oidc", domain, applicationID: "convex", index });
const customJwt = (issuer: string, jwks: string | null, index = 0): Provider => ({ type: "customJwt", issuer, jwks, algorithm: jwks ? "RS256" : null, index });
const disco = (iss: string) => `${iss.replace(/\/$/, "")}/.well-known/openid-configuration`;
const refused = (d: FetchDecision) => (d.ok ? null : d);

describe("address classes (URL as written; canonicalized by the WHATWG parser)", () => {
  it.each([
    ["http://127.0.0.1:3211/x", "loopback"],
    ["http://127.255.1.2/", "loopback"],
    ["http://2130706433/", "loopback"], // 127.0.0.1 as one number
    ["http://0x7f.1/", "loopback"],
    ["http://127.1/", "loopback"],
    ["http://0.0.0.0:8080/", "loopback"],
    ["http://[::1]:9000/jwks", "loopback"],
    ["http://[0:0:0:0:0:0:0:1]/", "loopback"],
    ["http://[::]/", "loopback"],
    ["http://[::ffff:127.0.0.1]/", "loopback"],
    ["http://localhost:8080", "loopback"],
    ["http://LOCALHOST./", "loopback"],
    ["http://app.localhost/", "loopback"],
    ["http://10.0.0.1/", "private"],
    ["http://10.255.255.255/", "private"],
    ["http://172.16.0.1/", "private"],
    ["http://172.31.255.254/", "private"],
    ["http://192.168.1.10/", "private"],
    ["http://100.100.100.100/", "private"],
    ["http://[fc00::1]/", "private"],
    ["http://[fd12:3456::1]/", "private"],
    ["http://[::ffff:10.1.2.3]/", "private"],
    ["http://[64:ff9b::c0a8:101]/", "private"], // NAT64 of 192.168.1.1
    ["http://printer.local/", "private"],
    ["http://db.internal/", "private"],
    ["http://router.home.arpa/", "private"],
    ["http://intranet/", "private"],
    ["http://224.0.0.1/", "private"],
    ["http://169.254.169.254/latest/meta-data", "link-local"],
    ["http://[fe80::1]/", "link-local"],
    ["http://[::ffff:169.254.169.254]/", "link-local"],
    ["https://example.com/jwks", "public"],
    ["https://localhost.evil.com/", "public"],
    ["http://172.32.0.1/", "public"],
    ["http://172.15.0.1/", "public"],
    ["http://11.0.0.1/", "public"],
    ["http://8.8.8.8/", "public"],
    ["http://[2001:4860:4860::8888]/", "public"],
  ])("%s is %s", (url, kind) => {
    const c = classifyUrl(url);
    expect(c?.kind).toBe(kind);
    expect(c?.why.length).toBeGreaterThan(5);
  });

  it("says that DNS is not checked for names", () => {
    expect(classifyHost("localtest.me")).toEqual({ kind: "public", why: expect.stringContaining("DNS is not checked") });
  });

  it("is null for anything but http(s)", () => {
    for (const u of ["ftp://127.0.0.1/", "file:///etc/passwd", "data:,x", "not a url", ""]) expect(classifyUrl(u)).toBeNull();
  });
});

describe("panel policy", () => {
  const never = new Set<string>();
  const page = "https://app.example.com/";

  describe("level (a): a pasted config", () => {
    const configured = [oidc("https://auth.example.com"), oidc("https://tenant.example.org/", 1), customJwt("https://api.workos.com/", "https://api.workos.com/sso/jwks/client_1", 2)];
    const p = panelPolicy({ configured, approvedOrigins: never, pageUrl: page });

    it("allows a configured issuer's discovery URL (after the backend's normalization), saying why", () => {
      for (const url of [disco("https://auth.example.com"), disco("https://tenant.example.org")]) {
        const d = p.allows(url, "discovery");
        expect(d).toEqual({ ok: true, why: "the discovery URL of an OIDC issuer in your config" });
      }
    });

    it("allows a configured customJwt jwks URL, and nothing else for jwks", () => {
      expect(p.allows("https://api.workos.com/sso/jwks/client_1", "jwks")).toEqual({ ok: true, why: "a JWKS URL you configured" });
      expect(p.allows("https://api.workos.com/sso/jwks/client_2", "jwks").ok).toBe(false);
    });

    it("refuses look-alikes and other issuers' discovery, offering consent for their origin", () => {
      for (const url of [
        disco("https://evil.example"),
        disco("https://api.workos.com"),
        disco("https://auth.example.com/sub"),
        "https://auth.example.com/",
      ]) {
        const d = refused(p.allows(url, "discovery"));
        expect(d, url).not.toBeNull();
        expect(d!.consent?.origin).toBe(new URL(url).origin);
        expect(d!.reason).toContain("click Fetch keys to allow");
      }
    });

    it("widens to a jwks_uri its discovery document names on the SAME origin only", () => {
      const q = panelPolicy({ configured, approvedOrigins: never, pageUrl: page });
      q.noteJwksUri?.("https://auth.example.com/keys", disco("https://auth.example.com"));
      q.noteJwksUri?.("https://keys.elsewhere.example/jwks", disco("https://auth.example.com"));
      expect(q.allows("https://auth.example.com/keys", "jwks")).toEqual({ ok: true, why: "the jwks_uri of a configured issuer, on its own origin" });
      const d = refused(q.allows("https://keys.elsewhere.example/jwks", "jwks"));
      expect(d?.consent).toEqual({ origin: "https://keys.elsewhere.example" });
      expect(d?.reason).toContain(`the discovery document ${disco("https://auth.example.com")} names it, on another origin`);
    });

    it("a discovery document of an issuer that is not configured widens nothing", () => {
      const q = panelPolicy({ configured, approvedOrigins: never, pageUrl: page });
      q.noteJwksUri?.("https://evil.example/keys", disco("https://evil.example"));
      expect(q.allows("https://evil.example/keys", "jwks").ok).toBe(false);
    });
  });

  describe("loopback and private-network targets", () => {
    const configured = [oidc("http://127.0.0.1:3211"), oidc("http://10.0.0.7", 1), oidc("http://localhost:4000", 2)];
    const loopDisco = disco("http://127.0.0.1:3211");

    it("need a click even when configured, while the page is not on loopback", () => {
      const p = panelPolicy({ configured, approvedOrigins: never, pageUrl: page });
      for (const [url, kind] of [[loopDisco, "loopback"], [disco("http://10.0.0.7"), "private-network"], [disco("http://localhost:4000"), "loopback"]] as const) {
        const d = refused(p.allows(url, "discovery"));
        expect(d, url).not.toBeNull();
        expect(d!.reason).toContain(`on a ${kind} address`);
        expect(d!.reason).toContain("the inspected page is not on loopback");
        expect(d!.consent).toEqual({ origin: new URL(url).origin });
      }
    });

    it("need a click when the page's address is not known", () => {
      const d = refused(panelPolicy({ configured, approvedOrigins: never, pageUrl: null }).allows(loopDisco, "discovery"));
      expect(d?.reason).toContain("the inspected page's address is not known");
    });

    it("a page on loopback allows loopback issuers of the pasted config, not private-network ones", () => {
      for (const pageUrl of ["http://127.0.0.1:5173/", "http://localhost:3000/app", "http://[::1]:8080/"]) {
        const p = panelPolicy({ configured, approvedOrigins: never, pageUrl });
        expect(p.allows(loopDisco, "discovery")).toEqual({ ok: true, why: expect.stringContaining("the inspected page is on loopback too") });
        expect(p.allows(disco("http://localhost:4000"), "discovery").ok).toBe(true);
        expect(p.allows(disco("http://10.0.0.7"), "discovery").ok).toBe(false);
      }
    });

    it("a page on a private network does not count as loopback", () => {
      expect(panelPolicy({ configured, approvedOrigins: never, pageUrl: "http://192.168.1.5/" }).allows(loopDisco, "discovery").ok).toBe(false);
    });

    it("a page on loopback does not make learned loopback providers trusted", () => {
      const p = panelPolicy({ configured: [], learned: configured, approvedOrigins: never, pageUrl: "http://127.0.0.1:5173/" });
      expect(p.allows(loopDisco, "discovery").ok).toBe(false);
    });
  });

  describe("level (c): what the page chose", () => {
    const learned = [oidc("http://127.0.0.1:9999"), customJwt("http://127.0.0.1:9999/cj", null, 1)];
    const p = panelPolicy({ configured: [], learned, approvedOrigins: never, pageUrl: "http://127.0.0.1:5173/" });

    it("a learned provider's discovery URL waits for a click, saying it was learned from the page", () => {
      const d = refused(p.allows(disco("http://127.0.0.1:9999"), "discovery"));
      expect(d?.reason).toBe(
        "its issuer was learned from the page (the deployment's NoAuthProvider text), not from your config; click Fetch keys to allow http://127.0.0.1:9999",
      );
      expect(d?.consent).toEqual({ origin: "http://127.0.0.1:9999" });
    });

    it("a token iss no config names waits for a click", () => {
      const d = refused(p.allows(disco("https://idp.example"), "discovery"));
      expect(d?.reason).toContain("the token's iss names it and no config you pasted does");
    });

    it("a learned discovery document's jwks_uri widens nothing", () => {
      p.noteJwksUri?.("http://127.0.0.1:9999/jwks", disco("http://127.0.0.1:9999"));
      expect(p.allows("http://127.0.0.1:9999/jwks", "jwks").ok).toBe(false);
    });

    it("non-http(s) URLs are refused with no consent to give", () => {
      for (const url of ["file:///etc/passwd", "ftp://127.0.0.1/", "javascript:alert(1)"]) {
        const d = refused(p.allows(url, "jwks"));
        expect(d?.consent).toBeUndefined();
        expect(d?.reason).toContain("is not an http(s) URL");
      }
    });
  });

  describe("level (b): a click on Fetch keys for one origin", () => {
    it("allows that origin (loopback and private included), live, and no other", () => {
      const approved = new Set<string>();
      const p = panelPolicy({ configured: [], learned: [oidc("http://127.0.0.1:9999")], approvedOrigins: approved, pageUrl: page });
      expect(p.allows(disco("http://127.0.0.1:9999"), "discovery").ok).toBe(false);
      approved.add("http://127.0.0.1:9999");
      expect(p.allows(disco("http://127.0.0.1:9999"), "discovery")).toEqual({ ok: true, why: "you clicked Fetch keys for http://127.0.0.1:9999" });
      // The jwks_uri on the same origin is covered; another port is another origin.
      expect(p.allows("http://127.0.0.1:9999/jwks", "jwks").ok).toBe(true);
      expect(p.allows("http://127.0.0.1:9998/jwks", "jwks").ok).toBe(false);
      expect(p.allows("https://127.0.0.1:9999/jwks", "jwks").ok).toBe(false);
    });
  });
});

describe("CLI policy", () => {
  const configured = [oidc("http://127.0.0.1:3211"), oidc("https://auth.example.com", 1), customJwt("http://10.0.0.7/cj", "http://10.0.0.7/jwks", 2)];
  const cli = (allowPrivateNetwork: boolean) => cliPolicy({ configured, namedUrls: ["http://192.168.0.9/override.json"], allowPrivateNetwork });

  it("fetches what the user named, wherever it is (config and --jwks)", () => {
    const p = cli(false);
    expect(p.allows(disco("http://127.0.0.1:3211"), "discovery").ok).toBe(true);
    expect(p.allows("http://10.0.0.7/jwks", "jwks")).toEqual({ ok: true, why: "a JWKS URL you configured" });
    expect(p.allows("http://192.168.0.9/override.json", "jwks").ok).toBe(true);
  });

  it("follows a public jwks_uri on another origin, as the backend does", () => {
    const p = cli(false);
    p.noteJwksUri?.("https://keys.example.net/jwks", disco("https://auth.example.com"));
    expect(p.allows("https://keys.example.net/jwks", "jwks").ok).toBe(true);
  });

  it("refuses a discovery jwks_uri to a private address it was not given, naming the flag", () => {
    const p = cli(false);
    for (const target of ["http://169.254.169.254/latest/meta-data", "http://127.0.0.1:6379/", "http://[::1]/keys", "http://10.1.1.1/jwks"]) {
      p.noteJwksUri?.(target, disco("https://auth.example.com"));
      const d = refused(p.allows(target, "jwks"));
      expect(d, target).not.toBeNull();
      expect(d!.reason).toContain(`the discovery document ${disco("https://auth.example.com")} names it`);
      expect(d!.reason).toContain("pass --allow-private-network to fetch it");
      expect(d!.consent).toBeUndefined();
    }
  });

  it("refuses a redirect hop to a private address too, unless it is a host the user named", () => {
    const d = refused(cli(false).allows("http://192.168.1.1/admin", "discovery"));
    expect(d?.reason).toContain("you did not name it");
    expect(cli(false).allows("http://127.0.0.1:3211/moved/.well-known/openid-configuration", "discovery")).toEqual({ ok: true, why: "on 127.0.0.1, the host you named" });
  });

  it("--allow-private-network allows them", () => {
    const p = cli(true);
    expect(p.allows("http://169.254.169.254/latest/meta-data", "jwks")).toEqual({ ok: true, why: expect.stringContaining("--allow-private-network") });
  });

  it("a jwks_uri on its issuer's own host is followed (same host name, any port)", () => {
    const p = cli(false);
    p.noteJwksUri?.("http://127.0.0.1:9000/keys", disco("http://127.0.0.1:3211"));
    expect(p.allows("http://127.0.0.1:9000/keys", "jwks")).toEqual({ ok: true, why: "on 127.0.0.1, the host of the issuer that named it" });
    // Another spelling of loopback is another host: refused.
    p.noteJwksUri?.("http://localhost:9000/keys", disco("http://127.0.0.1:3211"));
    expect(p.allows("http://localhost:9000/keys", "jwks").ok).toBe(false);
  });
});

describe("the key source under the policy, against a real server counting requests", () => {
  it("a learned issuer is not fetched (zero hits) until its origin is approved; then discovery and jwks_uri", async () => {
    const issuer = srv.url("/learned");
    srv.route("/learned/.well-known/openid-configuration", json({ issuer, jwks_uri: srv.url("/learned/keys") }));
    srv.route("/learned/keys", json({ keys: [] }));
    const approved = new Set<string>();
    const source = createKeySource({ fetch, policy: panelPolicy({ configured: [], learned: [oidc(issuer)], approvedOrigins: approved, pageUrl: "http://127.0.0.1:1/" }) });
    const r = await source.discover(issuer);
    expect(r).toMatchObject({ ok: false, failure: { kind: "policy", consent: { origin: srv.origin } } });
    expect(srv.hits("/learned/.well-known/openid-configuration")).toBe(0);
    approved.add(srv.origin);
    const d = await source.discover(issuer);
    expect(d.ok).toBe(true);
    expect((await source.jwks(srv.url("/learned/keys"), "oidc")).ok).toBe(true);
    expect(srv.hits("/learned/.well-known/openid-configuration")).toBe(1);
    expect(srv.hits("/learned/keys")).toBe(1);
  });

  it("a configured loopback issuer is fetched when the page is on loopback, with its same-origin jwks_uri", async () => {
    const issuer = srv.url("/cfg");
    srv.route("/cfg/.well-known/openid-configuration", json({ issuer, jwks_uri: srv.url("/cfg/keys") }));
    srv.route("/cfg/keys", json({ keys: [] }));
    const mk = (pageUrl: string) => createKeySource({ fetch, policy: panelPolicy({ configured: [oidc(issuer)], approvedOrigins: new Set(), pageUrl }) });
    expect((await mk("https://app.example.com/").discover(issuer)).ok).toBe(false);
    expect(srv.hits("/cfg/.well-known/openid-configuration")).toBe(0);
    const source = mk("http://127.0.0.1:5173/");
    const d = await source.discover(issuer);
    expect(d.ok).toBe(true);
    expect((await source.jwks(srv.url("/cfg/keys"), "oidc")).ok).toBe(true);
    expect(srv.hits("/cfg/keys")).toBe(1);
  });

  it("CLI: a jwks_uri to another loopback host name is not requested without --allow-private-network", async () => {
    const issuer = srv.url("/cli");
    // The same server, spelled as an IPv4-mapped IPv6 address: another host name, still loopback.
    const mapped = srv.origin.replace("127.0.0.1", "[::ffff:127.0.0.1]") + "/cli/keys";
    srv.route("/cli/.well-known/openid-configuration", json({ issuer, jwks_uri: mapped }));
    srv.route("/cli/keys", json({ keys: [] }));
    for (const allowPrivateNetwork of [false, true]) {
      const source = createKeySource({ fetch, policy: cliPolicy({ configured: [oidc(issuer)], allowPrivateNetwork }) });
      const d = await source.discover(issuer);
      expect(d.ok).toBe(true);
      const k = await source.jwks(d.ok ? d.value.jwks_uri : "", "oidc");
      if (allowPrivateNetwork) expect(k.ok).toBe(true);
      else {
        expect(k).toMatchObject({ ok: false, failure: { kind: "policy" } });
        expect(srv.hits("/cli/keys")).toBe(0);
      }
    }
    expect(srv.hits("/cli/keys")).toBe(1);
  });

  it("a redirect to a URL the policy refuses is not followed", async () => {
    const issuer = srv.url("/redir");
    srv.route("/redir/.well-known/openid-configuration", reply(302, { location: "http://10.9.9.9/doc" }, ""));
    const source = createKeySource({ fetch, policy: cliPolicy({ configured: [oidc(issuer)], allowPrivateNetwork: false }) });
    const r = await source.discover(issuer);
    expect(r).toMatchObject({ ok: false, failure: { kind: "policy", url: "http://10.9.9.9/doc" } });
    if (!r.ok) expect(r.failure.kind === "policy" && r.failure.reason).toContain("pass --allow-private-network");
    expect(srv.hits("/redir/.well-known/openid-configuration")).toBe(1);
  });
});

describe("a browser's hidden redirect", () => {
  it("is not followed: one request (the allowed one), then a policy refusal naming it", async () => {
    // What a browser's fetch gives for redirect: "manual" (Fetch spec: an opaque-redirect response, no Location).
    const calls: string[] = [];
    const browserFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      calls.push(`${String(input)} ${init?.redirect}`);
      return { type: "opaqueredirect", status: 0, url: "", headers: new Headers(), body: null } as unknown as Response;
    }) as typeof fetch;
    const issuer = "https://issuer.example";
    const policy = panelPolicy({ configured: [oidc(issuer)], approvedOrigins: new Set(), pageUrl: null });
    const r = await createKeySource({ fetch: browserFetch, policy }).discover(issuer);
    expect(r).toMatchObject({ ok: false, failure: { kind: "policy", url: disco(issuer), reason: HIDDEN_REDIRECT } });
    expect(calls).toEqual([`${disco(issuer)} manual`]);
  });
});

describe("allowAll (tests only) and issuerOfDiscoveryUrl", () => {
  it("allowAll allows any http(s) URL, nothing else", () => {
    expect(allowAll().allows("https://anything.example/x", "jwks").ok).toBe(true);
    expect(allowAll().allows("file:///etc/passwd", "jwks").ok).toBe(false);
  });
  it("recovers the normalized issuer", () => {
    expect(issuerOfDiscoveryUrl("https://a.example/t/.well-known/openid-configuration")).toBe("https://a.example/t");
    expect(issuerOfDiscoveryUrl("https://a.example/t/jwks")).toBe(null);
  });
});
