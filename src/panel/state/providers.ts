/**
 * Provider lists per deployment URL: learned from dev `NoAuthProvider` texts the page received (zero setup), or
 * parsed from an auth.config pasted into the Config editor. Parsing and reading those texts is core's job.
 */
import { computed, signal } from "@preact/signals";
import { parseAuthConfig } from "../../core/config/parse";
import type { ParsedConfig, Provider } from "../../core/config/types";
import { LearnedProviders } from "../../core/session/learned-providers";
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

/**
 * The provider list each deployment last reported (core's reading, shared with `analyze`). Read incrementally
 * as the live session grows; the same Map (no change for the views) while no new list arrived.
 */
const learned = new LearnedProviders();
export const learnedProviders = computed<ReadonlyMap<string, Provider[]>>(() => learned.read(session.value));

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
  const learned = learnedProviders.value.get(deployment);
  if (learned) return { providers: learned, source: "learned" };
  return { providers: [], source: "none" };
}
