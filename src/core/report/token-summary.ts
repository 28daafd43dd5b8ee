import { isoSeconds } from "../session/summary";

/** `iss=… sub=… aud=… exp=…` for a token's claims: what the reports print instead of the token. */
const show = (v: unknown) => {
  const s = typeof v === "string" ? v : (JSON.stringify(v) ?? String(v));
  return s.length > 100 ? `${s.slice(0, 99)}…` : s;
};

export function tokenSummary(claims: Record<string, unknown> | null): string {
  if (!claims) return "unreadable token";
  const parts: string[] = [];
  for (const name of ["iss", "sub", "aud"]) if (Object.hasOwn(claims, name)) parts.push(`${name}=${show(claims[name])}`);
  for (const name of ["iat", "exp"]) {
    const v = claims[name];
    if (typeof v === "number" && Number.isFinite(v) && Object.hasOwn(claims, name)) parts.push(`${name}=${isoSeconds(v)}`);
  }
  return parts.join(" ") || "token without iss/sub";
}
