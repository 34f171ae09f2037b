import type { ExtractSchema } from "hono/types";
import type { App } from "./app";
import { appealRoutes } from "./appeals/routes";
import { deadLetterRoutes } from "./authority/dead-letters";
import { eventRoutes } from "./authority/events";
import { labAdminRoutes } from "./authority/labs";
import { rulePreviewRoutes } from "./authority/rule-previews";
import { ruleSetRoutes } from "./authority/rule-sets";
import { statsRoutes } from "./authority/stats";
import { statsBackfillRoutes } from "./authority/stats-backfill";
import { bundleRoutes } from "./bundle/routes";
import { jwksRoutes } from "./codes/jwks";
import { paperRoutes } from "./codes/paper";
import { rotationRoutes } from "./codes/rotation-routes";
import { devRoutes } from "./dev/routes";
import { docsRoutes } from "./docs/routes";
import { importRoutes } from "./imports/routes";
import { issuerRoutes } from "./issuers/routes";
import { labRoutes } from "./labs";
import { logRoutes } from "./log/routes";
import { openApiDocumentOf } from "./openapi";
import { personRoutes } from "./persons";
import { pushRoutes } from "./push/routes";
import { resultRoutes } from "./results/routes";
import { revocationRoutes } from "./revocation/routes";
import { riskAreaRoutes } from "./risk-areas/routes";
import { testingSiteRoutes } from "./testing-sites";
import { vaccinationRoutes } from "./vaccinations/routes";
import { venueRoutes } from "./venues";
import { verifyRoutes } from "./verify/routes";
import { webRoutes } from "./web/routes";

/** Every area's routes. Add an area here and its paths join the app and /openapi.json. */
export function mountRoutes(app: App) {
  return (
    app
      // The pages (/, /venue, /authority, /c/{placeCode}) come first so the web check-in page answers /c/.
      .route("/", webRoutes)
      .route("/", jwksRoutes)
      .route("/", verifyRoutes)
      .route("/", personRoutes)
      .route("/", pushRoutes)
      .route("/", labRoutes)
      .route("/", labAdminRoutes)
      .route("/", eventRoutes)
      .route("/", ruleSetRoutes)
      .route("/", rulePreviewRoutes)
      .route("/", statsRoutes)
      .route("/", statsBackfillRoutes)
      .route("/", deadLetterRoutes)
      .route("/", testingSiteRoutes)
      .route("/", resultRoutes)
      .route("/", vaccinationRoutes)
      .route("/", appealRoutes)
      .route("/", importRoutes)
      .route("/", venueRoutes)
      .route("/", riskAreaRoutes)
      .route("/", issuerRoutes)
      .route("/", rotationRoutes)
      .route("/", revocationRoutes)
      .route("/", paperRoutes)
      .route("/", bundleRoutes)
      .route("/", logRoutes)
      .route("/", devRoutes)
      .route("/", docsRoutes(openApiDocumentOf(app)))
  );
}

/** Every route's method, path, statuses and bodies, as the zod schemas say (the tests type responses from it). */
export type ApiRoutes = ExtractSchema<ReturnType<typeof mountRoutes>>;
