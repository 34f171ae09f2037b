import { createRoute } from "@hono/zod-openapi";
import { HealthSchema } from "../schema/wire/well-known";
import { newApp } from "./app";

const healthRoute = createRoute({
  method: "get",
  path: "/health",
  tags: ["Public"],
  summary: "Liveness: answers while the Worker runs (no storage is touched, so it stays cheap under load)",
  responses: { 200: { description: "Up", content: { "application/json": { schema: HealthSchema } } } },
});

export const healthRoutes = newApp().openapi(healthRoute, (c) => c.json({ ok: true as const }, 200));
