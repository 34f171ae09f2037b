// Web Push under `npm start`: the service as a developer runs it (scripts/start.mjs: wrangler dev with
// .dev.vars, the development configuration, ISSUER_URL http://localhost:<port>), a push receiver
// served here on 127.0.0.1 (development mode accepts such endpoints), a colour change caused through
// the API (a positive test from the seeded lab), and what arrives decrypted with http_ece (Martin
// Thomson's reference implementation) and its VAPID token checked with jose.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createECDH, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { createServer as createNetServer } from "node:net";
import { after, before, describe, it } from "node:test";
import ece from "http_ece";
import { importJWK, jwtVerify } from "jose";

const ROOT = new URL("../..", import.meta.url).pathname;

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}

/** `npm start` minus the web build (push needs no pages), in its own process group. */
async function startLikeNpmStart() {
  const port = await freePort();
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), CI: "true" },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const ready = new Promise((resolve, reject) => {
    const onData = (d) => {
      log += d;
      if (log.includes("healthpass-edge is running at")) resolve();
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (d) => (log += d));
    child.on("exit", (code) => reject(new Error(`npm start exited (${code}):\n${log}`)));
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    await exited;
  };
  try {
    await ready;
  } catch (err) {
    await stop();
    throw err;
  }
  return { origin: `http://localhost:${port}`, stop, log: () => log };
}

/** A push service stand-in: records every POST and answers 201 as push services do. */
function pushReceiver() {
  const pushes = [];
  const waiters = [];
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    pushes.push({ url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
    res.writeHead(201).end();
    for (const w of waiters.splice(0)) w();
  });
  const next = () => new Promise((r) => waiters.push(r));
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, origin: `http://127.0.0.1:${server.address().port}`, pushes, next }),
    ),
  );
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function residentId(body17) {
  const sum = [...body17].reduce((s, ch, i) => s + Number(ch) * WEIGHTS[i], 0);
  return body17 + "10X98765432"[sum % 11];
}

async function api(origin, method, path, { token, body } = {}) {
  const res = await fetch(origin + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { "content-type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

describe("Web Push under npm start (wrangler dev, development configuration)", { timeout: 240_000 }, () => {
  let service;
  let receiver;

  before(async () => {
    receiver = await pushReceiver();
    service = await startLikeNpmStart();
  });

  after(async () => {
    await service?.stop();
    receiver?.server.close();
  });

  it("a positive test turns the code red and the subscriber receives it, encrypted and VAPID-signed", async () => {
    const { origin } = service;
    const seed = await api(origin, "GET", "/dev/seed");
    assert.equal(seed.status, 200);

    // A fresh identity every run: the local state persists between runs, as it does for npm start.
    const birth = `19${String(50 + (Date.now() % 40)).padStart(2, "0")}0${1 + (Date.now() % 9)}1${Date.now() % 10}`;
    const idNumber = residentId(`510104${birth}${String(Date.now() % 1000).padStart(3, "0")}`);
    const minted = await api(origin, "POST", "/dev/id-token", {
      body: { sub: `push-dev-${randomBytes(6).toString("hex")}`, idType: "resident_id", idNumber },
    });
    const token = minted.body.idToken;
    const person = await api(origin, "POST", "/v1/persons", {
      token,
      body: { name: "张推送", idType: "resident_id", idNumber, phone: "13800000009", relationship: "self" },
    });
    assert.equal(person.status, 201, JSON.stringify(person.body));
    const { personId } = person.body;

    // The user agent's keys (RFC 8291): an ECDH P-256 pair and a 16-byte auth secret.
    const ua = createECDH("prime256v1");
    ua.generateKeys();
    const authSecret = randomBytes(16);
    const endpoint = `${receiver.origin}/push/${randomBytes(8).toString("hex")}`;
    const subscribed = await api(origin, "POST", "/v1/push/subscriptions", {
      token,
      body: {
        subscription: {
          endpoint,
          keys: { p256dh: ua.getPublicKey().toString("base64url"), auth: authSecret.toString("base64url") },
        },
      },
    });
    assert.equal(subscribed.status, 201, JSON.stringify(subscribed.body));

    const sampledAt = new Date(Date.now() - 3_600_000);
    const lab = await api(origin, "POST", "/v1/lab/results", {
      token: seed.body.labKey,
      body: {
        results: [
          {
            sampleId: `PUSH-DEV-${randomBytes(6).toString("hex")}`,
            idType: "resident_id",
            idNumber,
            name: "张推送",
            test: "nucleic_acid",
            result: "positive",
            sampledAt: sampledAt.toISOString(),
            reportedAt: new Date(sampledAt.getTime() + 1_800_000).toISOString(),
          },
        ],
      },
    });
    assert.equal(lab.status, 202, JSON.stringify(lab.body));

    // Wait for the red one (the first green after applying may arrive too, in either order).
    const decrypt = (p) =>
      JSON.parse(ece.decrypt(p.body, { version: "aes128gcm", privateKey: ua, authSecret }).toString("utf8"));
    let red;
    const deadline = Date.now() + 120_000;
    while (!red) {
      red = receiver.pushes
        .filter((p) => p.url === new URL(endpoint).pathname)
        .map((p) => ({ push: p, payload: decrypt(p) }))
        .find(({ payload }) => payload.personId === personId && payload.color === "red");
      if (red) break;
      assert.ok(
        Date.now() < deadline,
        `no red push within 120 s; service log:\n${service.log().slice(-3000)}`,
      );
      await Promise.race([receiver.next(), new Promise((r) => setTimeout(r, 1000))]);
    }
    assert.equal(red.payload.previousColor, "green");
    assert.equal(red.push.headers["content-encoding"], "aes128gcm");

    // VAPID (RFC 8292): signed by the key the service publishes, for this receiver's origin, with a
    // contact a push service accepts (not the http ISSUER_URL of development).
    const m = /^vapid t=([^,]+),\s*k=(.+)$/.exec(red.push.headers.authorization ?? "");
    assert.ok(m, `authorization header: ${red.push.headers.authorization}`);
    const published = await api(origin, "GET", "/v1/push/vapid-public-key");
    assert.equal(m[2], published.body.key);
    const point = Buffer.from(m[2], "base64url");
    const key = await importJWK(
      {
        kty: "EC",
        crv: "P-256",
        x: point.subarray(1, 33).toString("base64url"),
        y: point.subarray(33, 65).toString("base64url"),
      },
      "ES256",
    );
    const { payload: claims } = await jwtVerify(m[1], key, { audience: receiver.origin });
    assert.match(String(claims.sub), /^(mailto:|https:)/);
    assert.doesNotMatch(service.log(), /push not sent/);
  });
});
