/** A KeySource that fetches nothing: every step answers `skipped` with one reason (unknown providers, --offline). */
import { discoveryUrl } from "./discovery-url";
import type { Fetched, KeySource } from "./types";

export function notFetched(reason: string): KeySource {
  const skipped = <T>(url: string): Fetched<T> => ({ ok: false, failure: { kind: "skipped", url, reason } });
  return {
    discover: async (iss) => skipped(discoveryUrl(iss)),
    jwks: async (url) => skipped(url ?? ""),
  };
}
