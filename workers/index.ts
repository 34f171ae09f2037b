import { newApp } from "./app";
import { onError, onNotFound } from "./http/error-handler";

export { PersonObject } from "../durable/person";

const app = newApp();
app.get("/health", (c) => c.json({ ok: true }));
app.onError(onError);
app.notFound(onNotFound);

export default app;
