import { newApp } from "../app";
import { authorityVenueRoutes } from "./authority";
import { checkInRoutes } from "./checkin";
import { deviceKeyRoutes } from "./device-keys";
import { posterRoutes } from "./poster";
import { registerRoutes } from "./register";
import { staffRoutes } from "./staff";
import { statsRoutes } from "./stats";

export const venueRoutes = newApp()
  .route("/", registerRoutes)
  .route("/", deviceKeyRoutes)
  .route("/", posterRoutes)
  .route("/", checkInRoutes)
  .route("/", staffRoutes)
  .route("/", statsRoutes)
  .route("/", authorityVenueRoutes);
