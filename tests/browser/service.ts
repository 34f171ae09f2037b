// Starts the real service for browser tests: wrangler dev on a free port with its own D1/DO state and
// freshly generated development secrets in a temporary env file (a developer's .dev.vars is never touched).
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { generateDevSecrets } from "../../scripts/dev-secrets.mjs";

export interface Service {
  origin: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

/** `vars` override the development configuration (e.g. ID_PROVIDERS for a provider run by the test). */
export async function startService(vars: Record<string, string> = {}): Promise<Service> {
  const dir = mkdtempSync(join(tmpdir(), "healthpass-browser-"));
  const port = await freePort();
  // localhost, not 127.0.0.1: service workers and the Push API need a secure context, which localhost is.
  const origin = `http://localhost:${port}`;
  const secrets = (await generateDevSecrets()) as Record<string, string>;
  const env = { ...secrets, DEV_MODE: "true", ISSUER_URL: origin, ...vars };
  const envFile = join(dir, "env");
  writeFileSync(
    envFile,
    `${Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join("\n")}\n`,
  );
  const state = join(dir, "state");
  // The registry database and every person shard, migrated once for the suite (migrated-state.ts).
  cpSync(inject("migratedState"), state, { recursive: true });
  let log = "";
  const child: ChildProcess = spawn(
    "npx",
    [
      "wrangler",
      "dev",
      "--local",
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--persist-to",
      state,
      "--env-file",
      envFile,
      "--show-interactive-dev-session=false",
    ],
    // Its own process group, so stop() ends wrangler and the workerd it started, and nothing else.
    { env: { ...process.env, CI: "true" }, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout?.on("data", (d) => (log += d));
  child.stderr?.on("data", (d) => (log += d));
  const stop = async () => {
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        /* already gone */
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${origin}/health`)).ok) return { origin, stop };
    } catch {
      /* not up yet */
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`the service did not start:\n${log.slice(-3000)}`);
}
