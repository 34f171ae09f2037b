import { createRoute } from "@hono/zod-openapi";
import { errorResponses, problems, security } from "../../schema/wire/common";
import {
  LookupBody,
  LookupResultSchema,
  ManualEntryBody,
  ManualEntryResultSchema,
  ScanBody,
  ScanResultSchema,
} from "../../schema/wire/venues";
import { newApp } from "../app";
import { audit, auditPerson } from "../audit/log";
import { randomId } from "../auth/hashing";
import { keyAuth, keyCaller } from "../auth/middleware";
import { config } from "../config";
import { invalid, notFound, tooMany } from "../http/problems";
import { checkIdentity } from "../identity/documents";
import { maskName } from "../identity/masking";
import { derivePersonId } from "../identity/person-id";
import { decryptPii, encryptPii } from "../identity/pii";
import { findPerson } from "../persons/repo";
import { verifyOwnCode } from "../verify/verify";
import { deviceVenue } from "./access";
import { saveCheckIn } from "./checkin-record";
import { sameName } from "./names";
import { presenceOf } from "./presence";
import { entryFor } from "./present";
import { hourStart, lookupDecision, lookupScope } from "./rate-limit";
import { countInHour } from "./repo";
import { venueSettings } from "./settings";
import { needsVerifiedVenue, unverifiedVenue } from "./verification";

const scan = createRoute({
  method: "post",
  path: "/v1/venue/scan",
  tags: ["Venue staff"],
  summary: "Verify a person's code at the door, with the masked name, and record the visit",
  security: security.deviceKey,
  middleware: [keyAuth("device")] as const,
  request: { body: { required: true, content: { "application/json": { schema: ScanBody } } } },
  responses: {
    200: { description: "Verdict", content: { "application/json": { schema: ScanResultSchema } } },
    ...errorResponses,
  },
});

const lookup = createRoute({
  method: "post",
  path: "/v1/venue/lookup",
  tags: ["Venue staff"],
  summary:
    "Staff-assisted check for someone without a phone, by identity document and name (rate-limited, audited)",
  security: security.deviceKey,
  middleware: [keyAuth("device")] as const,
  request: { body: { required: true, content: { "application/json": { schema: LookupBody } } } },
  responses: {
    200: {
      description: "Colour and masked name",
      content: { "application/json": { schema: LookupResultSchema } },
    },
    429: problems[429],
    ...errorResponses,
  },
});

const manual = createRoute({
  method: "post",
  path: "/v1/venue/manual-entries",
  tags: ["Venue staff"],
  summary: "The no-code lane: record a visitor by hand (name and phone encrypted; identity only as personId)",
  security: security.deviceKey,
  middleware: [keyAuth("device")] as const,
  request: { body: { required: true, content: { "application/json": { schema: ManualEntryBody } } } },
  responses: {
    201: { description: "Recorded", content: { "application/json": { schema: ManualEntryResultSchema } } },
    429: problems[429],
    ...errorResponses,
  },
});

export const staffRoutes = newApp()
  .openapi(scan, async (c) => {
    const caller = keyCaller(c);
    const venue = await deviceVenue(c.env, caller);
    const { token } = c.req.valid("json");
    const result = await verifyOwnCode(c.env, token.trim());
    c.header("cache-control", "no-store");
    if (!result.valid)
      return c.json({ valid: false as const, reason: result.reason, entry: "deny" as const }, 200);
    const { personId, ...verdict } = result;
    const issuedAtS = Math.floor(Date.parse(verdict.issuedAt) / 1000);
    const presence = presenceOf({
      lane: "scan",
      codeKind: verdict.kind,
      issuedAtS,
      nowS: Math.floor(Date.now() / 1000),
    });
    const person = personId ? await findPerson(c.env, personId) : undefined;
    const saved = await saveCheckIn(c.env, {
      venueId: venue.venueId,
      venueName: venue.name,
      personId: personId!,
      kind: "scan",
      presence,
      color: verdict.color,
      deviceKeyId: caller.keyId,
      // Paper codes are shown at many venues for days; a live code is one person's phone, right now.
      ...(verdict.kind === "live" ? { liveCode: { iat: issuedAtS } } : {}),
    });
    if (saved.replayed) {
      // A live code already scanned at another venue: someone who saw it is replaying it. Nothing is
      // recorded; a person really here refreshes their code and is scanned again.
      const refusal = {
        action: "venue.scan_refused",
        detail: { venueId: venue.venueId, why: "used_elsewhere" },
      };
      await (personId
        ? auditPerson(c.env, caller, personId, refusal, c.get("requestId"))
        : audit(c.env, caller, refusal, c.get("requestId")));
      return c.json(
        { valid: false as const, reason: "used_elsewhere" as const, entry: "deny" as const },
        200,
      );
    }
    return c.json(
      {
        ...verdict,
        maskedName: person?.maskedName ?? null,
        entry: entryFor(verdict.color),
        checkInId: saved.row.checkInId,
        presence: saved.row.presence,
      },
      200,
    );
  })
  .openapi(lookup, async (c) => {
    const caller = keyCaller(c);
    const venue = await deviceVenue(c.env, caller);
    const body = c.req.valid("json");
    const requestId = c.get("requestId");
    // A look-up of a person is audited on that person's shard; one refused before any identity (no
    // person to file it under) in the registry.
    const record = (result: string, personId: string | null) => {
      const entry = {
        action: "venue.lookup",
        detail: { venueId: venue.venueId, idType: body.idType, result },
      };
      return personId
        ? auditPerson(c.env, caller, personId, entry, requestId)
        : audit(c.env, caller, entry, requestId);
    };

    if (needsVerifiedVenue(venue)) {
      await record("refused_unverified", null);
      throw unverifiedVenue("A staff look-up");
    }
    // Counted before anything else, failures included: the limit is what stops enumerating identities.
    // Per owning account, across all its venues and devices: keys and venues are cheap to make.
    const now = Date.now();
    const decision = lookupDecision(
      await countInHour(c.env, lookupScope(venue.ownerAccountId), hourStart(now)),
      config(c.env).lookupLimitPerHour,
      now,
    );
    if (!decision.allowed) {
      await record("rate_limited", null);
      throw tooMany(
        `At most ${config(c.env).lookupLimitPerHour} look-ups an hour for all the venues of one account`,
        decision.retryAfter,
      );
    }
    const check = checkIdentity(body);
    if (!check.ok) {
      await record("invalid", null);
      throw invalid(check.errors);
    }
    const personId = await derivePersonId(config(c.env).personIdKey, check.identity);
    const person = await findPerson(c.env, personId);
    const nameMatches = person
      ? sameName(await decryptPii(config(c.env).piiKey, person.nameEnc), body.name)
      : false;
    const state = person && nameMatches ? await c.env.PERSON.getByName(personId).summary() : null;
    if (!person || !nameMatches || !state) {
      await record(!person || !state ? "unknown" : "name_mismatch", personId);
      // One answer for both, so a look-up cannot confirm that an identity number is registered.
      throw notFound("No person with this identity and name");
    }
    await record("found", personId);
    c.header("cache-control", "no-store");
    return c.json({ color: state.color, maskedName: person.maskedName, entry: entryFor(state.color) }, 200);
  })
  .openapi(manual, async (c) => {
    const caller = keyCaller(c);
    const venue = await deviceVenue(c.env, caller);
    const body = c.req.valid("json");
    const requestId = c.get("requestId");
    const refuse = (why: string) =>
      audit(
        c.env,
        caller,
        { action: "venue.manual_entry_refused", detail: { venueId: venue.venueId, why } },
        requestId,
      );
    let personId: string | null = null;
    if (body.idType !== undefined || body.idNumber !== undefined) {
      if (body.idType === undefined)
        throw invalid([{ path: "idType", message: "is required with idNumber" }]);
      if (body.idNumber === undefined)
        throw invalid([{ path: "idNumber", message: "is required with idType" }]);
      if (needsVerifiedVenue(venue)) {
        await refuse("unverified");
        throw unverifiedVenue("A manual entry with an identity");
      }
      const check = checkIdentity({
        idType: body.idType,
        idNumber: body.idNumber,
        nationality: body.nationality,
      });
      if (!check.ok) throw invalid(check.errors);
      personId = await derivePersonId(config(c.env).personIdKey, check.identity);
    }
    const now = Date.now();
    const limit = venueSettings(c.env).manualEntryLimitPerHour;
    // Counted in the venue's own object, all its devices together.
    const venueObject = c.env.VENUE.getByName(venue.venueId);
    const decision = lookupDecision(await venueObject.countManualEntry(hourStart(now)), limit, now);
    if (!decision.allowed) {
      await refuse("rate_limited");
      throw tooMany(`At most ${limit} manual entries an hour per venue`, decision.retryAfter);
    }
    const entryId = randomId("me");
    const enteredAt = new Date(now).toISOString();
    await venueObject.addManualEntry(
      venue.venueId,
      {
        entryId,
        deviceKeyId: caller.keyId,
        nameEnc: await encryptPii(config(c.env).piiKey, body.name),
        phoneEnc: await encryptPii(config(c.env).piiKey, body.phone),
        personId,
        enteredAt,
      },
      config(c.env).checkinRetentionDays,
    );
    if (personId) {
      // The identified visit joins exposure matching as a check-in like any other, but nothing proves
      // the person was there: it is `unconfirmed`, which a designation's dry run counts apart.
      const state = await c.env.PERSON.getByName(personId).summary();
      await saveCheckIn(c.env, {
        venueId: venue.venueId,
        venueName: venue.name,
        personId,
        kind: "manual",
        presence: presenceOf({ lane: "manual" }),
        color: state?.color ?? null,
        deviceKeyId: caller.keyId,
        entryId,
      });
    }
    return c.json(
      { entryId, enteredAt, maskedName: maskName(body.name), identified: personId !== null },
      201,
    );
  });
