/**
 * The backend's provider-URL rules (`deserialize_issuer_url`, reference §1.5) and its issuer comparison
 * (`matches_token`, reference §2.1), shared by the config rules and the verdict.
 */
import { parse as parseDomain } from "tldts";

export type ProviderUrlResult =
  | { ok: true; stored: string; hadScheme: boolean }
  | { ok: false; reason: "quote" | "parse" | "scheme" | "tld"; message: string };

const PROTOCOL = /^\w+:\/\//;

/** The stored form of a `domain` / `issuer` value: `https://` prepended when it has no `\w+://` scheme. */
export function storedProviderUrl(value: string): string {
  return PROTOCOL.test(value) ? value : `https://${value}`;
}

/**
 * Validates a `domain`/`issuer` value as the backend does at push time and returns the stored string,
 * or the backend's exact `Invalid provider domain URL "{v}": …` text.
 */
export function parseProviderUrl(value: string): ProviderUrlResult {
  const prefix = `Invalid provider domain URL "${value}": `;
  if (value.startsWith('"')) return { ok: false, reason: "quote", message: `${prefix}starts with a double quote (")` };
  const hadScheme = PROTOCOL.test(value);
  const url = storedProviderUrl(value);
  if (!url.startsWith("http://") && !url.startsWith("https://")) {
    return { ok: false, reason: "scheme", message: `${prefix}scheme should be http or https` };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: "parse", message: `${prefix}${urlParseError(url)}` };
  }
  if (parsed.hostname === "") return { ok: false, reason: "parse", message: `${prefix}empty host` };
  if (!hadScheme && !endsWithTld(parsed.hostname)) {
    return {
      ok: false,
      reason: "tld",
      message: `${prefix}Does not look like a URL (must have a scheme or end with a top-level domain)`,
    };
  }
  return { ok: true, stored: url, hadScheme };
}

/** The `url` crate's wording for the most likely reason WHATWG URL parsing failed (same URL standard). */
function urlParseError(url: string): string {
  const afterScheme = url.replace(/^[a-z]+:\/\//, "");
  const authority = afterScheme.split(/[/?#]/)[0] ?? "";
  const hostPort = authority.slice(authority.lastIndexOf("@") + 1);
  if (hostPort === "") return "empty host";
  if (hostPort.startsWith("[")) return "invalid IPv6 address";
  const colon = hostPort.lastIndexOf(":");
  if (colon >= 0) {
    const port = hostPort.slice(colon + 1);
    if (!/^\d*$/.test(port) || Number(port) > 65535) return "invalid port number";
    if (colon === 0) return "empty host";
  }
  if (/^[\d.]+$/.test(hostPort.split(":")[0] ?? "")) return "invalid IPv4 address";
  return "invalid domain character";
}

/** `ends_with_tld`: `localhost`, or a last label that is a real top-level domain. */
export function endsWithTld(host: string): boolean {
  if (host === "localhost") return true;
  const dot = host.lastIndexOf(".");
  if (dot < 0) return false;
  const label = host.slice(dot + 1).toLowerCase();
  if (label === "" || /^\d+$/.test(label)) return false;
  const info = parseDomain(`x.${label}`, { allowPrivateDomains: false });
  return info.isIcann === true;
}
