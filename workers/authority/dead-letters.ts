import { createRoute } from "@hono/zod-openapi";
import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { deadLetters } from "../../schema/d1/dead-letters";
import {
  DeadLetterIdParam,
  DeadLetterListQuery,
  DeadLetterListSchema,
  DeadLetterSchema,
} from "../../schema/wire/authority";
import { errorResponses, ProblemSchema, security } from "../../schema/wire/common";
import { newApp } from "../app";
import { audit } from "../audit/log";
import { authorityAuth, personCaller } from "../auth/middleware";
import { decodeCursor, encodeCursor } from "../http/keyset-cursor";
import { conflict, notFound } from "../http/problems";
import { type OriginQueue, REPLAY_TARGETS } from "../queues/dead-letters";

const view = (r: typeof deadLetters.$inferSelect) => ({
  id: r.id,
  originQueue: r.originQueue,
  body: JSON.parse(r.body) as unknown,
  attempts: r.attempts,
  reason: r.reason,
  receivedAt: r.receivedAt,
  replayedAt: r.replayedAt,
});

const list = createRoute({
  method: "get",
  path: "/v1/authority/dead-letters",
  tags: ["Authority"],
  summary: "Queue messages that could not be applied, newest first",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: { query: DeadLetterListQuery },
  responses: {
    200: { description: "Dead letters", content: { "application/json": { schema: DeadLetterListSchema } } },
    ...errorResponses,
  },
});

const replay = createRoute({
  method: "post",
  path: "/v1/authority/dead-letters/{id}/replay",
  tags: ["Authority"],
  summary: "Send a dead letter back to the queue it came from (consumers are idempotent)",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: { params: DeadLetterIdParam },
  responses: {
    202: { description: "Re-queued", content: { "application/json": { schema: DeadLetterSchema } } },
    409: {
      description: "Origin unknown",
      content: { "application/problem+json": { schema: ProblemSchema } },
    },
    ...errorResponses,
  },
});

export const deadLetterRoutes = newApp()
  .openapi(list, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const d = drizzle(c.env.DB);
    const after = cursor ? decodeCursor(cursor) : null;
    const rows = await d
      .select()
      .from(deadLetters)
      .where(
        after
          ? or(
              lt(deadLetters.receivedAt, after.at),
              and(eq(deadLetters.receivedAt, after.at), lt(deadLetters.id, after.id)),
            )
          : undefined,
      )
      .orderBy(desc(deadLetters.receivedAt), desc(deadLetters.id))
      .limit(limit + 1)
      .all();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return c.json(
      {
        deadLetters: page.map(view),
        ...(rows.length > limit && last
          ? { nextCursor: encodeCursor({ at: last.receivedAt, id: last.id }) }
          : {}),
      },
      200,
    );
  })
  .openapi(replay, async (c) => {
    const caller = personCaller(c);
    const { id } = c.req.valid("param");
    const d = drizzle(c.env.DB);
    const row = await d.select().from(deadLetters).where(eq(deadLetters.id, id)).get();
    if (!row) throw notFound("No such dead letter");
    const origin = row.originQueue as OriginQueue | null;
    if (!origin || !(origin in REPLAY_TARGETS))
      throw conflict("The queue this message came from is unknown; it cannot be replayed");
    await audit(
      c.env,
      caller,
      { action: "dead_letter.replay", target: id, detail: { originQueue: origin } },
      c.get("requestId"),
    );
    await c.env[REPLAY_TARGETS[origin]].send(JSON.parse(row.body), { contentType: "json" });
    const replayedAt = new Date().toISOString();
    await d
      .update(deadLetters)
      .set({ replayedAt })
      .where(and(eq(deadLetters.id, id), isNull(deadLetters.replayedAt)));
    return c.json(view({ ...row, replayedAt }), 202);
  });
