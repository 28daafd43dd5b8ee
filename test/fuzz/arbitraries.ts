/**
 * Structured generators for fuzzing: hostile strings built from the pieces that broke things before (a-a-…,
 * eyJ runs, bars, control characters, Object.prototype names), JWT-shaped tokens with random headers and claims,
 * deep JSON, and protocol-shaped frames and events. Random bytes alone rarely reach past the first parse.
 */
import fc from "fast-check";
import type { Provider } from "../../src/core/config/types";
import type { FrameText, HookEvent } from "../../src/core/capture/events";
import type { CapturedEvent } from "../../src/core/session/types";

export const b64url = (s: string): string => Buffer.from(s, "utf8").toString("base64url");

const PIECES = [
  "a-", "a", "-", "|", ".", "eyJ", "eyJhbGciOiJSUzI1NiJ9", "prod:", "dev:", "happy-animal-123", "0123456789abcdef",
  "=", "==", "+", "/", "?adminKey=", "&", "#", " ", "\n", "\r", "\t", "\u0000", "\u001b[2J", "\u001b]0;x\u0007",
  "\u009b", "\u202e", "\u2028", "\ud800", "\ufffd", "{", "}", "[", "]", '"', "\\", ":", ",", "constructor", "__proto__",
  "toString", "Bearer ", "Convex ", "https://", "http://127.0.0.1", "OIDC(domain=", "CustomJWT(issuer=", ", app_id=", ")",
  "No auth provider found matching the given token", "Could not validate token: ", "Invalid issuer: ", " != ",
  '"Authenticate"', '"Admin"', '"AuthError"', '"Transition"',
];

/** Strings made of the pieces that matter, plus plain random text. */
export const hostileString = (maxPieces = 60): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.array(fc.constantFrom(...PIECES), { maxLength: maxPieces }).map((a) => a.join("")) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...PIECES), fc.integer({ min: 1, max: 3000 })).map(([p, n]) => p.repeat(n)) },
  );

/** JSON values up to a few levels, with hostile keys and strings. */
export const jsonValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(-1, 0, 1e300, 2 ** 53, 1_800_000_000)),
    hostileString(8),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("__proto__", "constructor", "toString", "iss", "sub")), tie("value"), { maxKeys: 4 }),
  ),
})).value;

/** Text of a JSON value nested `depth` levels deep (built as text: no serializer nests 100 000 levels). */
export const deepJsonText = (depth: number, leaf = "1"): string =>
  depth % 2 === 0 ? `${'{"a":'.repeat(depth)}${leaf}${"}".repeat(depth)}` : `${"[".repeat(depth)}${leaf}${"]".repeat(depth)}`;

const claimValue = fc.oneof(jsonValue, fc.integer({ min: 0, max: 300 }).map((d) => ({ __deepText: d })));

const TIMES = fc.oneof(fc.integer({ min: 1_799_990_000, max: 1_800_010_000 }), fc.constantFrom(-1, 0, 1.5, 1e20), fc.string({ maxLength: 4 }));

/** A JOSE header object with the fields the verdict reads, some missing, some of the wrong type. */
const headerObj = fc.record(
  {
    alg: fc.oneof(fc.constantFrom("RS256", "ES256", "EdDSA", "HS256", "none", "RSA-OAEP", "", "rs256"), jsonValue),
    kid: fc.oneof(fc.constantFrom("k1", "k2", ""), jsonValue),
    typ: fc.oneof(fc.constantFrom("JWT", "at+jwt", "application/at+jwt"), jsonValue),
    enc: fc.constantFrom("A256GCM"),
    crit: jsonValue,
  },
  { requiredKeys: [] },
);

const ISSUERS = ["https://issuer.example", "https://issuer.example/", "http://127.0.0.1:1", "https://other.example", "issuer.example", ""];

/** A claims object: registered claims (right and wrong types) plus custom ones, sometimes deep. */
const payloadObj = fc.record(
  {
    iss: fc.oneof(fc.constantFrom(...ISSUERS), jsonValue),
    sub: fc.oneof(fc.constantFrom("user-1", ""), jsonValue),
    aud: fc.oneof(fc.constantFrom("app", "convex"), fc.array(fc.constantFrom("app", "convex", "x"), { maxLength: 3 }), jsonValue),
    exp: TIMES,
    iat: TIMES,
    nbf: TIMES,
    email_verified: fc.oneof(fc.boolean(), fc.constantFrom("true")),
    custom: claimValue,
    nested: fc.integer({ min: 0, max: 2000 }).map((d) => ({ __deepText: d })),
  },
  { requiredKeys: [] },
);

/** JSON text with `{"__deepText": n}` placeholders replaced by n levels of nesting. */
function withDeep(v: unknown): string {
  return JSON.stringify(v).replace(/\{"__deepText":(\d+)\}/g, (_m, d: string) => deepJsonText(Number(d)));
}

/** Tokens shaped like JWTs (and like the things pasted instead of them). */
export const tokenLike: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(headerObj, payloadObj, fc.constantFrom("c2ln", "", "sig+/=", "a.b")).map(([h, p, s]) => `${b64url(withDeep(h))}.${b64url(withDeep(p))}.${s}`) },
  { weight: 1, arbitrary: fc.tuple(headerObj, payloadObj).map(([h, p]) => `${b64url(withDeep(h))}..${b64url("iv")}.${b64url(withDeep(p))}.dGFn`) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 40 }), fc.string({ maxLength: 80 })).map(([h, p]) => `${b64url(h)}.${b64url(p)}.c2ln`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom("Bearer ", "bearer\t", " ", ""), hostileString()).map(([a, b]) => a + b) },
);

export const provider: fc.Arbitrary<Provider> = fc.oneof(
  fc.record({
    type: fc.constant("oidc" as const),
    domain: fc.oneof(fc.constantFrom(...ISSUERS), hostileString(4)),
    applicationID: fc.oneof(fc.constantFrom("app", "convex", ""), hostileString(4)),
    index: fc.nat(5),
  }),
  fc.record({
    type: fc.constant("customJwt" as const),
    issuer: fc.oneof(fc.constantFrom(...ISSUERS), hostileString(4)),
    jwks: fc.oneof(fc.constant(null), fc.constantFrom("https://issuer.example/jwks", "data:application/json;base64,e30=", "data:,x", "file:///etc/passwd")),
    algorithm: fc.constantFrom("RS256" as const, "ES256" as const, null),
    applicationID: fc.option(fc.constantFrom("app", "convex"), { nil: undefined }),
    index: fc.nat(5),
  }),
);

const SERVER_TYPES = ["Transition", "AuthError", "FatalError", "MutationResponse", "ActionResponse", "Ping", "TransitionChunk", "Nonsense"];
const CLIENT_TYPES = ["Connect", "Authenticate", "ModifyQuerySet", "Mutation", "Action", "Event", "Nonsense"];

/** Objects shaped like protocol messages: the right `type`, random or hostile fields. */
const protocolMessage = (types: string[]) =>
  fc.record(
    {
      type: fc.oneof(fc.constantFrom(...types), jsonValue),
      error: hostileString(),
      authUpdateAttempted: fc.oneof(fc.boolean(), jsonValue),
      baseVersion: fc.oneof(fc.nat(10), jsonValue),
      tokenType: fc.constantFrom("User", "Admin", "None", "Bogus"),
      value: fc.oneof(tokenLike, jsonValue),
      startVersion: jsonValue,
      endVersion: fc.oneof(fc.constant({ querySet: 1, identity: 1, ts: "AAAAAAAAAAA=" }), jsonValue),
      modifications: fc.array(jsonValue, { maxLength: 3 }),
      clientClockSkew: jsonValue,
      serverTs: jsonValue,
      connectionCount: fc.nat(3),
      sessionId: fc.string({ maxLength: 36 }),
      chunk: hostileString(),
      partNumber: fc.nat(3),
      totalParts: fc.nat(3),
      transitionId: fc.string({ maxLength: 4 }),
    },
    { requiredKeys: ["type"] },
  );

const frameText = (types: string[]): fc.Arbitrary<FrameText> =>
  fc.oneof(
    { weight: 4, arbitrary: protocolMessage(types).map((m) => { const text = JSON.stringify(m); return { text, size: text.length }; }) },
    { weight: 1, arbitrary: hostileString().map((text) => ({ text, size: text.length })) },
    { weight: 1, arbitrary: fc.nat(1_000_000).map((size) => ({ text: "", size, binary: true as const })) },
    {
      weight: 1,
      arbitrary: fc.tuple(protocolMessage(types), fc.nat(200), fc.nat(200), fc.nat(2_000_000)).map(([m, h, t, extra]) => {
        const text = JSON.stringify(m);
        return { head: text.slice(0, h), tail: text.slice(Math.max(0, text.length - t)), size: text.length + extra };
      }),
    },
  );
export const serverFrame = frameText(SERVER_TYPES);
export const clientFrame = frameText(CLIENT_TYPES);

const t = fc.oneof(fc.integer({ min: 1_700_000_000_000, max: 1_700_000_100_000 }), fc.constantFrom(-1, 0, Number.MAX_SAFE_INTEGER));
const ws = fc.nat(3);
const url = fc.oneof(fc.constantFrom("wss://happy-animal-123.convex.cloud/api/1.17.0/sync", "https://happy-animal-123.convex.cloud/api/query"), hostileString(6));

export const hookEvent: fc.Arbitrary<HookEvent> = fc.oneof(
  fc.record({ k: fc.constant("installed" as const), t, url, top: fc.boolean() }),
  fc.record({ k: fc.constant("ws-new" as const), t, ws, url }),
  fc.record({ k: fc.constant("ws-open" as const), t, ws }),
  { weight: 4, arbitrary: fc.record({ k: fc.constant("ws-send" as const), t, ws, frame: clientFrame }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant("ws-recv" as const), t, ws, frame: serverFrame }) },
  fc.record({ k: fc.constant("ws-close" as const), t, ws, code: fc.constantFrom(1000, 1005, 1006, 4040), reason: hostileString(), wasClean: fc.boolean() }),
  fc.record({ k: fc.constant("ws-error" as const), t, ws }),
  fc.record(
    {
      k: fc.constant("http" as const),
      t,
      req: fc.nat(5),
      via: fc.constantFrom("fetch" as const, "xhr" as const),
      method: fc.constantFrom("GET", "POST"),
      url,
      authorization: fc.option(fc.oneof(tokenLike.map((x) => `Bearer ${x}`), hostileString(6)), { nil: null }),
      status: fc.constantFrom(200, 401, 500),
      errorBody: hostileString(),
    },
    { requiredKeys: ["k", "t", "req", "via", "method", "url", "authorization", "status"] },
  ),
  fc.record({ k: fc.constant("dropped" as const), t, count: fc.nat(100) }),
);

/** Events as the background numbers them: one or two documents, sockets 0–3. */
export const capturedEvents: fc.Arbitrary<CapturedEvent[]> = fc
  .array(fc.tuple(fc.constantFrom("doc-a", "doc-b", "__proto__", "constructor"), hookEvent), { maxLength: 30 })
  .map((list) => list.map(([doc, ev], n) => ({ n, doc, frame: 0, ev })));

/** CLI argv: the real options and commands, mixed with hostile strings. */
export const cliArgv: fc.Arbitrary<string[]> = fc.array(
  fc.oneof(
    fc.constantFrom("check", "help", "--help", "-h", "--version", "--config", "--env", "--env-file", "--jwks", "--now", "--prod", "--json", "-", "--", "--now=1", "--env=A=1", "--bogus"),
    hostileString(4),
    fc.nat().map(String),
  ),
  { maxLength: 8 },
);
