/**
 * Key fetching for predictions, under core's panel policy (core/keys/policy.ts): providers of a pasted config
 * (level a), origins the user approved with a click on Fetch keys (level b), nothing else. Providers learned from
 * the page, a token's iss, and a jwks_uri on another origin wait for a click. The click itself is the consent: it
 * asks the browser for nothing (reading an answer is readable.ts's business). Every decision of the latest run is
 * listed: `fetched` (what was requested, why, and what came back) and `notFetched` (what was not, and why).
 */
import { computed, signal } from "@preact/signals";
import { createKeySource } from "../../core/keys/source";
import { httpOrigin, panelPolicy } from "../../core/keys/policy";
import type { FetchDecision, FetchFailure, FetchPolicy, Fetched, KeySource } from "../../core/keys/types";
import { browser, inspectedTabId } from "../../extension/browser";
import { learnedProviders, type KnownProviders } from "./providers";
import { accessEpoch, guardedFetch, unreadableOrigins, watchHostAccess } from "./readable";
import { liveSession } from "./session";

/** Origins the user approved by clicking Fetch keys: memory only, for this panel's life, never stored. */
export const approvedOrigins = signal<readonly string[]>([]);
/** Changes whenever consent or host access changes, so predictions re-run. */
export const keysEpoch = computed(() => `${approvedOrigins.value.length}:${accessEpoch.value}`);
/** The inspected tab's URL as the browser reports it (or the hook's top document when hidden); null if unknown. */
const pageUrl = signal<string | null>(null);

/** A URL the latest prediction requested: why the policy allowed it, and what came back. */
export interface FetchedRow {
  url: string;
  why: string;
  outcome: string;
  /** Set when the server answered but the answer may not be read: what Allow reading would ask for. */
  unreadableOrigin: string | null;
}
/** A URL the latest prediction did not request, and why. `origin`: what a click on Fetch keys would approve. */
export interface NotFetched {
  url: string;
  reason: string;
  origin: string | null;
}
export const fetched = signal<readonly FetchedRow[]>([]);
export const notFetched = signal<readonly NotFetched[]>([]);

const sources = new Map<string, { source: KeySource; whyOf: Map<string, string> }>();
let run = 0;

/** Level (a) only for a pasted config; a list the page reported is untrusted (kept to explain refusals). */
function policyFor(known: KnownProviders, deployment: string, whyOf: Map<string, string>): FetchPolicy {
  const base = panelPolicy({
    configured: known.source === "config" ? known.providers : [],
    learned: known.source === "learned" ? known.providers : (learnedProviders.value.get(deployment) ?? []),
    approvedOrigins: new Set(approvedOrigins.value),
    pageUrl: pageUrl.value,
  });
  return {
    allows(url, purpose): FetchDecision {
      const d = base.allows(url, purpose);
      if (d.ok && whyOf.size < 100) whyOf.set(url, d.why ?? "allowed");
      return d;
    },
    noteJwksUri: (jwksUri, discoveryUrl) => base.noteJwksUri?.(jwksUri, discoveryUrl),
  };
}

function outcomeOf(r: Fetched<unknown>): string {
  if (r.ok) return r.cache?.fromCache ? "read (from the panel's HTTP cache)" : "read";
  const f = r.failure;
  switch (f.kind) {
    case "unreachable":
      return f.reason;
    case "status":
      return `HTTP ${f.status} ${f.statusText}`;
    case "content-type":
      return `content type ${f.contentType ?? "(none)"}`;
    case "network":
    case "body":
    case "data-url":
      return f.error;
    default:
      return f.reason;
  }
}

function isRequested(f: FetchFailure): boolean {
  return f.kind !== "policy" && f.kind !== "skipped";
}

/**
 * The key source for one prediction run. The HTTP cache lives in one source per (providers, approvals, page), so it
 * survives re-renders; each run starts fresh `fetched` / `notFetched` lists that only this run may fill.
 */
export function keySourceFor(known: KnownProviders, deployment: string): KeySource {
  watchHostAccess();
  const key = JSON.stringify([known, deployment, approvedOrigins.value, pageUrl.value]);
  let entry = sources.get(key);
  if (!entry) {
    if (sources.size > 16) sources.clear();
    const whyOf = new Map<string, string>();
    entry = { source: createKeySource({ fetch: guardedFetch, policy: policyFor(known, deployment, whyOf) }), whyOf };
    sources.set(key, entry);
  }
  const mine = ++run;
  fetched.value = [];
  notFetched.value = [];
  const { source, whyOf } = entry;
  const record = <T,>(r: Fetched<T>): Fetched<T> => {
    if (mine !== run) return r;
    const url = r.ok ? r.url : r.failure.url;
    if (url === "" || /^data:/i.test(url)) return r;
    // A URL the policy allowed was requested, even when what came back was not used (a hidden redirect).
    if (r.ok || isRequested(r.failure) || whyOf.has(url)) {
      const origin = httpOrigin(url);
      const unreadable = !r.ok && origin !== null && unreadableOrigins.value.has(origin) ? origin : null;
      const row = { url, why: whyOf.get(url) ?? "allowed", outcome: outcomeOf(r), unreadableOrigin: unreadable };
      if (!fetched.value.some((n) => n.url === url)) fetched.value = [...fetched.value, row];
    } else if ((r.failure.kind === "policy" || r.failure.kind === "skipped") && !notFetched.value.some((n) => n.url === url)) {
      const f = r.failure;
      const origin = f.kind === "policy" ? (f.consent?.origin ?? null) : null;
      notFetched.value = [...notFetched.value, { url, reason: f.reason, origin }];
    }
    return r;
  };
  return {
    discover: async (iss) => record(await source.discover(iss)),
    jwks: async (url, mode) => record(await source.jwks(url, mode)),
  };
}

/** Before a prediction: the inspected page's URL, for the policy's "page on loopback" rule. */
export async function refreshPageUrl(): Promise<void> {
  const tabId = inspectedTabId();
  let url: string | null = null;
  try {
    if (tabId !== null && browser.tabs?.get) url = (await browser.tabs.get(tabId)).url ?? null;
  } catch {
    url = null;
  }
  // Without host access Chromium hides tab.url: fall back to the top document the hook reported. A page can
  // forge that, but all it can gain is the fetch of a loopback issuer the user's own pasted config names.
  // Always the live tab's: a file being shown is not the inspected page.
  url ??= [...liveSession.value.docs].reverse().find((d) => d.top)?.url ?? null;
  // Changing it changes the source's cache key above, so the next run uses the new page.
  pageUrl.value = url;
}

/** The user's Fetch keys click for one origin shown in the list: the consent, kept in memory. */
export function approveFetch(origin: string): void {
  if (approvedOrigins.value.includes(origin)) return;
  approvedOrigins.value = [...approvedOrigins.value, origin];
}
