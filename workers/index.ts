import { newApp } from "./app";
import { healthRoutes } from "./health";
import { bodyLimits } from "./http/body-limits";
import { onError, onNotFound } from "./http/error-handler";
import { loadShedding } from "./http/load-shedding";
import { requestId } from "./http/request-id";
import { openApiConfig, openApiDocumentOf } from "./openapi";
import { handleQueue } from "./queues";
import { mountRoutes } from "./routes";
import { runScheduled } from "./scheduled";

export { CounterBackfillObject } from "../durable/counter-backfill";
export { DistrictCounter } from "../durable/district-counter";
export { LogPool } from "../durable/log-pool";
export { LogSequencer } from "../durable/log-sequencer";
export { PersonObject } from "../durable/person";
export { RulePreviewObject } from "../durable/rule-preview";
export { VenueObject } from "../durable/venue";

const app = newApp();
app.use("*", requestId);
app.use("*", loadShedding);
app.use("*", bodyLimits);
app.route("/", healthRoutes);
mountRoutes(app);
app.doc31("/openapi.json", (c) => openApiConfig(new URL(c.req.url).origin));
app.openAPIRegistry.registerComponent("securitySchemes", "idToken", {
  type: "http",
  scheme: "bearer",
  bearerFormat: "OIDC ID token",
});
app.openAPIRegistry.registerComponent("securitySchemes", "deviceKey", {
  type: "http",
  scheme: "bearer",
  description: "Venue device key",
});
app.openAPIRegistry.registerComponent("securitySchemes", "labKey", {
  type: "http",
  scheme: "bearer",
  description: "Lab or vaccination-site key",
});
app.onError(onError);
app.notFound(onNotFound);

export default {
  fetch: app.fetch,
  queue: handleQueue,
  scheduled: runScheduled,
} satisfies ExportedHandler<Env>;

export { app };

export const openApiDocument = openApiDocumentOf(app);
