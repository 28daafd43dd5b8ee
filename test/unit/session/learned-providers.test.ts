/** Provider lists the deployment reported, read whole or incrementally as a SessionBuilder grows. */
import { describe, expect, it } from "vitest";
import { SessionBuilder } from "../../../src/core/session/builder";
import { LearnedProviders, learnedProviders } from "../../../src/core/session/learned-providers";
import { emptySession, reduceSession } from "../../../src/core/session/reduce";
import { authError, authUser, Capture, connectMsg, DEPLOYMENT, NO_PROVIDER, signToken } from "./fixtures";

const OTHER = NO_PROVIDER.replace("https://other.example.test", "https://later.example.test");

async function capture(): Promise<Capture> {
  const tok = await signToken();
  return new Capture()
    .open(1)
    .send(1, connectMsg(0, "InitialConnect"))
    .send(1, authUser(0, tok))
    .recv(1, authError(NO_PROVIDER, 0, true))
    .at(1000)
    .send(1, authUser(1, tok))
    .recv(1, authError(OTHER, 1, true));
}

describe("learned providers", () => {
  it("takes each deployment's latest NoAuthProvider list", async () => {
    const s = reduceSession(emptySession(), (await capture()).events);
    expect(learnedProviders(s).get(DEPLOYMENT)?.map((p) => ("domain" in p ? p.domain : p.issuer))).toEqual(["https://later.example.test"]);
  });

  it("reads a growing session incrementally to the same answer, and keeps its Map while nothing new came", async () => {
    const events = (await capture()).events;
    const b = new SessionBuilder();
    const scan = new LearnedProviders();
    b.add(events.slice(0, 5));
    const first = scan.read(b.snapshot());
    expect(first.get(DEPLOYMENT)?.map((p) => ("domain" in p ? p.domain : p.issuer))).toEqual(["https://other.example.test"]);
    b.add(events.slice(5, 6)); // an Authenticate: nothing new to learn
    expect(scan.read(b.snapshot())).toBe(first);
    b.add(events.slice(6));
    const after = scan.read(b.snapshot());
    expect(after).not.toBe(first);
    expect(after).toEqual(learnedProviders(reduceSession(emptySession(), events)));
  });
});
