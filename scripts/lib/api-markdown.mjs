// docs/API.md, rendered from the service's own /openapi.json (and the problem types its code throws),
// so the repository's reference cannot drift from what the service serves. `npm run docs:api`
// rewrites it; tests/node/api-doc.test.mjs fails when it is out of step.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const refName = (ref) => ref.split("/").at(-1);

/** A JSON Schema as a compact TypeScript-like shape; named components stay names. */
export function shape(schema, depth = 0) {
  if (!schema || typeof schema !== "object") return "unknown";
  if (schema.$ref) return refName(schema.$ref);
  const pad = "  ".repeat(depth + 1);
  const end = "  ".repeat(depth);
  const nullable = (s) => (schema.nullable ? `${s} | null` : s);
  if (schema.enum) return nullable(schema.enum.map((v) => JSON.stringify(v)).join(" | "));
  if ("const" in schema) return JSON.stringify(schema.const);
  for (const key of ["anyOf", "oneOf"]) {
    if (schema[key]) return schema[key].map((s) => shape(s, depth)).join(" | ");
  }
  if (schema.allOf) return schema.allOf.map((s) => shape(s, depth)).join(" & ");
  const type = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (type.includes("array")) {
    const item = shape(schema.items, depth);
    return nullable(/[ |&]/.test(item) && !item.startsWith("{") ? `(${item})[]` : `${item}[]`);
  }
  if (type.includes("object") || schema.properties) {
    const required = new Set(schema.required ?? []);
    const props = Object.entries(schema.properties ?? {}).map(
      ([k, v]) => `${pad}${k}${required.has(k) ? "" : "?"}: ${shape(v, depth + 1)}`,
    );
    if (schema.additionalProperties && typeof schema.additionalProperties === "object")
      props.push(`${pad}[key: string]: ${shape(schema.additionalProperties, depth + 1)}`);
    if (props.length === 0) return "object";
    return `{\n${props.join("\n")}\n${end}}`;
  }
  const base = type.filter((t) => t && t !== "null");
  let s = base.length ? base.join(" | ") : "unknown";
  if (schema.format) s += ` (${schema.format})`;
  if (type.includes("null")) s += " | null";
  return nullable(s);
}

/** Every problem type the code can answer with: `new ProblemError(status, "slug", "title"` and the error handler's. */
export function problemTypes(root) {
  const found = new Map();
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.tsx?$/.test(name)) {
        const text = readFileSync(p, "utf8");
        for (const m of text.matchAll(/new ProblemError\(\s*(\d{3}),\s*"([a-z-]+)",\s*"([^"]+)"/g))
          found.set(m[2], { status: Number(m[1]), title: m[3] });
        for (const m of text.matchAll(/problems\/\$\{status === (\d{3}) \? "([a-z-]+)" : "([a-z-]+)"\}/g)) {
          found.set(m[2], found.get(m[2]) ?? { status: Number(m[1]), title: "Request too large" });
          found.set(m[3], found.get(m[3]) ?? { status: 400, title: "Bad request" });
        }
        for (const m of text.matchAll(/type: "https:\/\/healthpass\.dev\/problems\/([a-z-]+)"/g))
          if (!found.has(m[1]))
            found.set(
              m[1],
              m[1] === "internal"
                ? { status: 500, title: "Internal error" }
                : { status: 404, title: "Not found" },
            );
      }
    }
  };
  walk(join(root, "workers"));
  return [...found.entries()].sort((a, b) => a[1].status - b[1].status || a[0].localeCompare(b[0]));
}

const METHODS = ["get", "post", "put", "patch", "delete"];
const fence = (body) => `\`\`\`ts\n${body}\n\`\`\``;

const link = (name) => `[${name}](#${name.toLowerCase()})`;

/** One line for a named or simple shape, a code block for an inline object. */
function content(c) {
  return Object.entries(c ?? {}).map(([type, { schema, example }]) => {
    const s = schema ? shape(schema) : "";
    const named = schema?.$ref || (schema?.type === "array" && schema.items?.$ref);
    let text = !schema
      ? `\`${type}\``
      : !s.includes("\n")
        ? `\`${type}\`: ${named ? s.replace(/^\w+/, link) : `\`${s}\``}`
        : `\`${type}\`:\n\n${fence(s)}`;
    if (example !== undefined)
      text += `\n\nExample:\n\n\`\`\`json\n${JSON.stringify(example, null, 2)}\n\`\`\``;
    return text;
  });
}

export function renderApiMarkdown(doc, problems) {
  const out = [];
  out.push(`# ${doc.info.title} HTTP API (${doc.info.version})`);
  out.push(
    "Generated from the service's `/openapi.json` by `npm run docs:api`; do not edit by hand " +
      "(`npm run test:node` fails when this file is out of step). A running service serves the same " +
      "document at `/openapi.json` and an interactive reference at `/docs`.",
  );
  out.push(doc.info.description ?? "");
  const schemes = doc.components?.securitySchemes ?? {};
  out.push("## Credentials");
  out.push(
    Object.entries(schemes)
      .map(([name, s]) =>
        `- \`${name}\`: ${s.scheme ?? s.type} ${s.bearerFormat ?? ""}${s.description ? ` (${s.description})` : ""}`
          .replace(/ +\)/, ")")
          .replace(/ {2,}/g, " "),
      )
      .join("\n"),
  );
  out.push("## Problem types");
  out.push(
    "Every error is RFC 9457 `application/problem+json`: `{type, title, status, detail, errors?}`; " +
      "`errors` names each bad field as `{path, message}`. The `type` is `https://healthpass.dev/problems/<slug>`:",
  );
  out.push(
    [
      "| slug | status | title |",
      "| --- | --- | --- |",
      ...problems.map(([slug, p]) => `| \`${slug}\` | ${p.status} | ${p.title} |`),
    ].join("\n"),
  );

  const ops = Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] })),
  );
  const tags = [...new Set(ops.map((o) => o.op.tags?.[0] ?? "Other"))];
  for (const tag of tags) {
    out.push(`## ${tag}`);
    for (const { path, method, op } of ops.filter((o) => (o.op.tags?.[0] ?? "Other") === tag)) {
      out.push(`### ${method.toUpperCase()} \`${path}\``);
      out.push(op.summary ?? "");
      if (op.description) out.push(op.description);
      const auth = (op.security ?? []).flatMap((s) => Object.keys(s));
      out.push(`Credential: ${auth.length ? auth.map((a) => `\`${a}\``).join(" or ") : "none (public)"}.`);
      if (op.parameters?.length) {
        out.push(
          [
            "| parameter | in | required | type |",
            "| --- | --- | --- | --- |",
            ...op.parameters.map(
              (p) =>
                `| \`${p.name}\` | ${p.in} | ${p.required ? "yes" : "no"} | ${shape(p.schema).replace(/\n\s*/g, " ").replace(/\|/g, "\\|")} |`,
            ),
          ].join("\n"),
        );
      }
      if (op.requestBody) out.push(["Request body:", ...content(op.requestBody.content)].join(" "));
      out.push("Responses:");
      out.push(
        Object.entries(op.responses ?? {})
          .map(([status, r]) =>
            [`- **${status}** ${r.description ?? ""}`.trimEnd(), ...content(r.content)].join(" — "),
          )
          .join("\n"),
      );
    }
  }
  out.push("## Schemas");
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {}).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    out.push(`### ${name}`);
    if (schema.description) out.push(schema.description);
    out.push(fence(shape({ ...schema, $ref: undefined })));
  }
  return `${out.filter((s) => s !== "").join("\n\n")}\n`;
}
