/**
 * Known helper calls in auth.config files, expanded to the providers they return
 * (reference/auth-config-helpers.md): Better Auth `getAuthConfigProvider(opts?)` and WorkOS AuthKit
 * `authKit.getAuthConfigProviders()`.
 */
import { bytesToBase64 } from "../token/base64url";
import { hasUnresolvedEnv } from "./env";

/** Resolves `process.env.NAME` (value or placeholder) and records its use. */
export type EnvLookup = (name: string) => string;

/** Better Auth's `createPublicJwks`: public keys of its JWKS table rows (kid = row id, alg = row alg or EdDSA). */
export function betterAuthPublicJwks(rowsJson: string): { keys: Record<string, unknown>[] } {
  const rows: unknown = JSON.parse(rowsJson);
  if (!Array.isArray(rows)) throw new Error("the JWKS value is JSON but not an array of Better Auth JWKS rows");
  return {
    keys: rows.map((row, i) => {
      if (typeof row !== "object" || row === null) throw new Error(`JWKS row ${i} is not an object`);
      const r = row as Record<string, unknown>;
      if (typeof r.publicKey !== "string") throw new Error(`JWKS row ${i} has no publicKey string`);
      const pub: unknown = JSON.parse(r.publicKey);
      // Same key order as the helper, so the data URL is byte-identical to the one it builds.
      const key: Record<string, unknown> = { alg: r.alg ?? "EdDSA", crv: r.crv ?? undefined };
      Object.assign(key, pub as object, { kid: r.id });
      return JSON.parse(JSON.stringify(key)) as Record<string, unknown>;
    }),
  };
}

/** `getAuthConfigProvider(opts?)` from `@convex-dev/better-auth/auth-config`. */
export function betterAuthProvider(
  opts: { basePath?: unknown; jwks?: unknown } | undefined,
  env: EnvLookup,
): Record<string, unknown> {
  const site = env("CONVEX_SITE_URL");
  const basePath = opts?.basePath ?? "/api/auth";
  let jwks: string;
  if (opts?.jwks) {
    const value = String(opts.jwks);
    if (hasUnresolvedEnv(value)) {
      // The rows are not known: keep the placeholder inside the data URL so the provider is still shown.
      jwks = `data:text/plain;charset=utf-8;base64,${value}`;
    } else {
      let publicJwks: { keys: Record<string, unknown>[] };
      try {
        publicJwks = betterAuthPublicJwks(value);
      } catch (e) {
        throw new Error(
          `getAuthConfigProvider({ jwks }) cannot read the JWKS value (${e instanceof Error ? e.message : String(e)}); it must be the JSON string of Better Auth JWKS rows`,
        );
      }
      jwks = `data:text/plain;charset=utf-8;base64,${bytesToBase64(new TextEncoder().encode(JSON.stringify(publicJwks)))}`;
    }
  } else {
    jwks = `${site}${String(basePath)}/convex/jwks`;
  }
  return { type: "customJwt", issuer: `${site}`, applicationID: "convex", algorithm: "RS256", jwks };
}

/** What `new AuthKit(component, options)` keeps that matters for the providers. */
export interface AuthKitOptions {
  clientId?: unknown;
  apiHostname?: unknown;
}

/** `authKit.getAuthConfigProviders()` from `@convex-dev/workos-authkit`: two customJwt providers. */
export function workosProviders(opts: AuthKitOptions, env: EnvLookup): Record<string, unknown>[] {
  const clientId = opts.clientId !== undefined && opts.clientId !== null ? String(opts.clientId) : env("WORKOS_CLIENT_ID");
  const host = opts.apiHostname !== undefined && opts.apiHostname !== null ? String(opts.apiHostname) : "api.workos.com";
  const base = `https://${host}`;
  const jwks = `https://api.workos.com/sso/jwks/${clientId}`;
  return [
    { type: "customJwt", issuer: `${base}/`, algorithm: "RS256", jwks, applicationID: clientId },
    { type: "customJwt", issuer: `${base}/user_management/${clientId}`, algorithm: "RS256", jwks },
  ];
}
