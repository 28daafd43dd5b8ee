import { describe, expect, it } from "vitest";
import { providersFromNoAuthProviderMessage } from "../../../src/core/config/no-auth-provider";

const DEV =
  "No auth provider found matching the given token. Check that your JWT's issuer and audience match one of your configured providers: ";

describe("providersFromNoAuthProviderMessage (reference §4.1)", () => {
  it("reads both provider kinds in the listed (stored) order, app_id=none as no applicationID", () => {
    const msg = `${DEV}[OIDC(domain=https://verb-noun-00.clerk.accounts.dev, app_id=convex), CustomJWT(issuer=https://api.workos.com/user_management/client_X, app_id=none), CustomJWT(issuer=https://api.workos.com/, app_id=client_X)]`;
    expect(providersFromNoAuthProviderMessage(msg)).toEqual([
      { type: "oidc", domain: "https://verb-noun-00.clerk.accounts.dev", applicationID: "convex", index: 0 },
      { type: "customJwt", issuer: "https://api.workos.com/user_management/client_X", jwks: null, algorithm: null, index: 1 },
      { type: "customJwt", issuer: "https://api.workos.com/", jwks: null, algorithm: null, applicationID: "client_X", index: 2 },
    ]);
  });

  it("no providers configured → []", () => {
    expect(providersFromNoAuthProviderMessage("No auth provider found matching the given token (no providers configured). Check convex/auth.config.ts.")).toEqual([]);
  });

  it("reads the message inside an HTTP JSON body and ConvexHttpClient's `Error: {…}` text", () => {
    const body = JSON.stringify({ code: "NoAuthProvider", message: `${DEV}[OIDC(domain=https://a.example.com, app_id=convex)]` });
    expect(providersFromNoAuthProviderMessage(body)).toHaveLength(1);
    expect(providersFromNoAuthProviderMessage(`Error: ${body}`)?.[0]).toMatchObject({ domain: "https://a.example.com" });
  });

  it("just the list, pasted alone", () => {
    expect(providersFromNoAuthProviderMessage("[CustomJWT(issuer=https://i.example.com, app_id=my-app)]")).toEqual([
      { type: "customJwt", issuer: "https://i.example.com", jwks: null, algorithm: null, applicationID: "my-app", index: 0 },
    ]);
  });

  it("is robust to commas, parentheses and `, app_id=`-like text inside values", () => {
    const msg = `${DEV}[OIDC(domain=https://a.example.com/path,with(comma), app_id=app, (weird)), CustomJWT(issuer=https://b.example.com/x), y, app_id=none)]`;
    expect(providersFromNoAuthProviderMessage(msg)).toEqual([
      { type: "oidc", domain: "https://a.example.com/path,with(comma)", applicationID: "app, (weird)", index: 0 },
      { type: "customJwt", issuer: "https://b.example.com/x), y", jwks: null, algorithm: null, index: 1 },
    ]);
  });

  it("null for other texts: the production message, other errors, a truncated list", () => {
    expect(providersFromNoAuthProviderMessage("No auth provider found matching the given token")).toBeNull();
    expect(providersFromNoAuthProviderMessage("Could not verify OIDC token claim.")).toBeNull();
    expect(providersFromNoAuthProviderMessage(`${DEV}[OIDC(domain=https://a.example.com, app_id=con`)).toBeNull();
    expect(providersFromNoAuthProviderMessage("[1, 2]")).toBeNull();
    expect(providersFromNoAuthProviderMessage("")).toBeNull();
  });
});
