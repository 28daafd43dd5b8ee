/**
 * Random auth sessions for the session rules: sequences of what real clients, servers and pages do (sockets
 * opening and closing, Connect with one of a few client sessionIds, Authenticate User/None/Admin with tokens
 * that are fresh, expired, issued ahead or short-lived, queries, Transitions that advance identity or not, with
 * clock skews, AuthErrors, HTTP calls with every auth scheme, waits from 50 ms to 40 s, lost events, page loads),
 * built with the session fixtures into captured events. Tokens are signed with jose when the test runs.
 */
import fc from "fast-check";
import type { CapturedEvent } from "../../../src/core/session/types";
import { authAdmin, authError, authNone, authUser, Capture, connectMsg, DEPLOYMENT, mqs, NO_PROVIDER, signToken, transition } from "../session/fixtures";

const START_S = 1_755_800_000;

/** Fresh (two users), expired before the capture starts, issued 100 s ahead, short-lived, and not a JWT. */
export async function tokenPool(): Promise<string[]> {
  return [
    await signToken({ sub: "u1" }, { iat: START_S - 60 }),
    await signToken({ sub: "u2" }, { iat: START_S - 30 }),
    await signToken({ sub: "u1" }, { iat: START_S - 7200, exp: START_S - 3600 }),
    await signToken({ sub: "u3" }, { iat: START_S + 100 }),
    await signToken({ sub: "u1" }, { iat: START_S, exp: START_S + 30 }),
    "not-a-jwt",
  ];
}

const ws = fc.nat(7);
export type Op =
  | { k: "open" }
  | { k: "ghost" }
  | { k: "connect"; ws: number; sid: number; count: number }
  | { k: "auth"; ws: number; tok: number; bv: number }
  | { k: "none"; ws: number; bv: number }
  | { k: "admin"; ws: number; key: number }
  | { k: "mqs"; ws: number; adds: number }
  | { k: "trans"; ws: number; advance: boolean; answer: boolean; skew: number | null }
  | { k: "err"; ws: number; text: number; attempted: boolean }
  | { k: "close"; ws: number; code: number }
  | { k: "http"; auth: number; status: number; endpoint: number; tok: number }
  | { k: "wait"; ms: number }
  | { k: "lost"; count: number }
  | { k: "page" };

export const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.constant({ k: "open" as const }), weight: 3 },
  { arbitrary: fc.constant({ k: "ghost" as const }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant("connect" as const), ws, sid: fc.nat(2), count: fc.nat(4) }), weight: 3 },
  { arbitrary: fc.record({ k: fc.constant("auth" as const), ws, tok: fc.nat(5), bv: fc.nat(2) }), weight: 5 },
  { arbitrary: fc.record({ k: fc.constant("none" as const), ws, bv: fc.nat(2) }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant("admin" as const), ws, key: fc.nat(1) }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant("mqs" as const), ws, adds: fc.nat(2) }), weight: 3 },
  {
    arbitrary: fc.record({ k: fc.constant("trans" as const), ws, advance: fc.boolean(), answer: fc.boolean(), skew: fc.constantFrom(null, -3, 9000, -20000) }),
    weight: 5,
  },
  { arbitrary: fc.record({ k: fc.constant("err" as const), ws, text: fc.nat(2), attempted: fc.boolean() }), weight: 3 },
  { arbitrary: fc.record({ k: fc.constant("close" as const), ws, code: fc.constantFrom(1000, 1005, 1006) }), weight: 2 },
  { arbitrary: fc.record({ k: fc.constant("http" as const), auth: fc.nat(3), status: fc.constantFrom(200, 401), endpoint: fc.nat(2), tok: fc.nat(5) }), weight: 2 },
  { arbitrary: fc.record({ k: fc.constant("wait" as const), ms: fc.constantFrom(50, 900, 4000, 12_000, 40_000) }), weight: 4 },
  { arbitrary: fc.record({ k: fc.constant("lost" as const), count: fc.integer({ min: 1, max: 3 }) }), weight: 1 },
  { arbitrary: fc.constant({ k: "page" as const }), weight: 1 },
);

const ERRORS = [NO_PROVIDER, "Convex token identity expired", "Could not parse JWT payload"];
const ENDPOINTS = [`${DEPLOYMENT}/api/query`, `${DEPLOYMENT}/api/mutation`, "https://happy-animal-123.convex.site/hook"];
const ADMIN_KEYS = ["prod:happy-animal-123|eyJ2MiI6IjAwIn0=", "dev:happy-animal-123|eyJ2MiI6IjExIn0="];

/** The ops as one tab's captured events. */
export function capture(ops: readonly Op[], tokens: readonly string[]): CapturedEvent[] {
  const c = new Capture().installed();
  let doc = 1;
  let next = 1;
  /** Sockets opened in the current document, with their query-set and identity versions. */
  let socks: { ws: number; qs: number; id: number }[] = [];
  const sock = (i: number) => socks[i % socks.length];
  for (const o of ops) {
    switch (o.k) {
      case "open":
        socks.push({ ws: next, qs: 0, id: 0 });
        c.open(next++);
        break;
      case "ghost": // a socket whose ws-new and ws-open were not captured
        socks.push({ ws: next, qs: 0, id: 0 });
        c.send(next++, connectMsg(0, "InitialConnect"));
        break;
      case "page":
        c.doc = `doc-${++doc}`;
        socks = [];
        c.installed(`https://app.example.test/${doc}`);
        break;
      case "wait":
        c.at(o.ms);
        break;
      case "lost":
        c.skip(o.count);
        break;
      case "http": {
        const tok = tokens[o.tok]!;
        const authorization = [null, `Bearer ${tok}`, `Convex ${ADMIN_KEYS[0]}`, `Basic ${tok}`][o.auth]!;
        const errorBody = o.status === 401 ? JSON.stringify({ code: "Unauthenticated", message: ERRORS[o.tok % ERRORS.length] }) : undefined;
        c.http({ url: ENDPOINTS[o.endpoint]!, authorization, status: o.status, ...(errorBody ? { errorBody } : {}) });
        break;
      }
      default: {
        const s = sock(o.ws);
        if (!s) break;
        if (o.k === "connect") c.send(s.ws, connectMsg(o.count, o.count ? "Reconnect" : "InitialConnect", `23d5d71f-0000-4000-8000-00000000000${o.sid}`, c.t + 5000));
        else if (o.k === "auth") c.send(s.ws, authUser(o.bv === 0 ? 0 : s.id, tokens[o.tok]!));
        else if (o.k === "none") c.send(s.ws, authNone(o.bv === 0 ? 0 : s.id));
        else if (o.k === "admin") c.send(s.ws, authAdmin(s.id, ADMIN_KEYS[o.key]!, o.key ? { subject: "u1" } : undefined));
        else if (o.k === "mqs") {
          const adds: [number, string][] = Array.from({ length: o.adds }, (_, i) => [s.qs * 3 + i, "messages:list"]);
          c.send(s.ws, mqs(s.qs, s.qs + 1, adds));
          s.qs++;
        } else if (o.k === "trans") {
          const to: [number, number] = [s.qs, s.id + (o.advance ? 1 : 0)];
          const answered = o.answer ? [Math.max(0, s.qs - 1) * 3] : [];
          c.recv(s.ws, transition([s.qs, s.id], to, answered, { ...(o.skew === null ? {} : { clientClockSkew: o.skew + 5000 }), serverTs: (c.t + 1) * 1_000_000 }));
          s.id = to[1];
        } else if (o.k === "err") c.recv(s.ws, authError(ERRORS[o.text]!, s.id, o.attempted));
        else if (o.k === "close") {
          c.close(s.ws, o.code);
          socks = socks.filter((x) => x !== s);
        }
      }
    }
  }
  return c.events;
}
