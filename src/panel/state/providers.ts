/**
 * Provider lists per deployment URL: learned from dev `NoAuthProvider` texts the page received (zero setup), or
 * parsed from an auth.config pasted into the Config editor. Parsing and reading those texts is core's job.
 */
import { computed, signal } from "@preact/signals";
import { parseAuthConfig } from "../../core/config/parse";
import { providersFromNoAuthProviderMessage } from "../../core/config/no-auth-provider";
import type { ParsedConfig, Provider } from "../../core/config/types";
import type { Session } from "../../core/session/types";
import { session } from "./session";
import { loadConfigs, saveConfig, type StoredConfig } from "./storage";

export const configs = signal<Record<string, StoredConfig>>({});
export const configSaveError = signal<string | null>(null);

export async function initProviders(): Promise<void> {
  configs.value = { ...(await loadConfigs()), ...configs.value };
}

export async function setConfig(deployment: string, cfg: StoredConfig | null): Promise<void> {
  const next = { ...configs.value };
  if (cfg === null) delete next[deployment];
  else next[deployment] = cfg;
  configs.value = next;
  configSaveError.value = await saveConfig(deployment, cfg);
}

/** Parsed pasted configs, per deployment. A parser that throws becomes a one-line message, never a crash. */
export const parsedConfigs = computed<Record<string, ParsedConfig | { error: string }>>(() => {
  const out: Record<string, ParsedConfig | { error: string }> = {};
  for (const [deployment, cfg] of Object.entries(configs.value)) {
    if (cfg.text.trim() === "") continue;
    try {
      out[deployment] = parseAuthConfig(cfg.text, { filename: guessFilename(cfg.text), env: cfg.env });
    } catch (e) {
      out[deployment] = { error: e instanceof Error ? e.message : String(e) };
    }
  }
  return out;
});

function guessFilename(text: string): string {
  const t = text.trimStart();
  return t.startsWith("{") || t.startsWith("[") ? "auth.config.json" : "auth.config.ts";
}

/** The latest NoAuthProvider list each deployment sent (AuthError frames and HTTP 401 bodies). */
export const learnedProviders = computed<Record<string, Provider[]>>(() => learnFrom(session.value));

function learnFrom(s: Session): Record<string, Provider[]> {
  const found: { t: number; deployment: string; providers: Provider[] }[] = [];
  const byId = new Map(s.connections.map((c) => [c.id, c]));
  for (const entry of s.timeline) {
    if (entry.kind !== "auth-error" || entry.connection === undefined || entry.frame === undefined) continue;
    const conn = byId.get(entry.connection);
    const msg = conn?.frames[entry.frame]?.msg;
    const text = msg && typeof msg.error === "string" ? msg.error : null;
    const providers = text ? providersFromNoAuthProviderMessage(text) : null;
    if (conn && providers) found.push({ t: entry.t, deployment: conn.deployment, providers });
  }
  for (const r of s.requests) {
    if (!r.error) continue;
    const text = "message" in r.error ? r.error.message : r.error.raw;
    const providers = providersFromNoAuthProviderMessage(text);
    if (providers) found.push({ t: r.t, deployment: r.deployment, providers });
  }
  found.sort((a, b) => a.t - b.t);
  const out: Record<string, Provider[]> = {};
  for (const f of found) out[f.deployment] = f.providers;
  return out;
}

export type ProviderSource = "config" | "learned" | "none";

export interface KnownProviders {
  providers: Provider[];
  source: ProviderSource;
}

/**
 * What the verdict runs against: a pasted config wins (the user's explicit choice, and it knows the JWKS URLs a
 * NoAuthProvider list omits); otherwise the list the deployment itself reported.
 */
export function providersFor(deployment: string): KnownProviders {
  // Deployment names come from page URLs: own properties only, never Object.prototype's.
  const parsed = Object.hasOwn(parsedConfigs.value, deployment) ? parsedConfigs.value[deployment] : undefined;
  if (parsed && !("error" in parsed)) return { providers: parsed.providers, source: "config" };
  const learned = Object.hasOwn(learnedProviders.value, deployment) ? learnedProviders.value[deployment] : undefined;
  if (learned) return { providers: learned, source: "learned" };
  return { providers: [], source: "none" };
}
