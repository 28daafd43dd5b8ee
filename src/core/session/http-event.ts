/** A captured Convex HTTP call into the session: endpoint, Authorization scheme, Bearer token use, error body. */
import type { HookEvent } from "../capture/events";
import { decodeToken } from "../token/decode";
import { maskAdminKey } from "../token/redact";
import { classifyHttpUrl, parseAuthorization, parseHttpErrorBody } from "../wire/http";
import type { Draft } from "./draft";
import { clip, tokenLabel } from "./summary";
import type { HttpRequest, TokenUse } from "./types";

type HttpEvent = Extract<HookEvent, { k: "http" }>;

export function applyHttp(d: Draft, doc: string, ev: HttpEvent): void {
  const target = classifyHttpUrl(ev.url);
  const auth = parseAuthorization(ev.authorization);
  const i = d.s.requests.length;
  const req: HttpRequest = {
    i,
    doc,
    t: ev.t,
    via: ev.via,
    method: clip(String(ev.method), 16),
    url: clip(String(ev.url), 2000),
    deployment: target?.deployment ?? "",
    endpoint: target?.endpoint ?? "unknown",
    scheme: auth.scheme,
    status: ev.status,
  };
  if (ev.errorBody !== undefined && ev.status >= 400) req.error = parseHttpErrorBody(ev.errorBody);
  let who = "no Authorization";
  if (auth.scheme === "Bearer") {
    const tok = decodeToken(auth.token);
    const use: TokenUse = { request: i, t: ev.t, token: tok, outcome: "unknown" };
    // HTTP actions run even when auth fails (reference backend §5.3): their status says nothing about the token.
    if (req.endpoint !== "http-action") {
      if (ev.status === 401) {
        use.outcome = "rejected";
        if (req.error) use.error = "message" in req.error ? req.error.message : req.error.raw;
      } else if (ev.status >= 200 && ev.status < 300) use.outcome = "accepted";
    }
    req.token = d.addToken(use);
    who = `Bearer ${tokenLabel(tok)}`;
  } else if (auth.scheme === "Convex") {
    req.adminKeyMasked = maskAdminKey(auth.adminKey);
    req.actingAs = auth.actingAs !== null;
    who = `admin key ${req.adminKeyMasked}${req.actingAs ? " acting as a user" : ""}`;
  } else if (auth.scheme === "other") {
    req.badScheme = { prefix: auth.prefix, ...auth.backend };
    who = `Authorization "${auth.prefix} …"`;
  }
  const authed = socketAuthed(d, doc, req.deployment);
  if (authed) req.socketAuthed = authed;
  d.addRequest(req);
  const err = req.error ? ("code" in req.error ? `: ${req.error.code} ${clip(req.error.message, 160)}` : `: ${clip(req.error.raw, 160)}`) : "";
  d.timeline({
    t: ev.t,
    kind: "http",
    request: i,
    text: `${req.method} ${req.endpoint === "unknown" ? clip(req.url, 120) : req.endpoint} (${who}) → ${ev.status}${err}`,
    ...(ev.status === 401 || auth.scheme === "other" || auth.scheme === "Convex" ? { severity: "error" as const } : {}),
  });
}

/** An open sync connection of this document whose token is accepted (same deployment when known). */
function socketAuthed(d: Draft, doc: string, deployment: string): string | undefined {
  for (const c of d.s.connections) {
    if (c.doc !== doc || c.state === "closed" || c.auth !== "accepted") continue;
    if (deployment && c.deployment && c.deployment !== deployment) continue;
    return c.id;
  }
  return undefined;
}
