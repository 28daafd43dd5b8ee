/**
 * The order in which the backend stores (and so tries) providers: the derived `Ord` of the Rust `AuthInfo`
 * enum (reference §2.2). OIDC before customJwt; OIDC by applicationID then domain; customJwt by applicationID
 * (absent first), issuer, jwks, algorithm (RS256 before ES256). Strings compare byte-wise (UTF-8), as Rust does.
 */
import type { Provider } from "./types";

const encoder = new TextEncoder();

/** Rust `str` ordering: lexicographic over UTF-8 bytes. */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** `Option<T>` ordering: None before Some. */
function compareOptional(a: string | null | undefined, b: string | null | undefined): number {
  const an = a === undefined || a === null;
  const bn = b === undefined || b === null;
  if (an || bn) return an === bn ? 0 : an ? -1 : 1;
  return compareBytes(a, b);
}

const ALG_RANK: Record<string, number> = { RS256: 0, ES256: 1 };

/** Comparator matching the backend's BTreeSet order. */
export function compareProviders(a: Provider, b: Provider): number {
  if (a.type !== b.type) return a.type === "oidc" ? -1 : 1;
  if (a.type === "oidc" && b.type === "oidc") {
    return compareBytes(a.applicationID, b.applicationID) || compareBytes(a.domain, b.domain);
  }
  if (a.type === "customJwt" && b.type === "customJwt") {
    return (
      compareOptional(a.applicationID, b.applicationID) ||
      compareBytes(a.issuer, b.issuer) ||
      compareOptional(a.jwks, b.jwks) ||
      compareOptional(
        a.algorithm === null ? null : String(ALG_RANK[a.algorithm] ?? 9),
        b.algorithm === null ? null : String(ALG_RANK[b.algorithm] ?? 9),
      )
    );
  }
  return 0;
}

/**
 * Providers in stored order (a new array; each keeps its file `index`). Exact duplicates collapse to one,
 * as they do in the backend's set.
 */
export function storedOrder(providers: readonly Provider[]): Provider[] {
  const sorted = [...providers].sort((a, b) => compareProviders(a, b) || a.index - b.index);
  return sorted.filter((p, i) => i === 0 || compareProviders(sorted[i - 1] as Provider, p) !== 0);
}
