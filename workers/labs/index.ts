import { newApp } from "../app";
import { resultsRoutes } from "./results";

export const labRoutes = newApp().route("/", resultsRoutes);
