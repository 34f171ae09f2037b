import { describe, expect, it } from "vitest";
import { encodeQr } from "../../qr/encode";
import { qrPath } from "../../qr/path";
import { call, idToken } from "../helpers/api";
import { applicant, freshResidentId } from "../helpers/identities";

async function newPerson(sub: string) {
  const idNumber = freshResidentId();
  const token = await idToken(sub, { idType: "resident_id", idNumber });
  const { body } = await call("POST", "/v1/persons", { token, body: applicant(idNumber) });
  return { token, personId: body.personId as string };
}

describe("GET /v1/persons/{id}/code draws no QR unless asked", () => {
  it("answers the token alone by default: the app draws the QR", async () => {
    const { token, personId } = await newPerson("code-qr-default");
    const code = await call("GET", `/v1/persons/${personId}/code`, { token });
    expect(code.status).toBe(200);
    expect(code.body.token).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(code.body).toMatchObject({ color: "green", kind: "live" });
    expect(code.body).not.toHaveProperty("qrSvg");
  });

  it("adds the SVG of that very token with ?qr=svg, for clients that cannot draw one", async () => {
    const { token, personId } = await newPerson("code-qr-svg");
    const code = await call("GET", `/v1/persons/${personId}/code?qr=svg`, { token });
    expect(code.status).toBe(200);
    expect(code.body.qrSvg).toMatch(/^<svg /);
    // The modules drawn are the token's QR (error correction M), not some other text's.
    expect(code.body.qrSvg).toContain(`d="${qrPath(encodeQr(code.body.token, "M"), 4)}"`);
  });

  it("refuses another drawing with a 400 naming the parameter", async () => {
    const { token, personId } = await newPerson("code-qr-png");
    const res = await call("GET", `/v1/persons/${personId}/code?qr=png`, { token });
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e: { path: string }) => e.path)).toEqual(["qr"]);
  });
});
