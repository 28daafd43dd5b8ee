// The streaming HAR reader (core/session/har-stream.ts via import-stream.ts): same events as reading the whole
// document, whatever the chunk boundaries; every truncation is reported with its byte offset.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CaptureStream, importCaptureText } from "../../../src/core/session/import-stream";
import { importCaptured, ImportError } from "../../../src/core/session/import";
import { har, httpEntry, socketEntry } from "./har";

const SYNC = "wss://happy-otter-123.convex.cloud/api/1.48.0/sync";
const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);

/** Strings that stress the scanner: escaped quotes and backslashes, brackets inside strings, multi-byte UTF-8. */
const tricky = ['{"type":"Connect","note":"\\"]}[{\\\\"}', "é中😀 \\ \" ] } ,", "\\\\\\\\\"", "[[[{{{"];

function sample(): string {
  return har([
    httpEntry({ url: "https://app.example.com/", at: T0, method: "GET", status: 200, body: tricky.join("|"), mimeType: "text/html", resourceType: "document" }),
    socketEntry(SYNC, T0 + 10, [
      { type: "send", at: T0 + 11, data: JSON.stringify({ connectionCount: 0, lastCloseReason: "InitialConnect", clientTs: T0, type: "Connect", sessionId: "s-1" }) },
      { type: "receive", at: T0 + 12, data: tricky[0]! },
      { type: "send", at: T0 + 13, data: JSON.stringify({ type: "Authenticate", baseVersion: 0, tokenType: "None" }) },
    ]),
    httpEntry({ url: "https://happy-otter-123.convex.cloud/api/query", at: T0 + 20, status: 401, body: JSON.stringify({ code: "NoAuthProvider", message: `x ${tricky[1]}` }) }),
  ]);
}

function streamIn(text: string, cuts: number[]) {
  const bytes = new TextEncoder().encode(text);
  const s = new CaptureStream();
  let at = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    s.push(bytes.subarray(at, Math.max(at, c)));
    at = Math.max(at, c);
  }
  s.push(bytes.subarray(at));
  return s.end();
}

describe("streaming HAR reader", () => {
  it("gives the same events as parsing the whole document, for any chunk boundaries", () => {
    const text = sample();
    const whole = importCaptured(text);
    expect(whole.length).toBeGreaterThan(4);
    const n = new TextEncoder().encode(text).length;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: n }), { maxLength: 40 }), (cuts) => {
        expect(streamIn(text, cuts).events).toEqual(whole);
      }),
      { numRuns: 300 },
    );
    // One byte at a time: every escape, quote and multi-byte character split.
    expect(streamIn(text, Array.from({ length: n }, (_, i) => i)).events).toEqual(whole);
  });

  it("says where each entry came from: entry index, and the WebSocket message of each frame", () => {
    const r = importCaptureText(sample());
    expect(r).toMatchObject({ kind: "har", entries: 3 });
    expect(r.sources!.connectionEntry.get("har:1")).toBe(1);
    expect(r.sources!.connectionMessages.get("har:1")).toEqual([0, 1, 2]);
    expect(r.sources!.requestEntry).toEqual([2]);
  });

  it("every truncation is an ImportError naming the byte where the file ends", () => {
    const text = sample();
    const bytes = new TextEncoder().encode(text);
    for (let cut = 1; cut < bytes.length; cut += 7) {
      const s = new CaptureStream();
      s.push(bytes.subarray(0, cut));
      let err: unknown;
      try {
        s.end();
      } catch (e) {
        err = e;
      }
      expect(err, `cut at ${cut}`).toBeInstanceOf(ImportError);
      expect((err as Error).message).toMatch(new RegExp(`^The file ends at byte ${cut}( inside HAR entry \\d)? before the JSON document is complete: it looks truncated\\.$`));
    }
  });

  it("names what is wrong and where for non-HAR input", () => {
    const cases: [string, RegExp][] = [
      ["", /^The file is empty\.$/],
      ["   \n", /only white space/],
      ["[]", /^Not a HAR file or export: expected a JSON object, found "\[" at byte 0/],
      ['{"log": []}', /"log" is not an object at byte 8/],
      ['{"log": {"entries": {}}}', /"log.entries" is not an array at byte 20/],
      ['{"log": {"entries": [5]}}', /HAR entry 0 is not an object at byte 21/],
      ['{"log": {"entries": []}} {', /after the end of the JSON document at byte 25/],
      ['{"log": {"entries": [{"request": {"url": 1}}]}}', /HAR entry 0 has no request URL/],
      ['{"log": {"entries": [{"a": tru}]}}', /^HAR entry 0: "a" \(starting at byte 27\) is not valid JSON: /],
      [
        `{"log": {"entries": [{"request": {"url": "${SYNC}"}, "startedDateTime": "2026-01-01T00:00:00Z", "_webSocketMessages": [{"type": "send"}, {"type": nope}]}]}}`,
        /^HAR entry 0, WebSocket message 1 \(starting at byte \d+\) is not valid JSON: /,
      ],
      ['{"log": {"pages": []}}', /no "log.entries" array/],
      ['{"format": "something-else"}', /neither a HAR file/],
      ['{"log" 1}', /^Expected ":" after key "log", found "1" at byte 7\.$/],
    ];
    for (const [text, re] of cases) expect(() => importCaptureText(text), text).toThrow(re);
  });

  it("another site's socket: its messages are skipped unread (only a Convex socket's are parsed)", () => {
    const text = `{"log": {"entries": [{"request": {"url": "wss://chat.example.com/socket"}, "startedDateTime": "2026-01-01T00:00:00Z", "_resourceType": "websocket", "_webSocketMessages": [{"type": nope}]}]}}`;
    expect(importCaptureText(text)).toMatchObject({ kind: "har", entries: 1, events: [] });
  });

  it("reads our own export the same way as the whole-document reader", () => {
    const exp = JSON.stringify({
      format: "convex-auth-inspector/capture",
      version: 1,
      exportedAt: "2026-01-02T03:04:05Z",
      events: [
        { n: 0, doc: "d1", frame: 0, ev: { k: "ws-new", t: T0, ws: 1, url: SYNC } },
        { n: 1, doc: "d1", frame: 0, ev: { k: "ws-send", t: T0 + 1, ws: 1, frame: { text: '{"type":"Connect"}', size: 18 } } },
      ],
    });
    const r = importCaptureText(exp);
    expect(r.kind).toBe("export");
    expect(r.events).toEqual(importCaptured(exp));
  });

  it("any bytes, or a HAR with bytes changed: a result or one ImportError, never another exception", () => {
    const base = new TextEncoder().encode(sample());
    const check = (bytes: Uint8Array, cuts: number[]) => {
      try {
        const s = new CaptureStream();
        let at = 0;
        for (const c of [...cuts].sort((a, b) => a - b)) {
          s.push(bytes.subarray(at, Math.max(at, Math.min(c, bytes.length))));
          at = Math.max(at, Math.min(c, bytes.length));
        }
        s.push(bytes.subarray(at));
        s.end();
      } catch (e) {
        expect(e).toBeInstanceOf(ImportError);
        expect((e as Error).message).not.toContain("\n");
      }
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(300), { maxLength: 5 }), (bytes, cuts) => check(bytes, cuts)),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(base.length - 1), fc.constantFrom(0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x20, 0x00, 0xff)), { minLength: 1, maxLength: 4 }), fc.array(fc.nat(base.length), { maxLength: 4 }), (flips, cuts) => {
        const bytes = Uint8Array.from(base);
        for (const [i, b] of flips) bytes[i] = b;
        check(bytes, cuts);
      }),
      { numRuns: 500 },
    );
  });

  it("stays linear on strings full of escapes (no rescanning per backslash)", () => {
    const body = '\\\\\\"'.repeat(1_000_000); // 4 MB of escaped backslashes and quotes, no closing quote for long
    const text = har([httpEntry({ url: "https://app.example.com/x.js", at: T0, method: "GET", status: 200, body: body })]);
    // Rescanning per backslash is quadratic on these 4 MB: it fails by the test's timeout, not by a stopwatch.
    expect(streamIn(text, [1 << 20, 2 << 20, 3 << 20]).entries).toBe(1);
  });
});
