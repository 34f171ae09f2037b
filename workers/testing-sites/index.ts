import { newApp } from "../app";
import { testingSiteAuthorityRoutes } from "./authority";
import { testingSitePublicRoutes } from "./public";

export const testingSiteRoutes = newApp()
  .route("/", testingSitePublicRoutes)
  .route("/", testingSiteAuthorityRoutes);
