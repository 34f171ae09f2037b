import { createRoute, z } from "@hono/zod-openapi";
import { qrSvg } from "../../qr/svg";
import {
  PaperCodeBody,
  PaperCodeListSchema,
  PaperCodeParams,
  PaperCodeSchema,
} from "../../schema/wire/codes";
import { errorResponses, PersonIdParam, problems, security } from "../../schema/wire/common";
import { newApp } from "../app";
import { personAuditStatement } from "../audit/log";
import { randomId } from "../auth/hashing";
import { personAuth, personCaller } from "../auth/middleware";
import { config } from "../config";
import { invalid, notFound, ProblemError } from "../http/problems";
import { requireManaged } from "../persons/access";
import { findPerson } from "../persons/repo";
import { findPaperCode, insertPaperCodeStatement, unexpiredPaperCodes } from "../revocation/repo";
import { recordRevocation } from "../revocation/revoke";
import { paperRid } from "../revocation/rid";
import { renderPaperPage } from "./paper-page";
import { signCode } from "./sign";

const DAY_S = 86_400;

const create = createRoute({
  method: "post",
  path: "/v1/persons/{personId}/paper-code",
  tags: ["Persons"],
  summary: "Print a code for someone without a phone: valid `days` (default and max PAPER_CODE_TTL_DAYS)",
  description:
    'An ordinary signed code with `kind: "paper"` and its own `rid`, so it can be revoked alone (a lost printout). JSON by default; with `Accept: text/html` the printable page itself (QR, masked name, validity, in Chinese and English).',
  security: security.idToken,
  middleware: [personAuth] as const,
  request: {
    params: PersonIdParam,
    body: { required: false, content: { "application/json": { schema: PaperCodeBody } } },
  },
  responses: {
    201: {
      description: "The paper code",
      content: {
        "application/json": { schema: PaperCodeSchema },
        "text/html": { schema: { type: "string" } },
      },
    },
    ...errorResponses,
  },
});

const PageParams = z.object({
  personId: PersonIdParam.shape.personId,
  file: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}\.html$/, "{codeId}.html")
    .openapi({ param: { name: "file", in: "path" }, description: "`{codeId}.html`" }),
});

const page = createRoute({
  method: "get",
  path: "/v1/persons/{personId}/paper-code/{file}",
  tags: ["Persons"],
  summary: "The printable page of a paper code, `{codeId}.html` (printed again with the same expiry and rid)",
  security: security.idToken,
  middleware: [personAuth] as const,
  request: { params: PageParams },
  responses: {
    200: { description: "HTML", content: { "text/html": { schema: { type: "string" } } } },
    ...errorResponses,
    410: problems[410],
  },
});

const list = createRoute({
  method: "get",
  path: "/v1/persons/{personId}/paper-codes",
  tags: ["Persons"],
  summary: "The person's paper codes that have not expired (to find the one to revoke)",
  security: security.idToken,
  middleware: [personAuth] as const,
  request: { params: PersonIdParam },
  responses: {
    200: { description: "Paper codes", content: { "application/json": { schema: PaperCodeListSchema } } },
    ...errorResponses,
  },
});

const revoke = createRoute({
  method: "delete",
  path: "/v1/persons/{personId}/paper-code/{codeId}",
  tags: ["Persons"],
  summary: "Revoke a printed code (lost printout); verifiers refuse it from then on",
  security: security.idToken,
  middleware: [personAuth] as const,
  request: { params: PaperCodeParams },
  responses: { 204: { description: "Revoked" }, ...errorResponses },
});

const gone = () => new ProblemError(410, "gone", "Gone", "This paper code was revoked or has expired");

export const paperRoutes = newApp()
  .openapi(create, async (c) => {
    const caller = personCaller(c);
    const { personId } = c.req.valid("param");
    await requireManaged(c.env, caller, personId);
    const body = (await c.req.json().catch(() => ({}))) as unknown;
    const parsed = PaperCodeBody.safeParse(body ?? {});
    if (!parsed.success)
      throw invalid(parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
    const maxDays = config(c.env).paperCodeTtlDays;
    const days = parsed.data.days ?? maxDays;
    if (days > maxDays) throw invalid([{ path: "days", message: `at most ${maxDays}` }]);
    const [state, person] = await Promise.all([
      c.env.PERSON.getByName(personId).summary(),
      findPerson(c.env, personId),
    ]);
    if (!state || !person) throw notFound("This person has no code yet; apply first");
    const codeId = randomId("pc");
    const rid = await paperRid(config(c.env).personIdKey, personId, codeId);
    const code = await signCode(
      c.env,
      { sub: personId, color: state.color, ver: state.version, kind: "paper", rid },
      days * DAY_S,
    );
    // The code on the person's shard, then the audit row (workers/audit/log.ts says where).
    await insertPaperCodeStatement(c.env, {
      codeId,
      personId,
      rid,
      color: state.color,
      version: state.version,
      issuedAt: code.issuedAt,
      expiresAt: code.expiresAt,
      createdBy: caller.accountId,
      revokedAt: null,
    });
    await personAuditStatement(
      c.env,
      caller,
      personId,
      { action: "paper-code.issue", detail: { codeId, days } },
      c.get("requestId"),
    );
    const svg = qrSvg(code.token, { ecc: "Q" });
    c.header("cache-control", "no-store");
    if ((c.req.header("accept") ?? "").includes("text/html")) {
      const html = renderPaperPage({
        ...code,
        codeId,
        color: state.color,
        maskedName: person.maskedName,
        qrSvg: svg,
      });
      return c.html(html, 201);
    }
    return c.json(
      {
        codeId,
        token: code.token,
        kind: "paper" as const,
        color: state.color,
        version: state.version,
        issuedAt: code.issuedAt,
        expiresAt: code.expiresAt,
        maskedName: person.maskedName,
        qrSvg: svg,
        pageUrl: `/v1/persons/${personId}/paper-code/${codeId}.html`,
      },
      201,
    );
  })
  .openapi(page, async (c) => {
    const caller = personCaller(c);
    const { personId, file } = c.req.valid("param");
    await requireManaged(c.env, caller, personId);
    const row = await findPaperCode(c.env, personId, file.slice(0, -".html".length));
    if (!row) throw notFound("No such paper code");
    const now = Date.now();
    if (row.revokedAt !== null || Date.parse(row.expiresAt) <= now + 60_000) throw gone();
    // Printed again: same rid, kind, colour and expiry; only iat and the signature differ.
    const ttl = Math.floor((Date.parse(row.expiresAt) - now) / 1000);
    const code = await signCode(
      c.env,
      { sub: personId, color: row.color, ver: row.version, kind: "paper", rid: row.rid },
      ttl,
    );
    const person = await findPerson(c.env, personId);
    c.header("cache-control", "no-store");
    return c.html(
      renderPaperPage({
        ...code,
        codeId: row.codeId,
        color: row.color,
        maskedName: person?.maskedName ?? "",
        qrSvg: qrSvg(code.token, { ecc: "Q" }),
      }),
      200,
    );
  })
  .openapi(list, async (c) => {
    const caller = personCaller(c);
    const { personId } = c.req.valid("param");
    await requireManaged(c.env, caller, personId);
    const rows = await unexpiredPaperCodes(c.env, personId, new Date());
    return c.json(
      {
        paperCodes: rows.map((r) => ({
          codeId: r.codeId,
          color: r.color,
          issuedAt: r.issuedAt,
          expiresAt: r.expiresAt,
          revokedAt: r.revokedAt,
        })),
      },
      200,
    );
  })
  .openapi(revoke, async (c) => {
    const caller = personCaller(c);
    const { personId, codeId } = c.req.valid("param");
    await requireManaged(c.env, caller, personId);
    const row = await findPaperCode(c.env, personId, codeId);
    if (!row) throw notFound("No such paper code");
    // Idempotent: revoking twice (or an expired code) changes nothing and still answers 204.
    if (row.revokedAt === null && Date.parse(row.expiresAt) > Date.now()) {
      await recordRevocation(
        c.env,
        caller,
        {
          personId,
          scope: "paper",
          reason: "revoked by holder or guardian",
          paperCodes: [row],
          actor: caller.accountId,
        },
        c.get("requestId"),
      );
    }
    return c.body(null, 204);
  });
