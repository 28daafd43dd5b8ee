/**
 * Key fetching for predictions, under the fetch policy: only configured providers' URLs, or URLs the user
 * approved with "Fetch keys". A page-chosen `iss` is never fetched silently.
 * The extension page can read a cross-origin response only with a host permission (Chromium counts the content
 * scripts' http/https matches) or when the server allows CORS. A fetch that fails only because we may not read
 * it is not the backend's failure: the origin is marked blocked, the prediction re-runs, and the policy then
 * reports the step as not checked ("Fetch keys" asks for the optional host permission).
 */
import { signal } from "@preact/signals";
import type { Provider } from "../../core/config/types";
import { createKeySource } from "../../core/keys/source";
import { providerPolicy, userConsent } from "../../core/keys/policy";
import type { FetchPolicy, KeySource } from "../../core/keys/types";
import { hasHostPermission, requestHostPermission } from "../../extension/browser";

/** URLs (discovery, JWKS) or origins the user approved by clicking "Fetch keys". */
export const approvedUrls = signal<readonly string[]>([]);
/** Origins the extension currently holds a host permission for (checked before each prediction). */
const grantedOrigins = new Set<string>();
/** Origins whose fetch failed while we held no permission for them (likely CORS, not the issuer). */
const blockedOrigins = new Set<string>();
/** Bumped whenever consent or permissions change, so predictions re-run. */
export const keysEpoch = signal(0);

const sources = new Map<string, KeySource>();

export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.origin : null;
  } catch {
    return null;
  }
}

/** Policy = core's provider policy + the user's approvals, then our own host-permission gate. */
function panelPolicy(providers: Provider[]): FetchPolicy {
  const base = userConsent(providerPolicy(providers, { allowLoopback: false }), new Set(approvedUrls.value));
  return {
    allows(url, purpose) {
      const verdict = base.allows(url, purpose);
      if (!verdict.ok) return verdict;
      const origin = originOf(url);
      if (origin !== null && blockedOrigins.has(origin) && !grantedOrigins.has(origin)) {
        return {
          ok: false,
          reason: `${origin} cannot be read without the extension's host permission for it (no CORS); click "Fetch keys" to allow it`,
        };
      }
      return verdict;
    },
    // Let the provider policy learn the jwks_uri a configured issuer's discovery document names.
    noteJwksUri: (jwksUri, discoveryUrl) => base.noteJwksUri?.(jwksUri, discoveryUrl),
  };
}

/** One cached key source per (providers, approvals) so the HTTP cache survives re-renders. */
export function keySourceFor(providers: Provider[]): KeySource {
  const key = JSON.stringify([providers, approvedUrls.value]);
  let src = sources.get(key);
  if (!src) {
    if (sources.size > 16) sources.clear();
    src = createKeySource({ fetch: guardedFetch, policy: panelPolicy(providers) });
    sources.set(key, src);
  }
  return src;
}

/**
 * fetch, telling a read we were not allowed (CORS without host permission) from a server that is down: when a
 * fetch fails, an opaque `no-cors` probe of the same URL succeeds only if the server answered, so the failure
 * was ours, not the issuer's — mark the origin and let the prediction re-run as "not checked".
 */
const guardedFetch: typeof fetch = async (input, init) => {
  try {
    return await fetch(input, init);
  } catch (e) {
    // A timeout is the issuer's slowness, not a permission problem.
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const origin = originOf(url);
    if (origin !== null && !grantedOrigins.has(origin) && !blockedOrigins.has(origin)) {
      const answered = await fetch(url, { mode: "no-cors", credentials: "omit", signal: AbortSignal.timeout(3000) }).then(
        () => true,
        () => false,
      );
      if (answered) {
        blockedOrigins.add(origin);
        keysEpoch.value++;
      }
    }
    throw e;
  }
};

/** Refresh what we know about host permissions for the origins a prediction may touch. */
export async function checkOrigins(urls: string[]): Promise<void> {
  let changed = false;
  for (const url of urls) {
    const origin = originOf(url);
    if (origin === null || grantedOrigins.has(origin)) continue;
    if (await hasHostPermission(origin)) {
      grantedOrigins.add(origin);
      changed = true;
    }
  }
  if (changed) keysEpoch.value++;
}

/**
 * The user's "Fetch keys" click: ask for the host permission (must run inside the click's gesture), then approve
 * the URLs for this token's issuer.
 */
export async function approveFetch(urls: string[]): Promise<string | null> {
  const origins = [...new Set(urls.map(originOf).filter((o): o is string => o !== null))];
  if (origins.length === 0) return "Nothing to fetch: the token's issuer is not an http(s) URL.";
  // Ask synchronously inside the click's gesture; usually there is a single origin.
  const answers = await Promise.all(origins.map((o) => requestHostPermission(o + "/")));
  const refused = origins.filter((_, i) => !answers[i]);
  if (refused.length > 0) return `Permission to fetch from ${refused.join(", ")} was not granted.`;
  for (const o of origins) {
    grantedOrigins.add(o);
    blockedOrigins.delete(o);
  }
  approvedUrls.value = [...new Set([...approvedUrls.value, ...urls, ...origins])];
  keysEpoch.value++;
  return null;
}
