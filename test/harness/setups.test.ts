// No false alarms (issue 6.4), harness side: each recommended setup's token, as the vendor mints it, is accepted
// by the harness backend (its own jose validation) on that setup's deployment, and core — reading the vendor's
// auth.config text with the env values, fetching discovery and JWKS from the harness's issuers — predicts
// accepted with zero warnings and zero errors (the same engine as `check` and the panel).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAuthConfig } from "../../src/core/config/parse";
import { allowAll } from "../../src/core/keys/policy";
import { createKeySource } from "../../src/core/keys/source";
import { predictVerdict } from "../../src/core/verdict/predict";
import { startHarness, type Harness } from "./deployment.ts";
import { setupConfig, setupProviders, SETUP_SCENARIOS, setupOfHost, SETUP_SLUG } from "./setups.ts";
import { normalizeProvider, validateUserToken } from "./validate.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ hostNames: true, demo: false });
}, 30_000);
afterAll(() => h?.close());

const loud = (fs: { id: string; severity: string; message: string }[]) => fs.filter((f) => f.severity !== "info").map((f) => `${f.severity} ${f.id}: ${f.message}`);

describe("recommended setups (harness backend and core agree: accepted, no warning)", () => {
  for (const setup of SETUP_SCENARIOS) {
    it(setup, async () => {
      const token = (await h.tokenFor(setup))!;
      const stored = setupProviders(setup, h.issuers).map(normalizeProvider);
      const backend = await validateUserToken(token, stored, { fetch: h.fetch });
      if (!backend.ok) throw new Error(`the harness backend rejected ${setup}: ${JSON.stringify(backend)}`);

      const { text, env } = setupConfig(setup, h.issuers);
      const parsed = parseAuthConfig(text, { env, filename: setup === "good-convex-auth" ? "auth.config.js" : "auth.config.ts" });
      expect(loud(parsed.findings)).toEqual([]);
      expect(parsed.providers.length).toBe(stored.length);
      const keys = createKeySource({ fetch: h.fetch, policy: allowAll() });
      const v = await predictVerdict(token, parsed.providers, { now: Math.floor(Date.now() / 1000), keys });
      expect(loud(v.findings)).toEqual([]);
      expect(v.verdict).toBe("accepted");
      expect(v.identity?.tokenIdentifier).toBe(backend.identity.tokenIdentifier);
    });
  }

  it("each setup has its own deployment name; other hosts keep the demo's providers", () => {
    for (const s of SETUP_SCENARIOS) expect(setupOfHost(`${SETUP_SLUG[s]}.convex.cloud:1234`)).toBe(s);
    expect(setupOfHost("happy-otter-123.convex.cloud:1234")).toBeNull();
    expect(setupOfHost("127.0.0.1:1234")).toBeNull();
  });
});
