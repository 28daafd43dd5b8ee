import { describe, expect, it } from "vitest";
import { parseClientFrame, parseClientText, readClientFrame } from "../../../src/core/wire/client";
import { readServerFrame } from "../../../src/core/wire/server";

describe("client frames", () => {
  it("reads the convex@1.48.0 Connect example", () => {
    const f = parseClientText('{"connectionCount":0,"lastCloseReason":"InitialConnect","clientTs":1795447507476,"type":"Connect","sessionId":"23d5d71f-aaaa"}');
    expect(f).toEqual({ type: "Connect", sessionId: "23d5d71f-aaaa", connectionCount: 0, lastCloseReason: "InitialConnect", clientTs: 1795447507476, maxObservedTimestamp: null });
  });
  it("keeps a null lastCloseReason and maxObservedTimestamp", () => {
    const f = parseClientText(JSON.stringify({ connectionCount: 2, lastCloseReason: null, clientTs: 1, type: "Connect", sessionId: "s", maxObservedTimestamp: "AQAAAAAAAAA=" }));
    expect(f).toMatchObject({ type: "Connect", lastCloseReason: null, maxObservedTimestamp: "AQAAAAAAAAA=" });
  });
  it("reads the three Authenticate variants", () => {
    expect(parseClientText('{"type":"Authenticate","baseVersion":0,"tokenType":"User","value":"eyJ.x.y"}')).toEqual({ type: "Authenticate", tokenType: "User", baseVersion: 0, value: "eyJ.x.y" });
    expect(parseClientText('{"type":"Authenticate","tokenType":"None","baseVersion":1}')).toEqual({ type: "Authenticate", tokenType: "None", baseVersion: 1 });
    expect(parseClientText('{"type":"Authenticate","baseVersion":0,"tokenType":"Admin","value":"dev:x|abc","impersonating":{"subject":"u"}}')).toEqual({ type: "Authenticate", tokenType: "Admin", baseVersion: 0, value: "dev:x|abc", actingAs: { subject: "u" } });
    expect(parseClientText('{"type":"Authenticate","baseVersion":0,"tokenType":"Admin","value":"k","actingAs":{"subject":"u"}}')).toMatchObject({ actingAs: { subject: "u" } });
  });
  it("says what is wrong with odd Authenticate shapes", () => {
    const noType = parseClientText('{"type":"Authenticate","baseVersion":0,"value":"eyJ"}');
    expect(noType).toMatchObject({ type: "invalid", claimedType: "Authenticate" });
    expect(noType.type === "invalid" && noType.reason).toMatch(/no "tokenType"/);
    const plaintext = parseClientText('{"type":"Authenticate","baseVersion":0,"tokenType":"PlaintextUser","value":"x"}');
    expect(plaintext.type === "invalid" && plaintext.reason).toMatch(/"PlaintextUser".*only "User", "Admin" or "None"/);
    const noValue = parseClientText('{"type":"Authenticate","baseVersion":0,"tokenType":"User"}');
    expect(noValue.type === "invalid" && noValue.reason).toMatch(/no string "value"/);
    const noBase = parseClientText('{"type":"Authenticate","tokenType":"User","value":"x"}');
    expect(noBase.type === "invalid" && noBase.reason).toMatch(/baseVersion/);
  });
  it("reads ModifyQuerySet Add and Remove", () => {
    const f = parseClientText('{"type":"ModifyQuerySet","baseVersion":0,"newVersion":1,"modifications":[{"type":"Add","queryId":0,"udfPath":"messages:list","args":[{"channel":"general"}]},{"type":"Remove","queryId":3}]}');
    expect(f).toEqual({
      type: "ModifyQuerySet",
      baseVersion: 0,
      newVersion: 1,
      modifications: [
        { type: "Add", queryId: 0, udfPath: "messages:list", args: [{ channel: "general" }] },
        { type: "Remove", queryId: 3 },
      ],
    });
    const bad = parseClientText('{"type":"ModifyQuerySet","baseVersion":0,"newVersion":1,"modifications":[{"type":"Replace","queryId":0}]}');
    expect(bad.type === "invalid" && bad.reason).toMatch(/"Replace".*"Add" or "Remove"/);
  });
  it("reads Mutation, Action and Event", () => {
    expect(parseClientText('{"type":"Mutation","requestId":3,"udfPath":"messages:send","args":[{}]}')).toMatchObject({ type: "Mutation", requestId: 3 });
    expect(parseClientText('{"type":"Action","requestId":4,"udfPath":"a:b","args":[{}],"componentPath":"c"}')).toMatchObject({ type: "Action", componentPath: "c" });
    expect(parseClientText('{"type":"Event","eventType":"NetworkRecoveryReconnect","event":{"timeSavedMs":5}}')).toMatchObject({ type: "Event", eventType: "NetworkRecoveryReconnect" });
  });
  it("turns garbage into specific invalid results, never throwing", () => {
    const cases: [string, RegExp][] = [
      ["not json", /not JSON/],
      ["[1,2]", /array, not an object/],
      ['{"x":1}', /no string "type"/],
      ['{"type":"Hello"}', /unknown client message type "Hello"/],
      ['{"type":"Connect","sessionId":"s","connectionCount":-1}', /connectionCount/],
    ];
    for (const [text, re] of cases) {
      const f = parseClientText(text);
      expect(f.type).toBe("invalid");
      expect(f.type === "invalid" && f.reason).toMatch(re);
    }
  });
  it("reads only the type of a head+tail client frame", () => {
    const f = parseClientFrame({ head: '{"type":"Authenticate","baseVersion":0,"tokenType":"User","value":"eyJ', tail: 'xyz"}', size: 90000 });
    expect(f).toMatchObject({ type: "invalid", claimedType: "Authenticate" });
    expect(f.type === "invalid" && f.reason).toMatch(/90000 bytes.*head and tail/);
  });

  it("reads a whole frame once: the parsed message and its JSON object; binary and non-JSON frames are invalid", () => {
    const text = '{"type":"Authenticate","tokenType":"None","baseVersion":1}';
    expect(readClientFrame({ text, size: text.length })).toEqual({
      parsed: { type: "Authenticate", tokenType: "None", baseVersion: 1 },
      json: { type: "Authenticate", tokenType: "None", baseVersion: 1 },
    });
    const bin = readClientFrame({ text: "", size: 12, binary: true });
    expect(bin.json).toBeNull();
    expect(bin.parsed.type === "invalid" && bin.parsed.reason).toBe("binary frame of 12 bytes; the Convex client sends JSON text");
    const server = readServerFrame({ text: "", size: 3, binary: true });
    expect(server.parsed.type === "invalid" && server.parsed.reason).toBe("binary frame of 3 bytes; the Convex backend sends JSON text");
    const garbage = readServerFrame({ text: "{oops", size: 5 });
    expect(garbage.json).toBeNull();
    expect(garbage.parsed.type === "invalid" && garbage.parsed.reason).toMatch(/^server frame is not JSON/);
  });
});
