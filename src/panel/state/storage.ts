/**
 * Per-deployment config persistence in `storage.local`. Only the pasted auth.config text and the env values the
 * user typed are stored — never tokens, never captured traffic.
 */
import { storageLocal } from "../../extension/browser";

export interface StoredConfig {
  /** auth.config.ts / .js / JSON text as pasted. */
  text: string;
  /** Values for its `process.env.*` names. */
  env: Record<string, string>;
}

const KEY_PREFIX = "cai:config:";
/** Bounds: a pasted config is a small file; refuse to store something absurd. */
const MAX_TEXT = 200_000;

/** Keys are deployment names and env names (page and user text): null-prototype, so `__proto__` is a name too. */
const record = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;

export async function loadConfigs(): Promise<Record<string, StoredConfig>> {
  const out = record<StoredConfig>();
  try {
    const all = await storageLocal.get(null);
    for (const [key, value] of Object.entries(all)) {
      if (!key.startsWith(KEY_PREFIX)) continue;
      const cfg = asStoredConfig(value);
      if (cfg) out[key.slice(KEY_PREFIX.length)] = cfg;
    }
  } catch {
    // No storage (e.g. opened outside the extension): configs live for this panel only.
  }
  return out;
}

export async function saveConfig(deployment: string, cfg: StoredConfig | null): Promise<string | null> {
  try {
    if (cfg === null) await storageLocal.remove(KEY_PREFIX + deployment);
    else {
      if (cfg.text.length > MAX_TEXT) return `The config is ${cfg.text.length} characters; at most ${MAX_TEXT} are stored.`;
      await storageLocal.set({ [KEY_PREFIX + deployment]: { text: cfg.text, env: { ...cfg.env } } });
    }
    return null;
  } catch (e) {
    return `Could not save to extension storage: ${e instanceof Error ? e.message : String(e)}`;
  }
}

function asStoredConfig(v: unknown): StoredConfig | null {
  if (typeof v !== "object" || v === null) return null;
  const o = v as Record<string, unknown>;
  if (typeof o.text !== "string") return null;
  const env = record<string>();
  if (typeof o.env === "object" && o.env !== null) {
    for (const [k, val] of Object.entries(o.env)) if (typeof val === "string") env[k] = val;
  }
  return { text: o.text, env };
}
