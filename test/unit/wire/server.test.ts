import { describe, expect, it } from "vitest";
import { FRAME_HEAD, FRAME_TAIL } from "../../../src/core/capture/events";
import { parseServerFrame, parseServerText } from "../../../src/core/wire/server";

const EXAMPLE =
  '{"type":"Transition","startVersion":{"querySet":0,"identity":0,"ts":"AAAAAAAAAAA="},"endVersion":{"querySet":1,"identity":1,"ts":"AQAAAAAAAAA="},"modifications":[{"type":"QueryUpdated","queryId":0,"value":[],"logLines":[],"journal":null}],"clientClockSkew":-3,"serverTs":1755800000000000000}';

/** A big Transition as the backend writes it, cut the way the hook cuts it. */
function headTail(text: string) {
  return { head: text.slice(0, FRAME_HEAD), tail: text.slice(-FRAME_TAIL), size: text.length };
}
function bigTransition(skew: string, serverTs: string): string {
  const rows = Array.from({ length: 3000 }, (_, i) => ({ _id: `id${i}`, body: `message ${i} "clientClockSkew":99999,"serverTs":1`, identity: 7 }));
  return `{"type":"Transition","startVersion":{"querySet":4,"identity":1,"ts":"AAAAAAAAAAA="},"endVersion":{"querySet":5,"identity":2,"ts":"AQAAAAAAAAA="},"modifications":[{"type":"QueryUpdated","queryId":0,"value":${JSON.stringify(rows)},"logLines":[],"journal":null}],"clientClockSkew":${skew},"serverTs":${serverTs}}`;
}

describe("server frames", () => {
  it("reads the reference Transition example", () => {
    expect(parseServerText(EXAMPLE)).toEqual({
      type: "Transition",
      startVersion: { querySet: 0, identity: 0, ts: "AAAAAAAAAAA=" },
      endVersion: { querySet: 1, identity: 1, ts: "AQAAAAAAAAA=" },
      modificationCount: 1,
      answered: [0],
      queryFailures: [],
      clientClockSkew: -3,
      serverTsMs: 1755800000000,
      partial: false,
    });
  });
  it("keeps QueryFailed messages and null skew", () => {
    const f = parseServerText(
      '{"type":"Transition","startVersion":{"querySet":1,"identity":1,"ts":"AAAAAAAAAAA="},"endVersion":{"querySet":2,"identity":1,"ts":"AQAAAAAAAAA="},"modifications":[{"type":"QueryFailed","queryId":2,"errorMessage":"Unauthenticated","logLines":[],"journal":null}],"clientClockSkew":null,"serverTs":null}',
    );
    expect(f).toMatchObject({ queryFailures: [{ queryId: 2, errorMessage: "Unauthenticated" }], clientClockSkew: null, serverTsMs: null });
  });
  it("reads a head+tail Transition from its ends only", () => {
    const text = bigTransition("-7001", "1755800001234567890");
    expect(text.length).toBeGreaterThan(64 * 1024);
    const f = parseServerFrame(headTail(text));
    expect(f).toMatchObject({
      type: "Transition",
      startVersion: { querySet: 4, identity: 1 },
      endVersion: { querySet: 5, identity: 2 },
      clientClockSkew: -7001,
      partial: true,
      modificationCount: null,
      answered: null,
    });
    expect(f.type === "Transition" && f.serverTsMs).toBeCloseTo(1755800001234.5679, 3);
  });
  it("reads null skew from a head+tail Transition tail", () => {
    const f = parseServerFrame(headTail(bigTransition("null", "null")));
    expect(f).toMatchObject({ type: "Transition", clientClockSkew: null, serverTsMs: null });
  });
  it("says which version is missing from a cut head", () => {
    const f = parseServerFrame({ head: '{"type":"Transition","startVersion":{"querySet":4,"identity":1,"ts":"AAAAAAAAAAA="},"endVer', tail: "}", size: 100000 });
    expect(f.type === "invalid" && f.reason).toMatch(/"endVersion" not found/);
  });
  it("reads AuthError (both authUpdateAttempted values), FatalError, Ping, responses", () => {
    expect(parseServerText('{"type":"AuthError","error":"Convex token identity expired","baseVersion":2,"authUpdateAttempted":false}')).toEqual({
      type: "AuthError",
      error: "Convex token identity expired",
      baseVersion: 2,
      authUpdateAttempted: false,
    });
    expect(parseServerText('{"type":"AuthError","error":"x","baseVersion":0}')).toMatchObject({ authUpdateAttempted: null });
    expect(parseServerText('{"type":"FatalError","error":"bad"}')).toEqual({ type: "FatalError", error: "bad" });
    expect(parseServerText('{"type":"Ping"}')).toEqual({ type: "Ping" });
    expect(parseServerText('{"type":"MutationResponse","requestId":1,"success":false,"result":"boom","logLines":[],"ts":null}')).toEqual({
      type: "MutationResponse",
      requestId: 1,
      success: false,
      errorMessage: "boom",
    });
    expect(parseServerText('{"type":"ActionResponse","requestId":2,"success":true,"result":1,"logLines":[]}')).toMatchObject({ success: true, errorMessage: null });
  });
  it("turns malformed server frames into specific reasons", () => {
    const cases: [string, RegExp][] = [
      ["{", /not JSON/],
      ['{"type":"AuthError"}', /no string "error"/],
      ['{"type":"Transition","startVersion":{"querySet":0},"endVersion":{"querySet":1,"identity":1,"ts":"AQAAAAAAAAA="}}', /"startVersion" is not/],
      ['{"type":"TransitionChunk","chunk":"x","partNumber":0,"totalParts":2}', /transitionId/],
      ['{"type":"Mystery"}', /unknown server message type "Mystery"/],
    ];
    for (const [text, re] of cases) {
      const f = parseServerText(text);
      expect(f.type === "invalid" && f.reason).toMatch(re);
    }
  });
});
