import { describe, expect, it } from "vitest";
import { finding } from "../../../src/core/rules/catalogue";
import { orderByCause } from "../../../src/core/rules/order";

describe("orderByCause", () => {
  const rejected = finding("token-rejected", "The backend rejected the token.", { connection: "d:1", frame: 3, value: "iss-mismatch, aud-mismatch, aud-missing" });
  const gaveUp = finding("client-gave-up", "The client stopped sending a token.", { connection: "d:2" });
  const aud = finding("aud-missing", "No aud; the provider wants convex.", { claim: "aud" });
  const hint = finding("hint-clerk-template", "A Clerk session token.");
  const accepted = finding("token-accepted", "ok");
  const warn = finding("queries-before-auth", "early");

  it("puts the specific cause and its hint first, consequences after naming the cause", () => {
    const out = orderByCause([rejected, accepted, aud, gaveUp, warn, hint]);
    expect(out.map((f) => f.id)).toEqual(["aud-missing", "hint-clerk-template", "token-rejected", "client-gave-up", "queries-before-auth", "token-accepted"]);
    expect(out[2]!.message).toBe("The backend rejected the token. (Consequence of aud-missing, listed above.)");
    expect(out[3]!.message).toContain("Consequence of aud-missing");
    // Inputs are not mutated.
    expect(rejected.message).toBe("The backend rejected the token.");
  });

  it("links a rejection only to a cause its backend text fits", () => {
    const expired = finding("token-expired", "expired an hour ago");
    const out = orderByCause([rejected, expired]);
    expect(out.map((f) => f.id)).toEqual(["token-expired", "token-rejected"]);
    expect(out[1]!.message).not.toContain("Consequence");
  });

  it("without a cause, leaves consequences as they are, errors before warnings before info", () => {
    const out = orderByCause([accepted, warn, gaveUp, hint]);
    expect(out.map((f) => f.id)).toEqual(["client-gave-up", "queries-before-auth", "token-accepted", "hint-clerk-template"]);
    expect(out[0]!.message).toBe(gaveUp.message);
  });
});
