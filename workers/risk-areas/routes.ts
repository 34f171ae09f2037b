import { createRoute } from "@hono/zod-openapi";
import { districtName, isDistrictCode } from "../../schema/districts";
import { errorResponses, problems, security } from "../../schema/wire/common";
import {
  DesignateBody,
  DesignatedSchema,
  DryRunSchema,
  LiftBody,
  LiftedSchema,
  RiskAreaIdParam,
  RiskAreaListSchema,
} from "../../schema/wire/risk-areas";
import { newApp } from "../app";
import { audit } from "../audit/log";
import type { PersonCaller } from "../auth/caller";
import { randomId } from "../auth/hashing";
import { authorityAuth, personCaller } from "../auth/middleware";
import { config } from "../config";
import { conflict, invalid, notFound } from "../http/problems";
import { logRiskArea, logRiskAreaLifted } from "../log/publish";
import { coverageCounts, touchedCount } from "./coverage";
import { startExposure, startLift } from "./fanout";
import { breaker, districtPattern } from "./policy";
import {
  type Coverage,
  coveredVenues,
  existingVenueIds,
  findRiskArea,
  insertRiskArea,
  markLifted,
  riskAreasInForce,
} from "./repo";

const designate = createRoute({
  method: "post",
  path: "/v1/authority/risk-areas",
  tags: ["Authority"],
  summary: "Designate venues or a district as a risk area for a visit window (dry run, circuit breaker)",
  description:
    "With `dryRun: true` nothing changes and the answer counts the persons it would affect, and how many of them only " +
    "through unconfirmed visits (manual entries, scans of older codes, check-ins without proof of presence); " +
    "`excludeUnconfirmed: true` leaves those visits out. A district covers its verified venues only; `venueIds` may " +
    "name any venue. A designation affecting more " +
    "than RISK_CONFIRM_THRESHOLD persons is refused with 409 unless `confirm: true`. Otherwise every person with a check-in " +
    "at a covered venue in the window gets an exposure fact, fanned out through the exposure queue.",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: { body: { required: true, content: { "application/json": { schema: DesignateBody } } } },
  responses: {
    200: {
      description: "Dry run: what it would affect",
      content: { "application/json": { schema: DryRunSchema } },
    },
    201: {
      description: "Designated; exposure fan-out started",
      content: { "application/json": { schema: DesignatedSchema } },
    },
    409: problems[409],
    ...errorResponses,
  },
});

const lift = createRoute({
  method: "post",
  path: "/v1/authority/risk-areas/{riskAreaId}/lift",
  tags: ["Authority"],
  summary: "Lift a designation: the persons it touched are re-evaluated (green again if nothing else holds)",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: {
    params: RiskAreaIdParam,
    body: { required: true, content: { "application/json": { schema: LiftBody } } },
  },
  responses: {
    200: { description: "Lifted", content: { "application/json": { schema: LiftedSchema } } },
    409: problems[409],
    ...errorResponses,
  },
});

const remove = createRoute({
  method: "delete",
  path: "/v1/authority/risk-areas/{riskAreaId}",
  tags: ["Authority"],
  summary: "Lift a designation (as POST …/lift); the reason is required, in the body or `?reason=`",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: { params: RiskAreaIdParam },
  responses: { 204: { description: "Lifted" }, 409: problems[409], ...errorResponses },
});

const list = createRoute({
  method: "get",
  path: "/v1/risk-areas",
  tags: ["Public"],
  summary: "The risk areas in force (not lifted)",
  responses: {
    200: { description: "Risk areas", content: { "application/json": { schema: RiskAreaListSchema } } },
  },
});

function actorOf(caller: PersonCaller): string {
  return caller.actor;
}

async function doLift(env: Env, caller: PersonCaller, riskAreaId: string, reason: string, requestId: string) {
  const existing = await findRiskArea(env, riskAreaId);
  if (!existing) throw notFound("No such risk area");
  const at = new Date().toISOString();
  const lifted = await markLifted(env, riskAreaId, at, actorOf(caller), reason);
  if (!lifted) throw conflict("This risk area has already been lifted", { liftedAt: existing.liftedAt });
  await audit(env, caller, { action: "risk_area.lift", target: riskAreaId, reason }, requestId);
  await logRiskAreaLifted(env, caller, { riskAreaId, reason, at });
  await startLift(env, riskAreaId);
  return { riskAreaId, liftedAt: at, persons: await touchedCount(env, riskAreaId) };
}

export const riskAreaRoutes = newApp()
  .openapi(designate, async (c) => {
    const caller = personCaller(c);
    const body = c.req.valid("json");
    const from = new Date(body.from).toISOString();
    const to = new Date(body.to).toISOString();
    if (!body.districtCode && !body.venueIds) {
      throw invalid([{ path: "venueIds", message: "name venues, a districtCode, or both" }]);
    }
    if (body.districtCode && !isDistrictCode(body.districtCode)) {
      throw invalid([{ path: "districtCode", message: "is not a known GB/T 2260 district code" }]);
    }
    if (to <= from) throw invalid([{ path: "to", message: "must be after from" }]);
    const venueIds = [...new Set(body.venueIds ?? [])];
    if (venueIds.length) {
      const known = await existingVenueIds(c.env, venueIds);
      const errors = (body.venueIds ?? []).flatMap((id, i) =>
        known.has(id) ? [] : [{ path: `venueIds.${i}`, message: "is not a registered venue" }],
      );
      if (errors.length) throw invalid(errors);
    }
    const coverage: Coverage = {
      venueIdsJson: JSON.stringify(venueIds),
      districtLike: body.districtCode ? districtPattern(body.districtCode) : null,
      from,
      to,
    };
    const counts = await coverageCounts(c.env, coverage);
    const excludeUnconfirmed = body.excludeUnconfirmed === true;
    // What the designation reaches: every person, or only those with a confirmed visit.
    const affected = excludeUnconfirmed ? counts.persons - counts.unconfirmedOnly : counts.persons;
    const reported = {
      affectedPersons: affected,
      venues: counts.venues,
      unconfirmedOnly: counts.unconfirmedOnly,
      unconfirmedByCause: {
        manualEntry: counts.byCause.manual_entry,
        olderScan: counts.byCause.older_scan,
        unconfirmedCheckIn: counts.byCause.unconfirmed_check_in,
      },
      excludeUnconfirmed,
    };
    const requestId = c.get("requestId");
    const detail = {
      level: body.level,
      districtCode: body.districtCode ?? null,
      venueIds,
      from,
      to,
      ...reported,
    };
    if (body.dryRun) {
      await audit(c.env, caller, { action: "risk_area.dry_run", reason: body.reason, detail }, requestId);
      return c.json({ dryRun: true as const, ...reported }, 200);
    }
    const verdict = breaker(affected, config(c.env).riskConfirmThreshold, body.confirm);
    if (!verdict.go) {
      await audit(
        c.env,
        caller,
        { action: "risk_area.refused_unconfirmed", reason: body.reason, detail },
        requestId,
      );
      throw conflict(
        `This designation would affect ${verdict.affected} persons, more than ${verdict.threshold}: send it again with "confirm": true`,
        { affectedPersons: verdict.affected, threshold: verdict.threshold, confirmationRequired: true },
      );
    }
    const riskAreaId = randomId("ra");
    await insertRiskArea(
      c.env,
      {
        riskAreaId,
        level: body.level,
        districtCode: body.districtCode ?? null,
        venueIds: venueIds.length ? JSON.stringify(venueIds) : null,
        from,
        to,
        reason: body.reason,
        createdBy: actorOf(caller),
        createdAt: new Date().toISOString(),
        affectedPersons: affected,
        excludeUnconfirmed,
        liftedAt: null,
        liftedBy: null,
        liftReason: null,
      },
      coverage,
    );
    await audit(
      c.env,
      caller,
      { action: "risk_area.designate", target: riskAreaId, reason: body.reason, detail },
      requestId,
    );
    await logRiskArea(c.env, caller, {
      riskAreaId,
      districtCode: body.districtCode ?? null,
      venues: venueIds.length,
      level: body.level,
      reason: body.reason,
      at: new Date().toISOString(),
    });
    await startExposure(c.env, riskAreaId);
    return c.json({ riskAreaId, ...reported }, 201);
  })
  .openapi(lift, async (c) => {
    const { riskAreaId } = c.req.valid("param");
    const { reason } = c.req.valid("json");
    return c.json(await doLift(c.env, personCaller(c), riskAreaId, reason, c.get("requestId")), 200);
  })
  .openapi(remove, async (c) => {
    const { riskAreaId } = c.req.valid("param");
    let reason = c.req.query("reason") ?? "";
    if (!reason && c.req.header("content-type")?.includes("json")) {
      const parsed = LiftBody.safeParse(await c.req.json().catch(() => null));
      if (parsed.success) reason = parsed.data.reason;
    }
    if (reason.trim().length < 3)
      throw invalid([{ path: "reason", message: "is required to lift a risk area" }]);
    await doLift(c.env, personCaller(c), riskAreaId, reason.trim(), c.get("requestId"));
    return c.body(null, 204);
  })
  .openapi(list, async (c) => {
    const rows = await riskAreasInForce(c.env);
    const riskAreas = await Promise.all(
      rows.map(async (r) => {
        const { venues, count } = await coveredVenues(c.env, r.riskAreaId, 50);
        return {
          riskAreaId: r.riskAreaId,
          level: r.level,
          districtCode: r.districtCode,
          districtName: r.districtCode ? (districtName(r.districtCode) ?? null) : null,
          venues: venues.map((v) => ({ venueId: v.venue_id, name: v.name, districtCode: v.district_code })),
          venueCount: count,
          from: r.from,
          to: r.to,
          designatedAt: r.createdAt,
        };
      }),
    );
    // Public and the same for everyone: a short shared cache absorbs bursts after an announcement.
    c.header("cache-control", "public, max-age=60");
    return c.json({ riskAreas }, 200);
  });
