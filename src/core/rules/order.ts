/**
 * Cause before consequence: the specific reason a token failed and its provider hint come
 * first; `token-rejected`, `http-auth-rejected` and `client-gave-up` follow and name the cause they stem
 * from. Then the other errors, warnings and info, each group in its original order.
 */
import type { Finding, FindingId } from "./types";

const CONSEQUENCES: ReadonlySet<FindingId> = new Set<FindingId>(["token-rejected", "http-auth-rejected", "client-gave-up"]);

/** The token and provider findings (docs/findings.md) that name why the backend said no. */
const CAUSES: ReadonlySet<FindingId> = new Set<FindingId>([
  "not-a-jwt", "jwe-token", "iss-missing", "no-providers", "iss-mismatch", "aud-missing", "aud-mismatch",
  "oidc-extra-audience", "alg-unsupported", "hs-symmetric", "kid-missing", "kid-not-in-jwks", "signature-invalid",
  "typ-at-jwt", "oidc-claim-type", "token-expired", "token-not-yet-valid", "sub-missing", "exp-missing", "iat-missing",
  "discovery-failed", "discovery-issuer-mismatch", "jwks-unreachable", "stale-token-on-reconnect",
]);

const isHint = (f: Finding) => f.id.startsWith("hint-");
const isCause = (f: Finding) => f.severity === "error" && CAUSES.has(f.id);

/** The cause IDs a rejection finding was classified into (its evidence value, "iss-mismatch, aud-missing"). */
function classifiedIds(f: Finding): string[] {
  return (f.evidence?.value ?? "").split(/,\s*/).filter(Boolean);
}

export function orderByCause(findings: readonly Finding[]): Finding[] {
  return orderItemsByCause(findings, (f) => f, (_, f) => f);
}

/** The same order for items that carry a finding (the panel's findings keep where they came from). */
export function orderItemsByCause<T>(items: readonly T[], get: (item: T) => Finding, withFinding: (item: T, f: Finding) => T): T[] {
  const causes = items.filter((x) => isCause(get(x)));
  const causeFindings = causes.map(get);
  const hints = causes.length > 0 ? items.filter((x) => isHint(get(x))) : [];
  const consequences = items.filter((x) => CONSEQUENCES.has(get(x).id));
  const placed = new Set<T>([...causes, ...hints, ...consequences]);
  const rest = items.filter((x) => !placed.has(x));
  const bySeverity = (s: Finding["severity"]) => rest.filter((x) => get(x).severity === s);
  const linked = consequences.map((x) => {
    const f = get(x);
    const l = linkToCause(f, causeFindings);
    return l === f ? x : withFinding(x, l);
  });
  return [...causes, ...hints, ...linked, ...bySeverity("error"), ...bySeverity("warning"), ...bySeverity("info")];
}

/** A consequence names its cause: the one its backend text was classified into, else the first cause. */
function linkToCause(f: Finding, causes: readonly Finding[]): Finding {
  if (causes.length === 0) return f;
  const ids = classifiedIds(f);
  const cause = f.id === "client-gave-up" ? causes[0] : causes.find((c) => ids.includes(c.id));
  if (!cause) return f;
  return { ...f, message: `${f.message} (Consequence of ${cause.id}, listed above.)` };
}
