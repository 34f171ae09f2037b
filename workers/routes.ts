import type { App } from "./app";
import { jwksRoutes } from "./codes/jwks";
import { devRoutes } from "./dev/routes";
import { docsRoutes } from "./docs/routes";
import { personRoutes } from "./persons";
import { verifyRoutes } from "./verify/routes";

/** Every area's routes. Add an area here and its paths join the app and /openapi.json. */
export function mountRoutes(app: App): App {
  return app
    .route("/", jwksRoutes)
    .route("/", verifyRoutes)
    .route("/", personRoutes)
    .route("/", devRoutes)
    .route("/", docsRoutes);
}
