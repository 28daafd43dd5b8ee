/**
 * Whether the panel may READ an issuer's answer. An extension page reads a cross-origin response only when the
 * server allows CORS or the extension holds host access for its origin (Chromium counts the content scripts'
 * matches, unless the user restricted the extension's site access). A read we may not do fails exactly like an
 * unreachable server; an opaque `no-cors` probe of the same URL tells them apart, since it succeeds only if the
 * server answered. Such an origin is "answered but unreadable": the step is not checked (not the issuer's
 * fault), and the Allow reading button asks for host access. Fetching itself is the policy's decision (keys.ts):
 * this file only runs after the policy allowed the URL.
 */
import { signal } from "@preact/signals";
import { httpOrigin } from "../../core/keys/policy";
import { UNREADABLE_CODE } from "../../core/keys/http-get";
import { onHostPermissionsAdded, requestHostPermission } from "../../extension/browser";

/** Origins that answered but whose answers this panel may not read (memory only). */
export const unreadableOrigins = signal<ReadonlySet<string>>(new Set());
/** Bumped when host access changes, so predictions re-run and re-read. */
export const accessEpoch = signal(0);

function unreadableError(origin: string): TypeError {
  const e = new TypeError(`${origin} answered, but the extension may not read the answer (no CORS headers, no host access)`);
  return Object.assign(e, { code: UNREADABLE_CODE });
}

function urlOf(input: RequestInfo | URL): string {
  return typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
}

/**
 * fetch for the key source. A failed fetch is followed by one `no-cors` probe of the same (policy-approved) URL;
 * if the server answered, the origin is marked unreadable and later fetches to it fail at once, without a request,
 * until host access changes.
 */
export const guardedFetch: typeof fetch = async (input, init) => {
  const url = urlOf(input);
  const origin = httpOrigin(url);
  if (origin !== null && unreadableOrigins.value.has(origin)) throw unreadableError(origin);
  try {
    return await fetch(input, init);
  } catch (e) {
    // A timeout is the issuer's slowness (or ours), not a permission problem.
    if (origin === null || (e instanceof DOMException && e.name === "AbortError")) throw e;
    const answered = await fetch(url, { mode: "no-cors", credentials: "omit", signal: AbortSignal.timeout(3000) }).then(
      () => true,
      () => false,
    );
    if (!answered) throw e;
    unreadableOrigins.value = new Set([...unreadableOrigins.value, origin]);
    throw unreadableError(origin);
  }
};

/** Host access changed: forget what was unreadable (the next run reads again, and probes again if it must). */
function accessChanged(): void {
  unreadableOrigins.value = new Set();
  accessEpoch.value++;
}

let watching = false;

/** Re-read when the user grants host access anywhere (our button, or the browser's site-access settings). */
export function watchHostAccess(): void {
  if (watching) return;
  watching = true;
  onHostPermissionsAdded(accessChanged);
}

/**
 * The Allow reading click. The permission request must be the FIRST thing the click handler does: browsers grant
 * it only inside the user's gesture, and any await before it loses that.
 */
export async function allowReading(origin: string): Promise<string | null> {
  const granted = await requestHostPermission(origin + "/");
  if (!granted) return `Reading answers from ${origin} was not allowed.`;
  accessChanged();
  return null;
}
