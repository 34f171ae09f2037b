import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, PersonIdParam, security } from "../../schema/wire/common";
import { LogProofQuery, LogProofSchema } from "../../schema/wire/log";
import { parseTilePath } from "../../verifier/tlog";
import { newApp } from "../app";
import { personAuth, personCaller } from "../auth/middleware";
import { invalid, notFound, unavailable } from "../http/problems";
import { requireManaged } from "../persons/access";
import { entryWithProof, latestCheckpoint, tileBytes } from "./read";
import { logVerifierKey } from "./signer";

const text = (description: string) => ({
  description,
  content: { "text/plain": { schema: z.string() } },
});

const checkpointRoute = createRoute({
  method: "get",
  path: "/log/checkpoint",
  tags: ["Public log"],
  summary: "The latest signed checkpoint of the public log (C2SP tlog-checkpoint, signed note)",
  responses: { 200: text("The checkpoint"), ...errorResponses },
});

const keyRoute = createRoute({
  method: "get",
  path: "/log/key",
  tags: ["Public log"],
  summary: "The log's note verifier key: <name>+<hex key hash>+<base64(0x01 || Ed25519 public key)>",
  responses: { 200: text("The verifier key"), ...errorResponses },
});

const proofRoute = createRoute({
  method: "get",
  path: "/v1/persons/{personId}/log-proof",
  tags: ["Persons"],
  summary: "An inclusion proof of one of the person's history entries in the latest checkpoint",
  security: security.idToken,
  middleware: [personAuth] as const,
  request: { params: PersonIdParam, query: LogProofQuery },
  responses: {
    200: { description: "Proof", content: { "application/json": { schema: LogProofSchema } } },
    ...errorResponses,
  },
});

const PUBLIC_CORS = { "access-control-allow-origin": "*" };

export const logRoutes = newApp()
  .openapi(checkpointRoute, async (c) => {
    const obj = await c.env.LOG_BUCKET.get("checkpoint");
    if (!obj) throw notFound("The log has no entries yet");
    return c.text(await obj.text(), 200, { ...PUBLIC_CORS, "cache-control": "no-cache" });
  })
  .openapi(keyRoute, async (c) => {
    const key = await logVerifierKey(c.env);
    if (!key) throw unavailable("The log's key is not configured", 60);
    return c.text(key, 200, { ...PUBLIC_CORS, "cache-control": "public, max-age=3600" });
  })
  .openapi(proofRoute, async (c) => {
    const { personId } = c.req.valid("param");
    await requireManaged(c.env, personCaller(c), personId);
    const raw = c.req.valid("query").index;
    const index = raw !== undefined && /^(?:0|[1-9][0-9]{0,15})$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(index))
      throw invalid([{ path: "index", message: "the entry's index: a non-negative integer" }]);
    const status = await c.env.PERSON.getByName(personId).status();
    // Only the person's own entries: the route is not a proof service for anyone's index.
    if (!status?.history.some((h) => h.log?.index === index))
      throw notFound("No history entry of this person sits at that index");
    const latest = await latestCheckpoint(c.env);
    if (!latest || latest.checkpoint.size <= index) throw unavailable("The checkpoint is being written", 1);
    const { entry, proof } = await entryWithProof(c.env, latest.checkpoint, index);
    c.header("cache-control", "no-store");
    return c.json({ checkpoint: latest.signed, index, entry, proof }, 200);
  });

// Tiles and entry bundles: `/log/tile/<L>/<N>[.p/<W>]` and `/log/tile/entries/<N>[.p/<W>]`. Their paths
// hold slashes, so they are a plain route, described in the OpenAPI document below.
logRoutes.get("/log/tile/*", async (c) => {
  const path = c.req.path.slice("/log/".length);
  const ref = parseTilePath(path);
  if (!ref) throw notFound("Not a tile path: tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>]");
  const bytes = await tileBytes(c.env, ref);
  if (!bytes) throw notFound("No such tile (yet)");
  // A tile's content for a given path never changes: full tiles and each partial width alike.
  return c.body(new Uint8Array(bytes), 200, {
    ...PUBLIC_CORS,
    "content-type": "application/octet-stream",
    "cache-control": "public, max-age=31536000, immutable",
  });
});

logRoutes.openAPIRegistry.registerPath({
  method: "get",
  path: "/log/tile/{tile}",
  tags: ["Public log"],
  summary: "A hash tile (tile/<L>/<N>[.p/<W>]) or entry bundle (tile/entries/<N>[.p/<W>]), C2SP tlog-tiles",
  description:
    "`{tile}` spans several path segments, e.g. `0/x001/234`, `1/000.p/17` or `entries/000.p/5`. Full tiles never change and are served as immutable.",
  request: {
    params: z.object({ tile: z.string().openapi({ param: { name: "tile", in: "path" }, example: "0/000" }) }),
  },
  responses: {
    200: { description: "Tile bytes", content: { "application/octet-stream": { schema: z.string() } } },
    404: errorResponses[404],
  },
});
