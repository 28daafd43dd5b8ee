import { describe, expect, it } from "vitest";
import { parseAuthConfig } from "../../../src/core/config/parse";
import type { FindingId } from "../../../src/core/rules/types";

const PREFIX = "auth config file must include a list of provider credentials: ";
const jwt = (extra: string) =>
  `{ type: "customJwt", issuer: "https://i.example.com", jwks: "https://i.example.com/jwks", algorithm: "RS256", applicationID: "app", ${extra} }`;

/** Parses `export default { providers: [entries] }` and returns ids, findings and providers. */
function check(entries: string, env: Record<string, string> = {}) {
  const r = parseAuthConfig(`export default { providers: [${entries}] };`, { env });
  return { ...r, ids: r.findings.map((f) => f.id) as FindingId[] };
}

describe("config findings (push-time rules, reference §1.5)", () => {
  it("config-application-id-casing, both spellings, with the backend's text", () => {
    for (const key of ["applicationId", "applicationid"]) {
      const r = check(`{ domain: "https://a.example.com", ${key}: "convex" }`);
      expect(r.ids).toEqual(["config-application-id-casing"]);
      expect(r.findings[0]?.severity).toBe("error");
      expect(r.findings[0]?.message).toContain(
        `${PREFIX}Provider at index 0 must have applicationID property spelled lowercase 'application', capital I, capital D.`,
      );
      expect(r.providers).toEqual([]);
    }
  });

  it("config-domain-and-issuer: OIDC with issuer, customJwt with domain", () => {
    const a = check(`{ domain: "https://a.example.com", issuer: "https://a.example.com", applicationID: "x" }`);
    expect(a.ids).toEqual(["config-domain-and-issuer"]);
    expect(a.findings[0]?.message).toContain(`${PREFIX}Provider at index 0 is oidc so cannot have an 'issuer' specified.`);
    const b = check(jwt(`domain: "https://a.example.com"`));
    expect(b.ids).toEqual(["config-domain-and-issuer"]);
    expect(b.findings[0]?.message).toContain(`${PREFIX}Provider at index 0 is a customJwt so cannot have a 'domain' specified`);
    expect(b.providers).toEqual([]);
  });

  it("config-bad-type: anything but customJwt / oidc, and explicit oidc is fine", () => {
    const r = check(`{ type: "jwt", issuer: "https://a.example.com", jwks: "x", algorithm: "RS256" }`);
    expect(r.ids).toEqual(["config-bad-type"]);
    expect(r.findings[0]?.message).toContain(`${PREFIX}Provider at index 0 has unexpected 'type' value 'jwt'`);
    expect(r.findings[0]?.evidence).toEqual({ provider: 0, value: "jwt" });
    const ok = check(`{ type: "oidc", domain: "https://a.example.com", applicationID: "x" }`);
    expect(ok.ids).toEqual([]);
    expect(ok.providers).toEqual([{ type: "oidc", domain: "https://a.example.com", applicationID: "x", index: 0 }]);
  });

  it("config-bad-algorithm: case-sensitive RS256/ES256 only; missing algorithm too", () => {
    const lower = check(jwt(`algorithm: "rs256"`));
    expect(lower.ids).toEqual(["config-bad-algorithm"]);
    expect(lower.findings[0]?.message).toContain('write "RS256"');
    expect(lower.findings[0]?.message).toContain(`${PREFIX}unknown variant \`rs256\`, expected \`RS256\` or \`ES256\``);
    expect(check(jwt(`algorithm: "EdDSA"`)).findings[0]?.message).toContain("EdDSA is accepted only for OIDC");
    expect(check(jwt(`algorithm: "PS256"`)).ids).toEqual(["config-bad-algorithm"]);
    const missing = check(`{ type: "customJwt", issuer: "https://i.example.com", jwks: "https://j", applicationID: "a" }`);
    expect(missing.findings[0]?.message).toContain("missing field `algorithm`");
    expect(check(jwt(`algorithm: "ES256"`)).ids).toEqual([]);
  });

  it("config-invalid-url: the four backend texts", () => {
    const cases: Array<[string, string]> = [
      [`"\\"https://a.example.com\\""`, `Invalid provider domain URL "\\"https://a.example.com\\"": starts with a double quote (")`],
      [`"ftp://a.example.com"`, `Invalid provider domain URL "ftp://a.example.com": scheme should be http or https`],
      [`"https://exa mple.com"`, `Invalid provider domain URL "https://exa mple.com": invalid domain character`],
      [`"https://a.example.com:99999"`, `Invalid provider domain URL "https://a.example.com:99999": invalid port number`],
      [`"foobar123"`, `Invalid provider domain URL "foobar123": Does not look like a URL (must have a scheme or end with a top-level domain)`],
      [`"idont.looklikeadomain"`, `Invalid provider domain URL "idont.looklikeadomain": Does not look like a URL`],
      [`"127.0.0.1:3211"`, `Invalid provider domain URL "127.0.0.1:3211": Does not look like a URL`],
    ];
    for (const [value, text] of cases) {
      const r = check(`{ domain: ${value}, applicationID: "x" }`);
      expect(r.ids, value).toEqual(["config-invalid-url"]);
      expect(r.findings[0]?.message.replace(/\\"/g, '"'), value).toContain(text.replace(/\\"/g, '"'));
      expect(r.providers).toEqual([]);
    }
    // customJwt issuer goes through the same rules.
    expect(check(jwt(`issuer: "not a url"`)).ids).toEqual(["config-invalid-url"]);
  });

  it("scheme-less values get https:// prepended; http:// and localhost are accepted", () => {
    const r = check(
      `{ domain: "auth0.example.com", applicationID: "a" }, { domain: "localhost:3000", applicationID: "b" }, { domain: "http://127.0.0.1:3211", applicationID: "c" }`,
    );
    expect(r.ids).toEqual([]);
    expect(r.providers.map((p) => p.type === "oidc" && p.domain)).toEqual([
      "https://auth0.example.com",
      "https://localhost:3000",
      "http://127.0.0.1:3211",
    ]);
  });

  it("config-shared-issuer-no-aud: raw https://api.workos.com(/) without applicationID", () => {
    for (const iss of ["https://api.workos.com/", "https://api.workos.com"]) {
      const r = check(`{ type: "customJwt", issuer: "${iss}", jwks: "https://api.workos.com/sso/jwks/c", algorithm: "RS256" }`);
      expect(r.ids).toEqual(["config-shared-issuer-no-aud"]);
      expect(r.findings[0]?.message).toContain(
        "This auth configuration appears potentially insecure: Provider at index 0 has an issuer that is shared among many applications, so must to specify an ApplicationID to check against an `aud` field of a JWT.",
      );
      expect(r.providers).toEqual([]);
    }
    // Only the exact raw values: a user_management issuer without applicationID is allowed (with a warning).
    const um = check(`{ type: "customJwt", issuer: "https://api.workos.com/user_management/c", jwks: "https://j.example.com", algorithm: "RS256" }`);
    expect(um.ids).toEqual(["config-no-application-id"]);
  });

  it("config-no-application-id: an info for an issuer that may be this app's alone; the provider is kept", () => {
    const r = check(`{ type: "customJwt", issuer: "https://i.example.com", jwks: "https://i.example.com/jwks", algorithm: "ES256", applicationID: null }`);
    expect(r.ids).toEqual(["config-no-application-id"]);
    expect(r.findings[0]?.severity).toBe("info");
    expect(r.findings[0]?.message).toContain("fine as long as this issuer signs tokens for this app alone");
    expect(r.providers).toEqual([
      { type: "customJwt", issuer: "https://i.example.com", jwks: "https://i.example.com/jwks", algorithm: "ES256", index: 0 },
    ]);
  });

  it("config-no-application-id: a warning only where the issuer is shared by many applications", () => {
    const cases: [string, "warning" | "info", RegExp][] = [
      ["https://api.workos.com/sso", "warning", /every WorkOS application/],
      ["https://accounts.google.com", "warning", /every Google OAuth client/],
      ["https://tenant.eu.auth0.com/", "warning", /every application in the tenant/],
      ["https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc", "warning", /every app client/],
      ["https://login.microsoftonline.com/common/v2.0", "warning", /multi-tenant Microsoft/],
      ["https://api.workos.com/user_management/client_01ABC", "info", /already specific to one client/],
      ["https://auth.example.com/user_management/client_X", "info", /already specific to one client/],
      ["https://happy-animal-123.convex.site", "info", /this app alone/],
    ];
    for (const [issuer, severity, message] of cases) {
      const r = check(`{ type: "customJwt", issuer: "${issuer}", jwks: "https://j.example.com/jwks", algorithm: "RS256" }`);
      expect(r.findings.map((f) => [f.id, f.severity]), issuer).toEqual([["config-no-application-id", severity]]);
      expect(r.findings[0]?.message, issuer).toMatch(message);
    }
  });

  it("config-env-unresolved: one warning listing the names", () => {
    const r = check(`{ domain: process.env.A_DOMAIN, applicationID: process.env.B_APP }`);
    expect(r.ids).toEqual(["config-env-unresolved"]);
    expect(r.findings[0]?.message).toContain("process.env.A_DOMAIN, process.env.B_APP");
  });

  it("config-unreadable: missing required fields, no providers key, non-object entries", () => {
    const oidcMissing = check(`{ domain: "https://a.example.com" }`);
    expect(oidcMissing.ids).toEqual(["config-unreadable"]);
    expect(oidcMissing.findings[0]?.message).toContain(`${PREFIX}data did not match any variant of untagged enum SerializedAuthInfo`);
    expect(oidcMissing.findings[0]?.evidence).toEqual({ provider: 0, claim: "applicationID" });
    const jwksMissing = check(`{ type: "customJwt", issuer: "https://i.example.com", algorithm: "RS256", applicationID: "a" }`);
    expect(jwksMissing.findings[0]?.message).toContain(`${PREFIX}missing field \`jwks\``);
    expect(check(`"https://a.example.com"`).ids).toEqual(["config-unreadable"]);
    const noProviders = parseAuthConfig(`export default { provider: [] };`);
    expect(noProviders.findings.map((f) => f.message)).toEqual([`auth.config.ts: ${PREFIX}missing field \`providers\``]);
  });

  it("a bad provider is dropped but the good ones stay, each finding pointing at its file index", () => {
    const r = check(`{ domain: "https://ok.example.com", applicationID: "a" }, { domain: "https://b.example.com", applicationId: "b" }`);
    expect(r.providers).toEqual([{ type: "oidc", domain: "https://ok.example.com", applicationID: "a", index: 0 }]);
    expect(r.findings[0]?.evidence?.provider).toBe(1);
  });
});

describe("config-unreadable: one-line located messages", () => {
  it("a syntax error gives file:line:column", () => {
    const src = `export default {\n  providers: [\n    { domain: "https://a.example.com" applicationID: "x" },\n  ],\n};\n`;
    const r = parseAuthConfig(src, { filename: "auth.config.ts" });
    expect(r.providers).toEqual([]);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]?.id).toBe("config-unreadable");
    expect(r.findings[0]?.message).toBe('auth.config.ts:3:39: Unexpected token, expected ","');
    expect(r.findings[0]?.message).not.toContain("\n");
  });

  it("an unknown helper call gives file:line:column and names it", () => {
    const src = `import { clerkProvider } from "some-lib";\n\nexport default {\n  providers: [clerkProvider({ x: 1 })],\n};\n`;
    const r = parseAuthConfig(src, { filename: "convex/auth.config.ts" });
    expect(r.findings.map((f) => f.id)).toEqual(["config-unreadable"]);
    expect(r.findings[0]?.message).toMatch(/^convex\/auth\.config\.ts:4:15: unknown call `clerkProvider\(…\)`/);
  });

  it("no default export, an imported value, a function default export", () => {
    expect(parseAuthConfig(`const x = 1;`).findings[0]?.message).toBe(
      "auth.config.ts: auth config file is missing default export. To learn more, see the auth documentation at https://docs.convex.dev/auth.",
    );
    expect(parseAuthConfig(`import { providers } from "./p";\nexport default { providers };`).findings[0]?.message).toMatch(
      /^auth\.config\.ts:2:18: `providers` is imported from "\.\/p"/,
    );
    expect(parseAuthConfig(`export default function () { return {}; }`).findings[0]?.message).toMatch(/^auth\.config\.ts:1:16: the default export is a function/);
    expect(parseAuthConfig(`const a = b;\nexport default { providers: [a] };`).findings[0]?.message).toBe(
      "auth.config.ts:1:11: `b` is not defined at the top level of the file",
    );
  });

  it("bad JSON is located too, and huge input is refused without parsing", () => {
    expect(parseAuthConfig(`{\n  "providers": [\n    { "domain" "x" }\n  ]\n}`, { filename: "c.json" }).findings[0]?.message).toBe(
      "c.json:3:16: Unexpected token",
    );
    const huge = parseAuthConfig("export default {};" + " ".repeat(2_000_000));
    expect(huge.findings[0]?.message).toContain("characters; an auth config is expected to be under");
  });
});
