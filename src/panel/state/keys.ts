/**
 * Key fetching for predictions, under core's panel policy (core/keys/policy.ts): providers of a pasted config
 * (level a), origins the user approved with a click on Fetch keys (level b), nothing else. Providers learned
 * from the page are untrusted: what the policy refused is listed in `notFetched`, with the exact URL and why,
 * and the Fetch keys view offers the click.
 * The extension page can read a cross-origin response only with a host permission (Chromium counts the content
 * scripts' http/https matches) or when the server allows CORS. A fetch that fails only because we may not read
 * it is not the backend's failure: the origin is marked blocked, the prediction re-runs, and the step is then
 * reported as not checked ("Fetch keys" asks for the optional host permission).
 */
import { signal } from "@preact/signals";
import { createKeySource } from "../../core/keys/source";
import { httpOrigin, panelPolicy } from "../../core/keys/policy";
import type { FetchPolicy, Fetched, KeySource } from "../../core/keys/types";
import { browser, hasHostPermission, inspectedTabId, requestHostPermission } from "../../extension/browser";
import { learnedProviders, type KnownProviders } from "./providers";
import { session } from "./session";

/** Origins the user approved by clicking "Fetch keys" (memory only, for this panel's life). */
export const approvedOrigins = signal<readonly string[]>([]);
/** Origins the extension currently holds a host permission for (checked before each prediction). */
const grantedOrigins = new Set<string>();
/** Origins whose fetch failed while we held no permission for them (likely CORS, not the issuer). */
const blockedOrigins = new Set<string>();
/** Bumped whenever consent or permissions change, so predictions re-run. */
export const keysEpoch = signal(0);
/** The inspected tab's URL as the browser reports it (the page cannot forge it); null when not visible. */
const pageUrl = signal<string | null>(null);

/** A URL the latest prediction did not fetch, and why. `origin`: what a click on Fetch keys would approve. */
export interface NotFetched {
  url: string;
  reason: string;
  origin: string | null;
}
export const notFetched = signal<readonly NotFetched[]>([]);

const sources = new Map<string, KeySource>();
let run = 0;

/** Level (a) only for a pasted config; a list the page reported is untrusted (kept to explain refusals). */
function policyFor(known: KnownProviders, deployment: string): FetchPolicy {
  const base = panelPolicy({
    configured: known.source === "config" ? known.providers : [],
    learned: known.source === "learned" ? known.providers : (learnedProviders.value[deployment] ?? []),
    approvedOrigins: new Set(approvedOrigins.value),
    pageUrl: pageUrl.value,
  });
  return {
    allows(url, purpose) {
      const decision = base.allows(url, purpose);
      if (!decision.ok) return decision;
      const origin = httpOrigin(url);
      if (origin !== null && blockedOrigins.has(origin) && !grantedOrigins.has(origin)) {
        return {
          ok: false,
          reason: `${origin} cannot be read without the extension's host permission for it (no CORS); click Fetch keys to allow it`,
          consent: { origin },
        };
      }
      return decision;
    },
    noteJwksUri: (jwksUri, discoveryUrl) => base.noteJwksUri?.(jwksUri, discoveryUrl),
  };
}

/**
 * The key source for one prediction run. The HTTP cache lives in one source per (providers, approvals, page),
 * so it survives re-renders; each run starts a fresh `notFetched` list that only this run may fill.
 */
export function keySourceFor(known: KnownProviders, deployment: string): KeySource {
  const key = JSON.stringify([known, deployment, approvedOrigins.value, pageUrl.value]);
  let src = sources.get(key);
  if (!src) {
    if (sources.size > 16) sources.clear();
    src = createKeySource({ fetch: guardedFetch, policy: policyFor(known, deployment) });
    sources.set(key, src);
  }
  const mine = ++run;
  notFetched.value = [];
  const record = <T,>(r: Fetched<T>): Fetched<T> => {
    if (!r.ok && r.failure.kind === "policy" && mine === run) {
      const f = r.failure;
      if (!notFetched.value.some((n) => n.url === f.url)) {
        notFetched.value = [...notFetched.value, { url: f.url, reason: f.reason, origin: f.consent?.origin ?? null }];
      }
    }
    return r;
  };
  const s = src;
  return {
    discover: async (iss) => record(await s.discover(iss)),
    jwks: async (url, mode) => record(await s.jwks(url, mode)),
  };
}

/**
 * fetch, telling a read we were not allowed (CORS without host permission) from a server that is down: when a
 * fetch fails, an opaque `no-cors` probe of the same URL succeeds only if the server answered, so the failure
 * was ours, not the issuer's — mark the origin and let the prediction re-run as "not checked". The probe goes
 * only to a URL the policy already allowed.
 */
const guardedFetch: typeof fetch = async (input, init) => {
  try {
    return await fetch(input, init);
  } catch (e) {
    // A timeout is the issuer's slowness, not a permission problem.
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const origin = httpOrigin(url);
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

/** The inspected tab's URL from the browser (tabs.get; visible through the extension's host access). */
async function refreshPageUrl(): Promise<void> {
  const tabId = inspectedTabId();
  let url: string | null = null;
  try {
    if (tabId !== null && browser.tabs?.get) url = (await browser.tabs.get(tabId)).url ?? null;
  } catch {
    url = null;
  }
  // Without host access Chromium hides tab.url: fall back to the top document the hook reported. A page can
  // forge that, but all it can gain is the fetch of a loopback issuer the user's own pasted config names.
  url ??= [...session.value.docs].reverse().find((d) => d.top)?.url ?? null;
  // Changing it changes the policy's key (cache key above), so the next run uses the new page.
  pageUrl.value = url;
}

/** Before a prediction: the page's URL and the host permissions for the origins it may touch. */
export async function checkOrigins(urls: string[]): Promise<void> {
  await refreshPageUrl();
  let changed = false;
  for (const url of urls) {
    const origin = httpOrigin(url);
    if (origin === null || grantedOrigins.has(origin)) continue;
    if (await hasHostPermission(origin)) {
      grantedOrigins.add(origin);
      changed = true;
    }
  }
  if (changed) keysEpoch.value++;
}

/**
 * The user's "Fetch keys" click for the origins shown: ask for the host permission (must run inside the
 * click's gesture), then approve exactly those origins.
 */
export async function approveFetch(origins: readonly string[]): Promise<string | null> {
  const wanted = [...new Set(origins)];
  if (wanted.length === 0) return "Nothing to fetch: no http(s) origin is waiting for consent.";
  // Ask synchronously inside the click's gesture; usually there is a single origin.
  const answers = await Promise.all(wanted.map((o) => requestHostPermission(o + "/")));
  const refused = wanted.filter((_, i) => !answers[i]);
  if (refused.length > 0) return `Permission to fetch from ${refused.join(", ")} was not granted.`;
  for (const o of wanted) {
    grantedOrigins.add(o);
    blockedOrigins.delete(o);
  }
  approvedOrigins.value = [...new Set([...approvedOrigins.value, ...wanted])];
  keysEpoch.value++;
  return null;
}
