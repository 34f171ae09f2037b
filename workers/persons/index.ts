import { newApp } from "../app";
import { applyRoutes } from "./apply";
import { codeRoutes } from "./code";
import { listRoutes } from "./list";
import { managerRoutes } from "./managers";
import { statusRoutes } from "./status";

export const personRoutes = newApp()
  .route("/", applyRoutes)
  .route("/", listRoutes)
  .route("/", codeRoutes)
  .route("/", statusRoutes)
  .route("/", managerRoutes);
