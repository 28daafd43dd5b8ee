/**
 * Recognising token-shaped strings that are not user JWTs, so a message can say what the value looks like
 * instead of just "not a JWT".
 */

// Cloud admin / deploy keys: `prod:happy-animal-123|eyJ2…`, `dev:…|…`, `preview:…|…`, `project:…|…`.
const CLOUD_ADMIN_KEY = /^(?:prod|dev|preview|project):[A-Za-z0-9_.-]+\|[A-Za-z0-9+/=_-]{16,}$/;
// Self-hosted admin keys: `<instance-name>|<hex>`.
const SELF_HOSTED_ADMIN_KEY = /^[A-Za-z0-9_-]+\|[0-9a-fA-F]{32,}$/;

/** True when `value` looks like a Convex admin or deploy key (never a user token). */
export function looksLikeAdminKey(value: string): boolean {
  const v = value.trim();
  if (v.length > 4096) return false;
  return CLOUD_ADMIN_KEY.test(v) || SELF_HOSTED_ADMIN_KEY.test(v);
}

/** True when the string holds control characters or U+FFFD: binary data pasted as text. */
export function looksBinary(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000e-\u001f\u007f\ufffd]/.test(value);
}

/**
 * One phrase saying what a non-JWT value looks like, e.g. "a 40-character opaque string, not a JWT".
 * Never echoes the value itself (it may be a credential).
 */
export function describeOpaque(value: string): string {
  const n = value.length;
  const chars = `${n}-character`;
  if (looksBinary(value)) return `binary data (${n} characters), not a JWT`;
  if (looksLikeAdminKey(value)) return `a Convex admin key (${chars}), not a user JWT: admin keys go in \`Authorization: Convex …\`, never in setAuth`;
  if (n >= 16 && /^[0-9a-fA-F]+$/.test(value)) return `a ${chars} hex string, not a JWT`;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) return "a UUID, not a JWT";
  if (/^\s*[{[]/.test(value)) return `JSON text (${n} characters), not an encoded JWT`;
  if (/\s/.test(value)) return `text with spaces (${n} characters), not a JWT`;
  let parts = 1; // counted, not split: a hostile value may have a million dots
  for (let i = value.indexOf("."); i !== -1; i = value.indexOf(".", i + 1)) parts++;
  if (parts === 2 || parts === 4) return `a ${chars} string with ${parts} dot-separated parts, not a JWT (a JWT has 3)`;
  if (parts === 3) return `a ${chars} string with 3 dot-separated parts that are not base64url, not a JWT`;
  if (parts > 5) return `a ${chars} string with ${parts} dot-separated parts, not a JWT (a JWT has 3)`;
  return `a ${chars} opaque string, not a JWT`;
}
