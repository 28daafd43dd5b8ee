/**
 * Bounds that keep a hostile or broken endpoint from hanging or flooding the inspector.
 * The backend has its own (larger) limits; these only need to be generous for real JWKS / discovery documents,
 * which are a few KiB.
 */

/** Largest response body we read; more is cut off with a clear failure. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Whole request time (connect + headers + body). */
export const FETCH_TIMEOUT_MS = 5000;
/** How many characters of an error body we keep for messages (the backend prints the body). */
export const MAX_FAILURE_BODY_CHARS = 16 * 1024;
/** Cached URLs; least recently used goes first. */
export const MAX_CACHE_ENTRIES = 64;
/** Redirect hops followed (reqwest's default policy stops at 10). */
export const MAX_REDIRECTS = 10;
