import { describe, expect, it } from "vitest";
import { parseAuthConfig } from "../../../src/core/config/parse";
import type { Provider } from "../../../src/core/config/types";
import { fixture } from "./read-fixture";

const oidc = (domain: string, applicationID: string, index = 0, envSources?: Provider["envSources"]): Provider =>
  envSources ? { type: "oidc", domain, applicationID, index, envSources } : { type: "oidc", domain, applicationID, index };
/** Where the fields came from: `domain` from ISSUER (and `applicationID` from `app`, when given). */
const fromEnv = (domain: string, app?: string): Provider["envSources"] => (app ? { domain: [domain], applicationID: [app] } : { domain: [domain] });
const env = { ISSUER: "https://issuer.example.com", APP: "convex" };

/** Parses and expects exactly one OIDC provider with no findings. */
function one(source: string, filename?: string, extraEnv: Record<string, string> = {}) {
  const r = parseAuthConfig(source, { filename, env: { ...env, ...extraEnv } });
  expect(r.findings).toEqual([]);
  expect(r.providers).toHaveLength(1);
  return r.providers[0];
}

describe("parseAuthConfig: supported syntax forms", () => {
  it("export default object literal", () => {
    expect(one(`export default { providers: [{ domain: "https://a.example.com", applicationID: "convex" }] };`)).toEqual(
      oidc("https://a.example.com", "convex"),
    );
  });

  it("a named const exported later", () => {
    const src = `const authConfig = { providers: [{ domain: process.env.ISSUER, applicationID: "convex" }] };\nexport default authConfig;`;
    expect(one(src)).toEqual(oidc("https://issuer.example.com", "convex", 0, fromEnv("ISSUER")));
  });

  it("export { x as default }", () => {
    expect(one(`const c = { providers: [{ domain: "a.example.com", applicationID: "x" }] };\nexport { c as default };`)).toEqual(
      oidc("https://a.example.com", "x"),
    );
  });

  it("module.exports, exports.default and module.exports.default in .js", () => {
    for (const lhs of ["module.exports", "exports.default", "module.exports.default"]) {
      expect(one(`${lhs} = { providers: [{ domain: process.env.ISSUER, applicationID: "convex" }] };`, "auth.config.js")).toEqual(
        oidc("https://issuer.example.com", "convex", 0, fromEnv("ISSUER")),
      );
    }
  });

  it("satisfies, as const, as T, <T>x and x!", () => {
    const src = `import type { AuthConfig } from "convex/server";
      const domain = <string>process.env.ISSUER!;
      const app = ("convex" as const);
      export default ({ providers: [{ domain, applicationID: app as string }] } as AuthConfig) satisfies AuthConfig;`;
    // Through a const: the provider still knows its domain came from ISSUER.
    expect(one(src)).toEqual(oidc("https://issuer.example.com", "convex", 0, fromEnv("ISSUER")));
  });

  it("process.env.X and process.env[\"X\"], and destructuring from process.env", () => {
    expect(one(`export default { providers: [{ domain: process.env["ISSUER"], applicationID: process.env.APP }] };`)).toEqual(
      oidc("https://issuer.example.com", "convex", 0, fromEnv("ISSUER", "APP")),
    );
    expect(one(`const { ISSUER, APP: app } = process.env;\nexport default { providers: [{ domain: ISSUER, applicationID: app }] };`)).toEqual(
      oidc("https://issuer.example.com", "convex", 0, fromEnv("ISSUER", "APP")),
    );
  });

  it("template literals, + concatenation, ?? and || defaults", () => {
    expect(one("export default { providers: [{ domain: `https://${process.env.HOST}/`, applicationID: 'a' + '-' + 1 }] };", undefined, { HOST: "h.example.com" })).toEqual(
      oidc("https://h.example.com/", "a-1", 0, fromEnv("HOST")),
    );
    expect(one(`export default { providers: [{ domain: process.env.ISSUER ?? "https://fallback.example.com", applicationID: "" || "convex" }] };`)).toEqual(
      oidc("https://issuer.example.com", "convex", 0, fromEnv("ISSUER")),
    );
    expect(one(`const d = undefined;\nexport default { providers: [{ domain: d ?? "https://f.example.com", applicationID: null || "c" }] };`)).toEqual(
      oidc("https://f.example.com", "c"),
    );
  });

  it("spread of arrays and objects; top-level const references", () => {
    const src = `const base = { applicationID: "convex" };
      const clerk = { ...base, domain: "https://clerk.example.com" };
      const more = [{ ...base, domain: "https://b.example.com" }];
      export default { providers: [clerk, ...more] };`;
    const r = parseAuthConfig(src);
    expect(r.findings).toEqual([]);
    expect(r.providers).toEqual([oidc("https://b.example.com", "convex", 1), oidc("https://clerk.example.com", "convex", 0)]);
  });

  it("JSON input: an object with providers, or a bare array", () => {
    const r = parseAuthConfig(fixture("providers.json"), { filename: "providers.json" });
    expect(r.source).toBe("json");
    expect(r.findings).toEqual([]);
    expect(r.providers.map((p) => p.type)).toEqual(["oidc", "customJwt"]);
    const bare = parseAuthConfig(`[{ "domain": "https://a.example.com", "applicationID": "x" }]`);
    expect(bare.source).toBe("json");
    expect(bare.providers).toEqual([oidc("https://a.example.com", "x")]);
  });

  it(".tsx-ish input parses with JSX enabled", () => {
    const src = `const el = <div />;\nexport default { providers: [{ domain: "https://a.example.com", applicationID: "x" }] };`;
    expect(one(src, "auth.config.tsx")).toEqual(oidc("https://a.example.com", "x"));
  });

  it("fixtures: Clerk (.ts), Convex Auth (.js, CommonJS)", () => {
    expect(one(fixture("clerk.auth.config.ts"), "auth.config.ts", { CLERK_JWT_ISSUER_DOMAIN: "https://verb-noun-00.clerk.accounts.dev" })).toEqual(
      oidc("https://verb-noun-00.clerk.accounts.dev", "convex", 0, fromEnv("CLERK_JWT_ISSUER_DOMAIN")),
    );
    expect(one(fixture("convex-auth.auth.config.js"), "auth.config.js", { CONVEX_SITE_URL: "https://happy-animal-123.convex.site" })).toEqual(
      oidc("https://happy-animal-123.convex.site", "convex", 0, fromEnv("CONVEX_SITE_URL")),
    );
  });

  it("an empty providers list is valid (no providers)", () => {
    expect(parseAuthConfig(`export default { providers: [] };`)).toEqual({ providers: [], findings: [], unresolvedEnv: [], source: "file" });
  });
});

describe("parseAuthConfig: unresolved process.env", () => {
  it("lists the names once, warns once, and keeps the provider with a placeholder", () => {
    const src = `export default { providers: [
      { domain: process.env.CLERK_ISSUER, applicationID: "convex" },
      { domain: process.env.CLERK_ISSUER + "/x", applicationID: process.env.APP_ID ?? "fallback" },
    ] };`;
    const r = parseAuthConfig(src, { env: {} });
    expect(r.unresolvedEnv).toEqual(["CLERK_ISSUER", "APP_ID"]);
    expect(r.findings.map((f) => f.id)).toEqual(["config-env-unresolved"]);
    expect(r.findings[0]?.severity).toBe("warning");
    expect(r.findings[0]?.message).toContain("process.env.CLERK_ISSUER, process.env.APP_ID");
    // A placeholder is truthy: like the backend, which never falls back for an unset variable (it fails the push).
    // Stored order compares the placeholder text ("$" sorts before "c").
    expect(r.providers).toEqual([
      {
        type: "oidc",
        domain: "${process.env.CLERK_ISSUER}/x",
        applicationID: "${process.env.APP_ID}",
        index: 1,
        unresolvedEnv: ["CLERK_ISSUER", "APP_ID"],
        envSources: { domain: ["CLERK_ISSUER"], applicationID: ["APP_ID"] },
      },
      {
        type: "oidc",
        domain: "${process.env.CLERK_ISSUER}",
        applicationID: "convex",
        index: 0,
        unresolvedEnv: ["CLERK_ISSUER"],
        envSources: { domain: ["CLERK_ISSUER"] },
      },
    ]);
  });

  it("CONVEX_SITE_URL is an env name like any other", () => {
    const r = parseAuthConfig(`export default { providers: [{ domain: process.env.CONVEX_SITE_URL, applicationID: "convex" }] };`);
    expect(r.unresolvedEnv).toEqual(["CONVEX_SITE_URL"]);
  });
});
