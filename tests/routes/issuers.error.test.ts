import { describe, expect, it } from "vitest";
import { authorityToken, call, idToken } from "../helpers/api";

const good = {
  issuer: "https://sichuan-neighbour.test",
  name: "Neighbour",
  regionCode: "CN-XZ",
  jwks: {
    keys: [
      {
        kty: "EC",
        crv: "P-256",
        x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
        y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
      },
    ],
  },
  algorithms: ["ES256"],
};

async function post(body: unknown, token?: string) {
  return call("POST", "/v1/authority/issuers", { token: token ?? (await authorityToken()), body });
}
const paths = (res: { body: { errors?: { path: string }[] } }) => res.body.errors?.map((e) => e.path);

describe("trust list: bad input is a 400 naming the field", () => {
  it("refuses a private key, other algorithms, both or neither key source, plain http and private hosts", async () => {
    const withD = {
      ...good,
      jwks: { keys: [{ ...good.jwks.keys[0], d: "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI" }] },
    };
    let res = await post(withD);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/problem\+json/);
    expect(paths(res)).toContain("jwks.keys.0");

    res = await post({ ...good, algorithms: ["RS256"] });
    expect(paths(res)).toEqual(["algorithms.0"]);
    res = await post({ ...good, jwks: { keys: [{ kty: "RSA", n: "x", e: "AQAB" }] } });
    expect(paths(res)).toEqual(["jwks.keys.0"]);
    res = await post({ ...good, jwksUri: "https://sichuan-neighbour.test/jwks.json" });
    expect(paths(res)).toEqual(["jwksUri"]);
    const { jwks: _jwks, ...neither } = good;
    expect(paths(await post(neither))).toEqual(["jwksUri"]);
    expect(paths(await post({ ...neither, jwksUri: "http://keys.example.com/jwks.json" }))).toEqual([
      "jwksUri",
    ]);
    expect(paths(await post({ ...neither, jwksUri: "https://10.0.0.8/jwks.json" }))).toEqual(["jwksUri"]);
    expect(paths(await post({ ...neither, jwksUri: "https://169.254.169.254/jwks.json" }))).toEqual([
      "jwksUri",
    ]);
    expect(paths(await post({ ...good, issuer: "https://healthpass.test" }))).toEqual(["issuer"]);
    expect(paths(await post({ ...good, format: "x509" }))).toEqual(["format"]);
    expect(paths(await post({ ...good, issuer: "not a url" }))).toEqual(["issuer"]);
  });

  it("development mode allows http loopback for a local JWKS", async () => {
    const { jwks: _jwks, ...neither } = good;
    const res = await post({
      ...neither,
      issuer: "https://local-dev.test",
      jwksUri: "http://127.0.0.1:9/jwks.json",
    });
    expect(res.status).toBe(201);
    // Nothing listens there: saved, but without keys and with the error shown.
    expect(res.body).toMatchObject({ kids: [], keysStale: true });
    expect(res.body.lastRefreshError).toEqual(expect.any(String));
  });

  it("only the authority manages the trust list", async () => {
    const person = await idToken("not-authority");
    expect((await post(good, person)).status).toBe(403);
    expect((await call("GET", "/v1/authority/issuers", { token: person })).status).toBe(403);
    expect((await call("GET", "/v1/authority/issuers")).status).toBe(401);
  });
});
