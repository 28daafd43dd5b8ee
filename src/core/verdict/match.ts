/**
 * Provider matching exactly as `AuthInfo::matches_token` (reference §2.1), and an explanation of the nearest
 * miss for `iss-mismatch`.
 */
import type { Provider } from "../config/types";

/** The issuer string a provider is compared with (`domain` or `issuer`, as stored). */
export function providerIssuer(p: Provider): string {
  return p.type === "oidc" ? p.domain : p.issuer;
}

/** The provider's application ID, if any (always set for OIDC). */
export function providerApplicationId(p: Provider): string | undefined {
  return p.applicationID;
}

/** Token side: `https://` prepended when `iss` has no http(s) scheme, then all trailing `/` trimmed. */
export function normalizeTokenIssuer(iss: string): string {
  const withScheme = iss.startsWith("https://") || iss.startsWith("http://") ? iss : `https://${iss}`;
  return trimSlashes(withScheme);
}

/** Config side: only trailing `/` trimmed (the stored value already has its scheme). */
export function normalizeConfigIssuer(issuer: string): string {
  return trimSlashes(issuer);
}

function trimSlashes(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0x2f) end--;
  return s.slice(0, end);
}

/** `aud` as the backend reads it for matching: string → [string], array as is, missing → []. */
export function audienceList(aud: unknown): string[] {
  if (typeof aud === "string") return [aud];
  if (Array.isArray(aud)) return aud.filter((a): a is string => typeof a === "string");
  return [];
}

/** True when the issuers are equal under the backend's matching normalization. */
export function issuerMatches(p: Provider, iss: string): boolean {
  return normalizeTokenIssuer(iss) === normalizeConfigIssuer(providerIssuer(p));
}

/** True when the audience rule of §2.1 passes (exact, case-sensitive; no applicationID → aud ignored). */
export function audienceMatches(p: Provider, aud: readonly string[]): boolean {
  const id = providerApplicationId(p);
  return id === undefined || aud.includes(id);
}

/** `AuthInfo::matches_token(audiences, iss)`. */
export function matchesToken(p: Provider, aud: readonly string[], iss: string): boolean {
  return audienceMatches(p, aud) && issuerMatches(p, iss);
}

/** The first provider in the given (stored) order that matches; no fall-through happens after it. */
export function firstMatch(providers: readonly Provider[], aud: readonly string[], iss: string): Provider | null {
  return providers.find((p) => matchesToken(p, aud, iss)) ?? null;
}

export type IssuerDifference =
  | "case"
  | "scheme"
  | "www"
  | "port"
  | "path"
  | "whitespace"
  | "tenant"
  | "host"
  | "other";

export interface ClosestIssuer {
  provider: Provider;
  /** The configured value (as stored). */
  configured: string;
  kind: IssuerDifference;
  /** One clause saying exactly what differs, e.g. "the token's host is `Example.com`, the config's is `example.com` (hosts are compared case-sensitively)". */
  difference: string;
}

interface UrlParts {
  scheme: string;
  host: string;
  port: string;
  path: string;
}

/** Split without the URL class, which would lowercase the host and drop default ports (the backend does neither). */
function split(u: string): UrlParts | null {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#:]*)(?::([^/?#]*))?([^]*)$/.exec(u);
  if (!m) return null;
  return { scheme: m[1] ?? "", host: m[2] ?? "", port: m[3] ?? "", path: m[4] ?? "" };
}

/** Lower is closer. */
const RANK: Record<IssuerDifference, number> = {
  whitespace: 0,
  case: 1,
  scheme: 2,
  www: 3,
  port: 4,
  path: 5,
  tenant: 6,
  other: 7,
  host: 8,
};

function parentDomain(host: string): string {
  const labels = host.split(".");
  return labels.length > 2 ? labels.slice(1).join(".") : host;
}

function diff(tokenNorm: string, configNorm: string, rawIss: string): { kind: IssuerDifference; text: string } {
  const q = (s: string) => `\`${s}\``;
  if (tokenNorm.trim() === configNorm.trim()) {
    return { kind: "whitespace", text: `one side has leading or trailing whitespace (token ${JSON.stringify(rawIss)}, config ${JSON.stringify(configNorm)})` };
  }
  if (tokenNorm.toLowerCase() === configNorm.toLowerCase()) {
    return { kind: "case", text: `they differ only in letter case (${q(tokenNorm)} vs ${q(configNorm)}); the backend compares issuers case-sensitively, host included` };
  }
  const t = split(tokenNorm);
  const c = split(configNorm);
  if (!t || !c) return { kind: "other", text: `${q(tokenNorm)} vs ${q(configNorm)}` };
  const schemeAdded = !(rawIss.startsWith("https://") || rawIss.startsWith("http://"));
  if (t.scheme !== c.scheme && t.host === c.host && t.port === c.port && t.path === c.path) {
    const note = schemeAdded ? ` (the token's iss has no scheme, so the backend prepended https://)` : "";
    return { kind: "scheme", text: `the scheme differs: the token uses ${q(t.scheme + "://")}, the config ${q(c.scheme + "://")}${note}` };
  }
  const strip = (h: string) => h.toLowerCase().replace(/^www\./, "");
  if (t.host !== c.host && strip(t.host) === strip(c.host) && t.host.toLowerCase() !== c.host.toLowerCase()) {
    return { kind: "www", text: `one host has \`www.\` and the other does not (${q(t.host)} vs ${q(c.host)})` };
  }
  if (t.host === c.host && t.port !== c.port) {
    const show = (p: string) => (p === "" ? "no port" : `port ${p}`);
    return { kind: "port", text: `the port differs: the token has ${show(t.port)}, the config ${show(c.port)} (default ports are not normalized)` };
  }
  if (t.host === c.host && t.port === c.port && t.path !== c.path) {
    const show = (p: string) => (p === "" ? "no path" : `path ${q(p)}`);
    return { kind: "path", text: `the path differs: the token has ${show(t.path)}, the config ${show(c.path)}` };
  }
  if (t.host.toLowerCase() === c.host.toLowerCase()) {
    return { kind: "case", text: `the host differs in letter case (${q(t.host)} vs ${q(c.host)}); hosts are compared case-sensitively` };
  }
  if (parentDomain(t.host) === parentDomain(c.host) && t.host.includes(".") && parentDomain(t.host) !== t.host) {
    return { kind: "tenant", text: `a different tenant or subdomain of ${q(parentDomain(t.host))}: ${q(t.host)} vs ${q(c.host)}` };
  }
  return { kind: "host", text: `a different host: ${q(t.host)} vs ${q(c.host)}` };
}

/** Levenshtein distance, bounded inputs only (issuers are short): tie-breaker between equally ranked misses. */
function distance(a: string, b: string): number {
  const A = a.slice(0, 256);
  const B = b.slice(0, 256);
  let prev = Array.from({ length: B.length + 1 }, (_, i) => i);
  for (let i = 1; i <= A.length; i++) {
    const cur = [i];
    for (let j = 1; j <= B.length; j++) {
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (A[i - 1] === B[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[B.length] ?? 0;
}

/**
 * The configured issuer nearest to the token's `iss` that does not match it, and exactly how they differ.
 * null when there are no providers or one matches on issuer.
 */
export function closestIssuer(iss: string, providers: readonly Provider[]): ClosestIssuer | null {
  const tokenNorm = normalizeTokenIssuer(iss);
  let best: { c: ClosestIssuer; rank: number; dist: number } | null = null;
  for (const p of providers) {
    const configured = providerIssuer(p);
    const configNorm = normalizeConfigIssuer(configured);
    if (configNorm === tokenNorm) return null;
    const d = diff(tokenNorm, configNorm, iss);
    const rank = RANK[d.kind];
    const dist = distance(tokenNorm, configNorm);
    if (!best || rank < best.rank || (rank === best.rank && dist < best.dist)) {
      best = { c: { provider: p, configured, kind: d.kind, difference: d.text }, rank, dist };
    }
  }
  return best?.c ?? null;
}
