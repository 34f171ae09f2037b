import type { ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { log } from "../lib/log";
import { type Problem, ProblemError, problemResponse } from "./problems";

/** Renders every thrown error as problem+json. Internal detail goes to the log, never the client. */
export const onError: ErrorHandler = (err, c) => {
  if (err instanceof ProblemError) return problemResponse(err.problem, err.headers);
  if (err instanceof HTTPException) {
    const status = err.status;
    const detail =
      status === 400 && /JSON/i.test(err.message)
        ? "The request body is not valid JSON"
        : err.message || "Request rejected";
    const problem: Problem = {
      type: `https://healthpass.dev/problems/${status === 413 ? "too-large" : "bad-request"}`,
      title: status === 413 ? "Payload too large" : "Bad request",
      status,
      detail,
      ...(status === 400 ? { errors: [{ path: "body", message: detail }] } : {}),
    };
    return problemResponse(problem);
  }
  log("error", "unhandled error", {
    requestId: c.get("requestId"),
    error: String(err),
    stack: (err as Error)?.stack,
  });
  return problemResponse({
    type: "https://healthpass.dev/problems/internal",
    title: "Internal error",
    status: 500,
    detail: `Something went wrong; quote request id ${c.get("requestId") ?? "unknown"}`,
  });
};

export const onNotFound: NotFoundHandler = (c) =>
  problemResponse({
    type: "https://healthpass.dev/problems/not-found",
    title: "Not found",
    status: 404,
    detail: `No route for ${c.req.method} ${new URL(c.req.url).pathname}`,
  });
