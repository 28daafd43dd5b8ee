/**
 * Redaction of credentials for display and export: JWT signatures removed, admin keys masked,
 * anything else opaque replaced by its length.
 */
import { looksLikeAdminKey } from "./kind";

/** Put where a JWT signature was: not base64url, so the result can never be replayed as a token. */
export const SIGNATURE_REMOVED = "[signature-removed]";
/** Put after a JWE's protected header, where its other four parts were. */
export const ENCRYPTED_PARTS_REMOVED = "[encrypted-parts-removed]";
/** Put where an admin key's secret part was. */
export const SECRET_MASKED = "[masked]";

/**
 * A token safe to show and export. JWT: `header.payload.[signature-removed]` (the claims stay readable);
 * JWE: the protected header only; admin key: masked; anything else: its length only.
 */
export function redactToken(raw: string): string {
  const t = typeof raw === "string" ? raw.trim() : "";
  if (t.length === 0) return "";
  if (looksLikeAdminKey(t)) return maskAdminKey(t);
  const parts = t.split(".", 6); // the limit: a hostile value may have a million dots
  if (parts.length === 3 && /^[A-Za-z0-9_-]+=*$/.test(parts[0] ?? "") && /^[A-Za-z0-9_=-]*$/.test(parts[1] ?? "")) {
    return `${parts[0]}.${parts[1]}.${SIGNATURE_REMOVED}`;
  }
  if (parts.length === 5 && /^[A-Za-z0-9_-]+=*$/.test(parts[0] ?? "")) {
    return `${parts[0]}.${ENCRYPTED_PARTS_REMOVED}`;
  }
  return `[redacted ${t.length}-character value]`;
}

/**
 * Equality key for a token across frames without keeping it: length plus the last 7 characters,
 * as convex-js logs tokens (`...${token.slice(-7)}`). Short values give their length only.
 */
export function fingerprintToken(raw: string): string {
  const t = typeof raw === "string" ? raw.trim() : "";
  if (t.length < 16) return `${t.length}:`;
  return `${t.length}:...${t.slice(-7)}`;
}

/**
 * Masks an admin/deploy key, keeping only the deployment prefix before `|` (`prod:happy-animal-123|`),
 * which names the deployment and is not secret. Everything else is replaced.
 */
export function maskAdminKey(key: string): string {
  const k = typeof key === "string" ? key.trim() : "";
  if (k.length === 0) return "";
  const bar = k.indexOf("|");
  if (bar > 0 && bar <= 100) {
    const prefix = k.slice(0, bar);
    if (/^[A-Za-z0-9_.:-]+$/.test(prefix)) return `${prefix}|${SECRET_MASKED}`;
  }
  return SECRET_MASKED;
}

/**
 * Redacts an `Authorization` header value: `Bearer <jwt>` keeps the claims, `Convex <admin key>` is
 * masked, any other scheme keeps only its (bounded) name.
 */
export function redactAuthorization(headerValue: string): string {
  const v = typeof headerValue === "string" ? headerValue.trim() : "";
  if (v.length === 0) return "";
  const m = /^(\S{1,32})\s+([\s\S]*)$/.exec(v);
  if (!m) return redactToken(v);
  const scheme = m[1] ?? "";
  const rest = (m[2] ?? "").trim();
  if (/^bearer$/i.test(scheme)) return `${scheme} ${redactToken(rest)}`;
  if (/^convex$/i.test(scheme)) return `${scheme} ${maskAdminKey(rest)}`;
  return `${scheme} [redacted ${rest.length}-character value]`;
}
