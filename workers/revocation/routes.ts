import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, security } from "../../schema/wire/common";
import { CreateRevocationBody, CrlSchema, RevocationCreatedSchema } from "../../schema/wire/issuers";
import { newApp } from "../app";
import { authorityAuth, personCaller } from "../auth/middleware";
import { publishedSigningKeys } from "../codes/keys";
import { invalid, notFound } from "../http/problems";
import { isPersonId } from "../identity/person-id";
import { revocationList } from "./cache";
import { buildCrl } from "./crl";
import { findPaperCode, unexpiredPaperCodes } from "./repo";
import { recordRevocation } from "./revoke";

const createRevocation = createRoute({
  method: "post",
  path: "/v1/authority/revocations",
  tags: ["Authority"],
  summary: "Revoke a printed code, all printed codes, or every code of a person issued before now",
  description:
    "Published at once in /.well-known/crl/{kid}.json (keyed-hash rids, never person ids) and in the next verifier bundles; online verification answers `revoked`.",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateRevocationBody } } } },
  responses: {
    201: { description: "Revoked", content: { "application/json": { schema: RevocationCreatedSchema } } },
    ...errorResponses,
  },
});

const CrlParam = z.object({
  file: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,128}\.json$/, "{kid}.json")
    .openapi({
      param: { name: "file", in: "path" },
      example: "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s.json",
    }),
});

const crl = createRoute({
  method: "get",
  path: "/.well-known/crl/{file}",
  tags: ["Public"],
  summary: "Revocation list of one of our keys, `{kid}.json` (SMART Health Cards `method: rid` shape)",
  description:
    "Entries are `rid` (one printed code) or `rid.timestamp` (codes with that rid issued before the timestamp, in seconds). A rid is a keyed hash, never a person id.",
  request: { params: CrlParam },
  responses: {
    200: { description: "The list", content: { "application/json": { schema: CrlSchema } } },
    404: errorResponses[404],
  },
});

export const revocationRoutes = newApp()
  .openapi(createRevocation, async (c) => {
    const caller = personCaller(c);
    const { personId, reason, scope, codeId } = c.req.valid("json");
    if (!isPersonId(personId)) throw invalid([{ path: "personId", message: "not a person id" }]);
    if (codeId !== undefined && scope !== "paper")
      throw invalid([{ path: "codeId", message: "only with scope paper" }]);
    const now = Date.now();
    let paper = await unexpiredPaperCodes(c.env, personId, new Date(now));
    if (codeId !== undefined) {
      const one = await findPaperCode(c.env, personId, codeId);
      if (!one) throw notFound("No such paper code for this person");
      paper = [one];
    }
    paper = paper.filter((p) => p.revokedAt === null && Date.parse(p.expiresAt) > now);
    const { revocationIds, before } = await recordRevocation(
      c.env,
      caller,
      { personId, scope, reason, paperCodes: paper, actor: caller.actor },
      c.get("requestId"),
      now,
    );
    return c.json(
      {
        revocationIds,
        scope,
        paperCodesRevoked: paper.length,
        before: before === null ? null : new Date(before * 1000).toISOString(),
      },
      201,
    );
  })
  .openapi(crl, async (c) => {
    const kid = c.req.valid("param").file.slice(0, -".json".length);
    const now = Date.now();
    const key = (await publishedSigningKeys(c.env, now)).find((k) => k.kid === kid);
    if (!key) throw notFound("No published key with that kid");
    const { entries, ctr } = await revocationList(c.env, now);
    c.header("access-control-allow-origin", "*");
    c.header("cache-control", "public, max-age=60");
    return c.json(buildCrl(kid, entries, ctr, now), 200);
  });
