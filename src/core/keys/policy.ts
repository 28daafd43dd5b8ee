/**
 * The fetch policy: which discovery / JWKS URLs the inspector may fetch, and why (docs/architecture.md,
 * SECURITY.md). One module decides for both shells; every answer carries its reason.
 *
 * Trust levels:
 *   (a) config  — providers from a config the user gave (the panel's Config editor, the CLI's --config), plus
 *                 a URL the user named directly (the CLI's --jwks). Their discovery URL (built from a token
 *                 `iss` that matches a configured OIDC domain), their configured customJwt `jwks`, and a
 *                 `jwks_uri` their discovery document names on the SAME origin.
 *   (b) consent — the panel user clicked Fetch keys for one named origin (the exact URLs were shown).
 *   (c) nothing else. Providers learned from the page (NoAuthProvider texts), a token's `iss`, and a
 *                 discovery document's `jwks_uri` on another origin are untrusted: the panel shows the URL and
 *                 waits for a click.
 * Loopback and private-network targets (core/keys/address.ts) need more:
 *   - panel: a click, even for a configured issuer — unless the inspected page is itself on loopback, where
 *     loopback issuers of the pasted config are fetched (the developer's own machine talking to itself);
 *   - CLI: what the user named (config, --jwks) is fetched wherever it is, as documented; anything else that
 *     points at a non-public address (a discovery `jwks_uri`, a redirect) is fetched only with
 *     --allow-private-network, or when it stays on the same host (a jwks_uri on the host of the issuer whose
 *     discovery document named it; a redirect to a host the user named), any port: no new machine is reached.
 * Addresses are judged from the URL as written: neither shell resolves DNS here, so a public name that
 * resolves to a private address is not caught (a browser extension cannot resolve names at all).
 */

import type { Provider } from "../config/types";
import type { Consent, FetchDecision, FetchFailure, FetchPolicy } from "./types";
import { DISCOVERY_SUFFIX, normalizeIssuer } from "./discovery-url";
import { classifyUrl, type HostClass } from "./address";

type Purpose = "discovery" | "jwks";

function parseHttpUrl(url: string): URL | null {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u : null;
  } catch {
    return null;
  }
}

/** The origin of an http(s) URL, or null. */
export function httpOrigin(url: string): string | null {
  return parseHttpUrl(url)?.origin ?? null;
}

/** Same URL after WHATWG parsing (so `HTTPS://Host/x` and `https://host/x` agree); null if not http(s). */
function canonicalUrl(url: string): string | null {
  return parseHttpUrl(url)?.href ?? null;
}

/** The issuer a discovery URL was built from (its normalized form), or null if it is not a discovery URL. */
export function issuerOfDiscoveryUrl(url: string): string | null {
  if (!url.endsWith("/" + DISCOVERY_SUFFIX)) return null;
  return normalizeIssuer(url.slice(0, -DISCOVERY_SUFFIX.length));
}

/** A policy refusal as the key source reports it. */
export function policyFailure(url: string, d: { reason: string; consent?: Consent }, prefix = ""): FetchFailure {
  return { kind: "policy", url, reason: prefix + d.reason, ...(d.consent ? { consent: d.consent } : {}) };
}

/** No policy: any http(s) URL. For tests and benchmarks against local servers only; no shell uses it. */
export function allowAll(): FetchPolicy {
  return {
    allows(url) {
      return parseHttpUrl(url) ? { ok: true, why: "no policy (tests)" } : { ok: false, reason: `${url} is not an http(s) URL` };
    },
  };
}

/** What the user's own config (level a) names: discovery issuers, customJwt JWKS, and jwks_uri seen since. */
class Configured {
  private readonly oidcIssuers = new Set<string>();
  private readonly jwks = new Set<string>();
  /** jwks_uri (canonical) → the discovery URL whose document named it (any fetched discovery document). */
  private readonly noted = new Map<string, string>();
  /** Host names the user named (for the CLI's same-host rule). */
  readonly hosts = new Set<string>();

  constructor(providers: readonly Provider[], namedUrls: readonly string[]) {
    for (const p of providers) {
      if (p.type === "oidc") {
        this.oidcIssuers.add(normalizeIssuer(p.domain));
        this.addHost(normalizeIssuer(p.domain));
      } else if (p.jwks !== null) this.addJwks(p.jwks);
    }
    for (const u of namedUrls) this.addJwks(u);
  }

  private addJwks(url: string): void {
    const c = canonicalUrl(url);
    if (c === null) return;
    this.jwks.add(c);
    this.addHost(c);
  }

  private addHost(url: string): void {
    const u = parseHttpUrl(url);
    if (u) this.hosts.add(u.hostname.toLowerCase());
  }

  isConfiguredDiscovery(url: string): boolean {
    const iss = issuerOfDiscoveryUrl(url);
    return iss !== null && this.oidcIssuers.has(iss);
  }

  /** Why a URL is level (a), or null. `jwks_uri` counts only on its discovery document's origin. */
  why(url: string, purpose: Purpose): string | null {
    if (purpose === "discovery") return this.isConfiguredDiscovery(url) ? "the discovery URL of an OIDC issuer in your config" : null;
    const c = canonicalUrl(url);
    if (c === null) return null;
    if (this.jwks.has(c)) return "a JWKS URL you configured";
    const from = this.noted.get(c);
    // Only a configured issuer's discovery document widens level (a), and only on its own origin.
    if (from !== undefined && this.isConfiguredDiscovery(from) && httpOrigin(from) === httpOrigin(c)) {
      return "the jwks_uri of a configured issuer, on its own origin";
    }
    return null;
  }

  /** The discovery URL whose document named this jwks_uri, or null (to say why it was not fetched). */
  namedBy(url: string): string | null {
    const c = canonicalUrl(url);
    return (c === null ? undefined : this.noted.get(c)) ?? null;
  }

  note(jwksUri: string, discoveryUrl: string): void {
    const c = canonicalUrl(jwksUri);
    if (c !== null && this.noted.size < 1000) this.noted.set(c, discoveryUrl);
  }
}

function notPublic(c: HostClass): boolean {
  return c.kind !== "public";
}

export interface PanelPolicyOptions {
  /** Level (a): the providers of the config the user pasted for this deployment. */
  configured: readonly Provider[];
  /** Providers the page reported (NoAuthProvider): untrusted; used only to say why a URL was not fetched. */
  learned?: readonly Provider[];
  /** Level (b): origins the user approved with a click on Fetch keys. Read on every call (a live Set works). */
  approvedOrigins: { has(origin: string): boolean };
  /** The inspected page's URL as the browser reports it (not as the page claims), or null when unknown. */
  pageUrl: string | null;
}

/** The DevTools panel's policy. */
export function panelPolicy(opts: PanelPolicyOptions): FetchPolicy {
  const configured = new Configured(opts.configured, []);
  const learnedIssuers = new Set((opts.learned ?? []).map((p) => normalizeIssuer(p.type === "oidc" ? p.domain : p.issuer)));
  const pageClass = opts.pageUrl === null ? null : classifyUrl(opts.pageUrl);
  const pageOnLoopback = pageClass?.kind === "loopback";

  function untrustedWhy(url: string, purpose: Purpose): string {
    if (purpose === "discovery") {
      const iss = issuerOfDiscoveryUrl(url);
      if (iss !== null && learnedIssuers.has(iss)) return "its issuer was learned from the page (the deployment's NoAuthProvider text), not from your config";
      return "the token's iss names it and no config you pasted does";
    }
    const from = configured.namedBy(url);
    if (from !== null) return `the discovery document ${from} names it, on another origin than its own`;
    return "no config you pasted names it";
  }

  return {
    allows(url, purpose): FetchDecision {
      const u = parseHttpUrl(url);
      if (u === null) return { ok: false, reason: `${url.slice(0, 200)} is not an http(s) URL` };
      const consent: Consent = { origin: u.origin };
      if (opts.approvedOrigins.has(u.origin)) return { ok: true, why: `you clicked Fetch keys for ${u.origin}` };
      const why = configured.why(url, purpose);
      if (why === null) {
        return { ok: false, reason: `${untrustedWhy(url, purpose)}; click Fetch keys to allow ${u.origin}`, consent };
      }
      const where = classifyUrl(url)!;
      if (!notPublic(where)) return { ok: true, why };
      if (where.kind === "loopback" && pageOnLoopback) {
        return { ok: true, why: `${why}; loopback issuers of your config are fetched because the inspected page is on loopback too` };
      }
      const page = pageClass === null ? "the inspected page's address is not known" : "the inspected page is not on loopback";
      return {
        ok: false,
        reason: `it is ${why}, but on a ${where.kind === "loopback" ? "loopback" : "private-network"} address (${where.why}) and ${page}; click Fetch keys to allow ${u.origin}`,
        consent,
      };
    },
    noteJwksUri: (jwksUri, discoveryUrl) => configured.note(jwksUri, discoveryUrl),
  };
}

export interface CliPolicyOptions {
  /** Level (a): the providers of --config. */
  configured: readonly Provider[];
  /** URLs the user named on the command line (--jwks URL). */
  namedUrls?: readonly string[];
  /** --allow-private-network: follow discovery jwks_uri (and redirects) to loopback / private addresses. */
  allowPrivateNetwork: boolean;
}

/**
 * The CLI's policy. The user ran it on their own token and config, so what they named is fetched wherever it
 * is, and so is any public URL the backend would follow (a jwks_uri on another origin, a redirect). A URL
 * they did not name that points at a loopback or private address needs --allow-private-network, unless it stays
 * on the same host.
 */
export function cliPolicy(opts: CliPolicyOptions): FetchPolicy {
  const configured = new Configured(opts.configured, opts.namedUrls ?? []);
  return {
    allows(url, purpose): FetchDecision {
      const u = parseHttpUrl(url);
      if (u === null) return { ok: false, reason: `${url.slice(0, 200)} is not an http(s) URL` };
      const why = configured.why(url, purpose);
      if (why !== null) return { ok: true, why };
      const where = classifyUrl(url)!;
      if (!notPublic(where)) return { ok: true, why: "a public address the backend would fetch too" };
      // Same host: a jwks_uri on its own issuer's host, or (redirects, where the source is not known) a host
      // the user named. Either way no new machine is reached.
      const from = configured.namedBy(url);
      const host = u.hostname.toLowerCase();
      const sameHost = from !== null ? parseHttpUrl(from)?.hostname.toLowerCase() === host : configured.hosts.has(host);
      if (sameHost) return { ok: true, why: `on ${u.hostname}, the host ${from !== null ? "of the issuer that named it" : "you named"}` };
      if (opts.allowPrivateNetwork) return { ok: true, why: `${where.why}; allowed by --allow-private-network` };
      return {
        ok: false,
        reason: `${from !== null ? `the discovery document ${from} names it` : "you did not name it"} and it is on a ${where.kind === "loopback" ? "loopback" : "private-network"} address (${where.why}); pass --allow-private-network to fetch it`,
      };
    },
    noteJwksUri: (jwksUri, discoveryUrl) => configured.note(jwksUri, discoveryUrl),
  };
}
