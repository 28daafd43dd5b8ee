/**
 * The CLI's key source: real fetch, and the user asked for this check, so any URL the config leads to is
 * fetched — unless `--offline`. `--jwks` / `--discovery` supply the documents instead (files are read here and
 * checked once, so a broken file is a usage error, never a prediction about the backend).
 */
import { createKeySource } from "../core/keys/source";
import { allowAll } from "../core/keys/policy";
import { discoveryUrl } from "../core/keys/discovery-url";
import type { Fetched, KeySource } from "../core/keys/types";
import { InputError, readTextFile } from "./input";

/** `--jwks` / `--discovery` as given: a URL to fetch, or a file's text as a `data:` URL. */
export interface Supplied {
  url: string;
  /** The file it came from (null for a URL). */
  file: string | null;
}

export interface CliKeyOptions {
  jwks?: Supplied;
  /** "skip": the discovery step is not made. */
  discovery?: Supplied | "skip";
  offline: boolean;
}

const isUrl = (spec: string) => /^https?:\/\//i.test(spec);

/** Reads `--jwks FILE` / `--discovery FILE` (a URL is kept as is) and checks it is the JSON document it should be. */
export async function readSupplied(spec: string, flag: "--jwks" | "--discovery"): Promise<Supplied> {
  if (isUrl(spec)) return { url: spec, file: null };
  const text = await readTextFile(spec, flag);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${flag} ${spec}: not JSON (${(e as Error).message})`);
  }
  const obj = typeof doc === "object" && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : null;
  if (flag === "--jwks" && !Array.isArray(obj?.keys)) throw new InputError(`${flag} ${spec}: not a JWKS (expected {"keys": [...]})`);
  if (flag === "--discovery" && (typeof obj?.issuer !== "string" || typeof obj?.jwks_uri !== "string")) {
    throw new InputError(`${flag} ${spec}: not an OIDC discovery document (expected "issuer" and "jwks_uri" strings)`);
  }
  return { url: `data:application/json;base64,${Buffer.from(text, "utf8").toString("base64")}`, file: spec };
}

function skipped<T>(url: string, reason: string): Fetched<T> {
  return { ok: false, failure: { kind: "skipped", url, reason } };
}

export function cliKeySource(opts: CliKeyOptions): KeySource {
  const base = createKeySource({ fetch: globalThis.fetch, policy: allowAll() });
  const OFFLINE = "--offline: nothing is fetched";
  /** Supplied files are read even offline; supplied URLs are fetched only online. */
  const offlineUrl = (s: Supplied) => opts.offline && s.file === null;
  return {
    discover(iss) {
      const d = opts.discovery;
      if (d === "skip") {
        return Promise.resolve(
          skipped(discoveryUrl(iss), "--discovery skip: no discovery document was read, so its issuer was not compared with the token's iss"),
        );
      }
      if (d !== undefined) return offlineUrl(d) ? Promise.resolve(skipped(d.url, OFFLINE)) : base.discoveryAt(d.url);
      return opts.offline ? Promise.resolve(skipped(discoveryUrl(iss), OFFLINE)) : base.discover(iss);
    },
    jwks(url, mode) {
      const j = opts.jwks;
      if (j !== undefined) return offlineUrl(j) ? Promise.resolve(skipped(j.url, OFFLINE)) : base.suppliedJwks(j.url, mode);
      if (opts.offline && url !== null && !/^data:/i.test(url)) return Promise.resolve(skipped(url, OFFLINE));
      return base.jwks(url, mode);
    },
  };
}
