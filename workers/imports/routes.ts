import { createRoute, z } from "@hono/zod-openapi";
import type { PersonRow } from "../../schema/d1/persons";
import { errorResponses, problems, security } from "../../schema/wire/common";
import {
  ImportQuery,
  type ImportReceipt,
  ImportReceiptSchema,
  type ImportsMessage,
  MAX_IMPORT_LINES,
} from "../../schema/wire/imports";
import { newApp } from "../app";
import { audit } from "../audit/log";
import { authorityAuth, personCaller } from "../auth/middleware";
import { config } from "../config";
import { invalid, ProblemError } from "../http/problems";
import { maskName } from "../identity/masking";
import { derivePersonId } from "../identity/person-id";
import { encryptPii } from "../identity/pii";
import { type ImportLine, lineKey, parseImport } from "./lines";
import { chunkReceipt, knownLineKeys, recordLines, saveChunkReceipt, upsertPersons } from "./repo";

/** Queue messages stay far below the 128 KB message limit; sendBatch calls below their 256 KB total. */
export const MESSAGE_BYTES = 48 * 1024;
const MESSAGES_PER_SEND = 4;

const route = createRoute({
  method: "post",
  path: "/v1/authority/imports",
  tags: ["Authority"],
  summary: "Import persons with their colour from a previous code system (NDJSON, one person a line)",
  description:
    "Every line is validated on its own: bad lines are reported by 1-based line number, the rest are accepted. " +
    "A line already imported (same person, source and since) counts as a duplicate and changes nothing, so a " +
    "chunk may be sent again. With `importId` and `chunk`, a chunk sent again gets its first answer back.",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: {
    query: ImportQuery,
    body: {
      content: {
        "application/x-ndjson": {
          schema: z.string().openapi({
            example:
              '{"idType":"resident_id","idNumber":"51010419900101123X","name":"张三","color":"red","reason":"确诊","since":"2026-11-20T08:00:00Z","source":"chengdu-tianfu"}\n',
          }),
        },
      },
    },
  },
  responses: {
    200: {
      description: "Nothing new to apply",
      content: { "application/json": { schema: ImportReceiptSchema } },
    },
    202: {
      description: "Accepted lines queued",
      content: { "application/json": { schema: ImportReceiptSchema } },
    },
    413: problems[413],
    415: problems[415],
    ...errorResponses,
  },
});

/** Splits items into messages under a byte budget (reasons are free text of varying length). */
export function packMessages(items: ImportsMessage["items"], maxBytes: number): ImportsMessage[] {
  const out: ImportsMessage[] = [];
  let current: ImportsMessage["items"] = [];
  let size = 0;
  for (const item of items) {
    const bytes = new TextEncoder().encode(JSON.stringify(item)).length + 1;
    if (current.length > 0 && size + bytes > maxBytes) {
      out.push({ type: "imports", items: current });
      current = [];
      size = 0;
    }
    current.push(item);
    size += bytes;
  }
  if (current.length > 0) out.push({ type: "imports", items: current });
  return out;
}

export const importRoutes = newApp().openapi(route, async (c) => {
  const caller = personCaller(c);
  const { importId, chunk } = c.req.valid("query");
  if ((importId === undefined) !== (chunk === undefined)) {
    throw invalid([
      { path: importId === undefined ? "importId" : "chunk", message: "importId and chunk go together" },
    ]);
  }
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-ndjson") {
    throw new ProblemError(
      415,
      "unsupported-media-type",
      "Unsupported media type",
      "Send NDJSON with content-type application/x-ndjson",
    );
  }
  if (importId !== undefined && chunk !== undefined) {
    const earlier = await chunkReceipt(c.env, importId, chunk);
    if (earlier) return c.json(earlier, 200, { "x-import-replay": "true" });
  }

  // Decoded explicitly: the runtime only treats text/* and JSON bodies as text. A byte that is not
  // UTF-8 becomes U+FFFD and fails that line's validation instead of the whole request.
  const parsed = parseImport(new TextDecoder().decode(await c.req.arrayBuffer()));
  if (parsed.total > MAX_IMPORT_LINES) {
    throw invalid([
      { path: "body", message: `at most ${MAX_IMPORT_LINES} lines a request; send the file in chunks` },
    ]);
  }

  // Same line twice in one body: the first counts, the second is a duplicate.
  const withIds: { line: ImportLine; personId: string; key: string }[] = [];
  const seen = new Set<string>();
  for (const line of parsed.lines) {
    const personId = await derivePersonId(config(c.env).personIdKey, line.identity);
    const key = lineKey(personId, line.source, line.since);
    if (seen.has(key)) continue;
    seen.add(key);
    withIds.push({ line, personId, key });
  }
  const known = await knownLineKeys(
    c.env,
    withIds.map((l) => l.personId),
  );
  const fresh = withIds.filter((l) => !known.has(l.key));

  const at = new Date().toISOString();
  if (fresh.length > 0) {
    const people = new Map<string, PersonRow>();
    for (const { line, personId } of fresh) {
      if (people.has(personId)) continue;
      people.set(personId, {
        personId,
        idType: line.identity.idType,
        nameEnc: await encryptPii(config(c.env).piiKey, line.name),
        phoneEnc: line.phone ? await encryptPii(config(c.env).piiKey, line.phone) : null,
        maskedName: maskName(line.name),
        nationality: line.identity.nationality ?? null,
        districtCode: line.districtCode,
        createdAt: at,
      });
    }
    await upsertPersons(c.env, [...people.values()]);

    // Queued before the lines are recorded: a line found in import_lines is certain to be on its way,
    // and a failure in between only means the next attempt queues it again (the objects ignore
    // fact ids they already hold).
    const messages = packMessages(
      fresh.map(({ line, personId }) => ({
        personId,
        color: line.color,
        reason: line.reason,
        since: line.since,
        source: line.source,
        districtCode: line.districtCode,
      })),
      MESSAGE_BYTES,
    );
    for (let i = 0; i < messages.length; i += MESSAGES_PER_SEND) {
      await c.env.INTAKE_QUEUE.sendBatch(messages.slice(i, i + MESSAGES_PER_SEND).map((body) => ({ body })));
    }
    await recordLines(
      c.env,
      fresh.map(({ line, personId }) => ({
        personId,
        source: line.source,
        since: line.since,
        color: line.color,
        importId: importId ?? null,
        importedAt: at,
      })),
    );
  }

  const receipt: ImportReceipt = {
    accepted: fresh.length,
    duplicates: parsed.lines.length - fresh.length,
    rejected: parsed.rejected,
  };
  await audit(
    c.env,
    caller,
    {
      action: "import.chunk",
      detail: {
        importId: importId ?? null,
        chunk: chunk ?? null,
        accepted: receipt.accepted,
        duplicates: receipt.duplicates,
        rejected: receipt.rejected.length,
      },
    },
    c.get("requestId"),
  );
  if (importId !== undefined && chunk !== undefined) await saveChunkReceipt(c.env, importId, chunk, receipt);
  return c.json(receipt, fresh.length > 0 ? 202 : 200);
});
