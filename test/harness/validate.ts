// The harness's own token validation, written from reference convex-backend-auth.md §0–§4 with jose.
// It deliberately shares no code with src/: end-to-end tests compare two independent implementations.
import { fail, MSG, type AuthFailure } from "./auth-errors.ts";
import type { JsonObject } from "./identity.ts";
import { audiences, b64urlJson, isObject, issuerMatches } from "./jwt-parts.ts";
import { verifyCustomJwt } from "./verify-custom-jwt.ts";
import { verifyOidc } from "./verify-oidc.ts";

export { MSG, type AuthFailure, type ErrorClass } from "./auth-errors.ts";

/** One `_auth` row, as stored (domain/issuer already carry a scheme, see normalizeProvider). */
export type HarnessProvider =
  | { type?: "oidc"; domain: string; applicationID: string }
  | { type: "customJwt"; issuer: string; jwks: string; algorithm: "RS256" | "ES256"; applicationID?: string | null };

export type AuthSuccess = {
  ok: true;
  identity: JsonObject;
  /** `exp` in seconds: the session rejects the identity once now >= exp (§5.1). */
  exp: number;
  providerIndex: number;
};

export type ValidateOptions = {
  /** Current time in ms. */
  now?: () => number;
  /** Prod-style redacted messages (§4.1 "Dev vs prod"). */
  redact?: boolean;
  fetch?: typeof fetch;
};

/** Stored form of a provider: `https://` prepended when the value has no `\w+://` scheme (§1.5). */
export function normalizeProvider(p: HarnessProvider): HarnessProvider {
  const withScheme = (v: string) => (/^\w+:\/\//.test(v) ? v : `https://${v}`);
  if (p.type === "customJwt") return { ...p, issuer: withScheme(p.issuer) };
  return { ...p, domain: withScheme(p.domain) };
}

/** The dev NoAuthProvider list item (§4.1). */
export function describeProvider(p: HarnessProvider): string {
  if (p.type === "customJwt") return `CustomJWT(issuer=${p.issuer}, app_id=${p.applicationID ?? "none"})`;
  return `OIDC(domain=${p.domain}, app_id=${p.applicationID})`;
}

// ---- step 1: payload parse without verification --------------------------------------------------

/** Registered claims with the types biscuit requires; null counts as absent (serde Option). */
function parsePayload(token: string): JsonObject | null {
  let payload: unknown;
  try {
    payload = b64urlJson(token.split(".")[1]);
  } catch {
    return null;
  }
  if (!isObject(payload)) return null;
  for (const k of ["iss", "sub", "jti"]) {
    const v = payload[k];
    if (v != null && typeof v !== "string") return null;
  }
  const aud = payload.aud;
  if (aud != null && typeof aud !== "string" && !(Array.isArray(aud) && aud.every((a) => typeof a === "string"))) return null;
  for (const k of ["exp", "nbf", "iat"]) {
    const v = payload[k];
    if (v != null && !(typeof v === "number" && v >= 0)) return null;
  }
  return payload;
}

// ---- step 3: matching (§2.1) ----------------------------------------------------------------------

function matches(p: HarnessProvider, aud: string[], iss: string): boolean {
  const appId = p.applicationID ?? null;
  if (appId !== null && !aud.includes(appId)) return false;
  return issuerMatches(p.type === "customJwt" ? p.issuer : p.domain, iss);
}

// ---- entry point ----------------------------------------------------------------------------------

/** validate_id_token: the first failure wins; no fall-through to a later provider. */
export async function validateUserToken(
  token: string,
  providers: HarnessProvider[],
  opts: ValidateOptions = {},
): Promise<AuthSuccess | AuthFailure> {
  const nowMs = (opts.now ?? Date.now)();
  const doFetch = opts.fetch ?? fetch;
  const payload = parsePayload(token);
  if (!payload) return fail("Unauthenticated", "InvalidAuthHeader", MSG.parse);
  const iss = payload.iss;
  if (typeof iss !== "string") return fail("Unauthenticated", "InvalidAuthHeader", MSG.noIss);
  const aud = audiences(payload);
  const index = providers.findIndex((p) => matches(p, aud, iss));
  if (index < 0) {
    if (opts.redact) return fail("Unauthenticated", "NoAuthProvider", MSG.noProviderRedacted);
    if (providers.length === 0) return fail("Unauthenticated", "NoAuthProvider", MSG.noProviderNone);
    return fail("Unauthenticated", "NoAuthProvider", `${MSG.noProviderList}[${providers.map(describeProvider).join(", ")}]`);
  }
  const provider = providers[index]!;
  const result =
    provider.type === "customJwt"
      ? await verifyCustomJwt(token, payload, provider, nowMs, doFetch, opts.redact ?? false)
      : await verifyOidc(token, payload, iss, provider.applicationID, nowMs, doFetch);
  if (!result.ok) return result;
  return { ok: true, identity: result.identity, exp: Number(payload.exp), providerIndex: index };
}
