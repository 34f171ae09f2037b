/**
 * One structured log line: `{"level", "msg", ...fields}` as JSON, which Workers Logs indexes by field.
 * Errors and warnings go to stderr, the rest to stdout. Never pass an identity number, name or phone.
 */
export function log(
  level: "info" | "warn" | "error",
  msg: string,
  fields: Record<string, unknown> = {},
): void {
  const line = JSON.stringify({ level, msg, ...fields });
  if (level === "info") console.log(line);
  else console.error(line);
}
