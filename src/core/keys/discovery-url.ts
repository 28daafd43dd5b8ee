/** Where the backend looks for an issuer's discovery document (reference §3.1 step 1). */

export const DISCOVERY_SUFFIX = ".well-known/openid-configuration";

/** `iss` + ("" if it ends with "/" else "/") + ".well-known/openid-configuration". Uses the token's `iss`. */
export function discoveryUrl(iss: string): string {
  return iss + (iss.endsWith("/") ? "" : "/") + DISCOVERY_SUFFIX;
}

/** The backend's issuer normalization for matching (reference §2.1): `https://` if no scheme, trailing `/` trimmed. */
export function normalizeIssuer(iss: string): string {
  const withScheme = iss.startsWith("https://") || iss.startsWith("http://") ? iss : `https://${iss}`;
  return withScheme.replace(/\/+$/, "");
}
