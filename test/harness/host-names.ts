// The real-looking host names the harness can answer as (Clerk, WorkOS, Auth0, convex.cloud deployments and their
// convex.site twin, which the hook tests' server answers as), all served by local servers. Every client that uses them must resolve them to 127.0.0.1: Chromium through
// CHROMIUM_HOST_RULES, the harness's own Node fetch through localNameLookup. Nothing else is remapped.
import { makeSelfSignedCert, type HarnessTls } from "./tls-cert.ts";

/** A Clerk development instance's Frontend API host (`<verb-noun-00>.clerk.accounts.dev`). */
export const CLERK_HOST = "fine-gull-12.clerk.accounts.dev";
/** Another Clerk instance: a token from it matches no provider (the `wrong-issuer` scenario). */
export const OTHER_CLERK_HOST = "keen-wombat-77.clerk.accounts.dev";
export const WORKOS_HOST = "api.workos.com";
/** An Auth0 tenant's domain (the `good-auth0` setup). */
export const AUTH0_HOST = "dev-harness.us.auth0.com";
export const DEPLOYMENT_HOST = "happy-otter-123.convex.cloud";

/** Patterns of the names mapped to 127.0.0.1 (`*.` = any subdomain, one or more labels). */
const MAPPED = ["*.clerk.accounts.dev", WORKOS_HOST, "*.us.auth0.com", "*.convex.cloud", "*.convex.site"] as const;

/** Chromium's `--host-resolver-rules` value for exactly the names above. */
export const CHROMIUM_HOST_RULES = MAPPED.map((p) => `MAP ${p} 127.0.0.1`).join(", ");

/** True when `hostname` (no port) is one of the names this harness answers as. */
export function isLocalName(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, "");
  return MAPPED.some((p) => (p.startsWith("*.") ? h.endsWith(p.slice(1)) && h.length > p.length - 1 : h === p));
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | { address: string; family: number }[], family?: number) => void;

/**
 * A `lookup` for node:net / node:http that answers 127.0.0.1 for the mapped names and refuses every other
 * name (the caller only uses it for mapped names; refusing makes a mistake loud instead of a real DNS query).
 */
export function localNameLookup(hostname: string, options: { all?: boolean } | number, callback: LookupCallback): void {
  if (!isLocalName(hostname)) {
    const err: NodeJS.ErrnoException = new Error(`the harness resolves only its own names, not ${hostname}`);
    err.code = "ENOTFOUND";
    callback(err, []);
    return;
  }
  if (typeof options === "object" && options.all) callback(null, [{ address: "127.0.0.1", family: 4 }]);
  else callback(null, "127.0.0.1", 4);
}

let tls: HarnessTls | null = null;

/**
 * The process's TLS identity for the mapped names, made on first use. One per process, so the Chromium flags
 * (support/chromium.ts) and every harness started in the same process agree on the key Chromium trusts.
 */
export function harnessTls(): HarnessTls {
  tls ??= makeSelfSignedCert(MAPPED.map((p) => p));
  return tls;
}
