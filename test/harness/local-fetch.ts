// A fetch for the harness's own Node-side requests (OIDC discovery, JWKS) that reaches the real-looking host
// names (host-names.ts) on 127.0.0.1 and trusts only the harness's certificate for them. Any other URL goes
// to the global fetch untouched: nothing else is remapped.
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isLocalName, localNameLookup } from "./host-names.ts";

const MAX_REDIRECTS = 5;
const TIMEOUT_MS = 10_000;
const MAX_BODY = 4 * 1024 * 1024;

function urlOf(input: Parameters<typeof fetch>[0]): string {
  return typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
}

/** `fetch` that resolves the mapped names to 127.0.0.1 (TLS trusting `ca`), and defers to `fetch` otherwise. */
export function createLocalNameFetch(ca: string): typeof fetch {
  const localFetch = async (input: Parameters<typeof fetch>[0], init?: RequestInit, hops = 0): Promise<Response> => {
    const url = new URL(urlOf(input));
    if (!isLocalName(url.hostname)) return fetch(input, init);
    const res = await send(url, init, ca);
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location !== null && (init?.redirect ?? "follow") === "follow") {
      if (hops >= MAX_REDIRECTS) throw new TypeError(`fetch ${url.href}: more than ${MAX_REDIRECTS} redirects`);
      return localFetch(new URL(location, url).href, { ...init, method: "GET", body: null }, hops + 1);
    }
    return res;
  };
  return (input, init) => localFetch(input, init);
}

function send(url: URL, init: RequestInit | undefined, ca: string): Promise<Response> {
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return Promise.reject(new TypeError(`fetch ${url.href}: only http and https are served locally`));
  }
  const body = typeof init?.body === "string" ? init.body : null;
  if (init?.body != null && body === null) return Promise.reject(new TypeError("the local fetch sends string bodies only"));
  const headers = Object.fromEntries(new Headers(init?.headers).entries());
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<Response>((resolve, reject) => {
    const req = request(
      url,
      {
        method: init?.method ?? "GET",
        headers,
        lookup: localNameLookup,
        ...(url.protocol === "https:" ? { ca, servername: url.hostname } : {}),
        ...(init?.signal ? { signal: init.signal } : {}),
        timeout: TIMEOUT_MS,
      },
      (res) => readResponse(res, url).then(resolve, reject),
    );
    req.on("timeout", () => req.destroy(new TypeError(`fetch ${url.href}: no answer within ${TIMEOUT_MS} ms`)));
    req.on("error", (e) => reject(new TypeError(`fetch failed: ${url.href}`, { cause: e })));
    req.end(body ?? undefined);
  });
}

async function readResponse(res: IncomingMessage, url: URL): Promise<Response> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) {
      res.destroy();
      throw new TypeError(`fetch ${url.href}: body larger than ${MAX_BODY} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  const headers = new Headers();
  for (const [k, v] of Object.entries(res.headers)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
  }
  const status = res.statusCode ?? 502;
  const nullBody = status === 204 || status === 304 || status < 200;
  return new Response(nullBody ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage ?? "", headers });
}
