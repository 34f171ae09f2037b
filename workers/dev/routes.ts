import { createRoute, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { createMiddleware } from "hono/factory";
import { SignJWT } from "jose";
import { apiKeys, labs } from "../../schema/d1/keys";
import { IdTypeSchema } from "../../schema/wire/common";
import { type AppEnv, newApp } from "../app";
import { hashKey, issueKey } from "../auth/api-keys";
import { sha256 } from "../auth/hashing";
import { DEV_AUDIENCE, DEV_AUTHORITY_SUBJECT, devIssuer, devProviderKey } from "../auth/providers";
import { config } from "../config";
import { notFound } from "../http/problems";
import { encodeBase64url } from "../lib/base64url";

/** Every /dev/* path is 404 unless development mode is on. */
const devOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (!config(c.env).devMode) throw notFound(`No route for ${c.req.method} ${new URL(c.req.url).pathname}`);
  await next();
});

const IdTokenBody = z
  .object({
    sub: z.string().min(1).max(128),
    name: z.string().max(64).optional(),
    idType: IdTypeSchema.optional(),
    idNumber: z.string().max(32).optional(),
    nationality: z.string().max(3).optional(),
  })
  .refine((b) => (b.idType === undefined) === (b.idNumber === undefined), {
    message: "idType and idNumber go together",
    path: ["idNumber"],
  });

const idTokenRoute = createRoute({
  method: "post",
  path: "/dev/id-token",
  tags: ["Development"],
  summary: "Mint an ID token from the development identity provider (development mode only)",
  middleware: [devOnly] as const,
  request: { body: { required: true, content: { "application/json": { schema: IdTokenBody } } } },
  responses: {
    200: {
      description: "Token",
      content: { "application/json": { schema: z.object({ idToken: z.string() }) } },
    },
  },
});

const DEV_LAB_ID = "lab_demo";

/** The seeded lab key is derived from a secret so `npm start` and /dev/seed agree without storing it. */
async function devLabKey(env: Env): Promise<string> {
  return `lab_${encodeBase64url((await sha256(`dev-seed-lab|${config(env).personIdKey}`)).slice(0, 24))}`;
}

/** Creates the demo lab and its key once; later calls find them. */
export async function seedDevData(env: Env) {
  const labKey = await devLabKey(env);
  const db = drizzle(env.DB);
  await db
    .insert(labs)
    .values({
      labId: DEV_LAB_ID,
      name: "成都示范检测实验室 Chengdu Demo Lab",
      createdAt: new Date().toISOString(),
      createdBy: "dev-seed",
    })
    .onConflictDoNothing();
  const known = await db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.keyHash, await hashKey(labKey)))
    .get();
  if (!known) await issueKey(env, "lab", DEV_LAB_ID, "dev seed", labKey);
  return {
    labKey,
    labId: DEV_LAB_ID,
    authoritySubject: DEV_AUTHORITY_SUBJECT,
    idTokenIssuer: devIssuer(env),
  };
}

export const devRoutes = newApp()
  .openapi(idTokenRoute, async (c) => {
    const body = c.req.valid("json");
    const { privateKey } = await devProviderKey(c.env);
    const idToken = await new SignJWT({
      ...(body.name ? { name: body.name } : {}),
      ...(body.idType && body.idNumber ? { id_type: body.idType, id_number: body.idNumber } : {}),
      ...(body.nationality ? { nationality: body.nationality } : {}),
    })
      .setProtectedHeader({ alg: "ES256", kid: "dev-1", typ: "JWT" })
      .setIssuer(devIssuer(c.env))
      .setAudience(DEV_AUDIENCE)
      .setSubject(body.sub)
      .setIssuedAt()
      .setExpirationTime("12h")
      .sign(privateKey);
    return c.json({ idToken }, 200);
  })
  .get("/dev/seed", devOnly, async (c) => c.json(await seedDevData(c.env)))
  .all("/dev/*", devOnly, (c) => c.notFound());
