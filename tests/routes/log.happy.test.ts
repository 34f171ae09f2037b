import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { logSequencer } from "../../durable/log-client";
import type { HistoryEntry } from "../../durable/rules/transition";
import {
  auditLog,
  commitment,
  decodeEntry,
  fromBase64,
  parseBundle,
  parseCheckpoint,
  type TileRef,
  tilePath,
  verifyCheckpoint,
  verifyInclusionClaim,
} from "../../verifier/tlog";
import { authorityToken, call, type ExplainedStatus, env, idToken, ORIGIN } from "../helpers/api";
import { applicant, freshResidentId } from "../helpers/identities";

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

async function apply(sub: string, idNumber = freshResidentId()) {
  const token = await idToken(sub, { idType: "resident_id", idNumber });
  const res = await call("POST", "/v1/persons", { token, body: applicant(idNumber) });
  expect(res.status).toBe(201);
  return { token, idNumber, personId: res.body.personId as string };
}

async function fetchBytes(path: string): Promise<{ status: number; bytes: Uint8Array; headers: Headers }> {
  const res = await exports.default.fetch(new Request(ORIGIN + path));
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

const readTile = async (ref: TileRef) => {
  const r = await fetchBytes(`/log/${tilePath(ref)}`);
  if (r.status !== 200) throw new Error(`${tilePath(ref)}: ${r.status}`);
  return r.bytes;
};

async function logged(personId: string, to: string): Promise<HistoryEntry | undefined> {
  const stub = env.PERSON.getByName(personId);
  // Drive the person's alarm (its outbox) rather than wait for it; the flush waits for the batch.
  await runDurableObjectAlarm(stub);
  return (await stub.status())?.history.find((h) => h.to === to && h.log);
}

/** Every entry in the log now (through the public tile routes). */
async function allEntries(): Promise<string[]> {
  const cp = parseCheckpoint((await call("GET", "/log/checkpoint")).body.split("\n\n")[0] + "\n")!;
  const out: string[] = [];
  for (let b = 0; b * 256 < cp.size; b++) {
    const width = Math.min(256, cp.size - b * 256);
    for (const e of parseBundle(await readTile({ level: -1, index: b, width })))
      out.push(new TextDecoder().decode(e));
  }
  return out;
}

describe("the public log of colour changes", () => {
  it("puts a positive result's colour change in a signed checkpoint, provable to the person and naming nobody", async () => {
    const { labKey } = (
      await call("POST", "/v1/authority/labs", { token: await authorityToken(), body: { name: "Log lab" } })
    ).body as { labKey: string };
    const { token, idNumber, personId } = await apply("log-positive");
    const sampledAt = Date.now() - 3_600_000;
    const res = await call("POST", "/v1/lab/results", {
      token: labKey,
      body: {
        results: [
          {
            sampleId: "S-LOG-1",
            idType: "resident_id",
            idNumber,
            name: "张小三",
            test: "nucleic_acid",
            result: "positive",
            sampledAt: iso(sampledAt),
            reportedAt: iso(sampledAt + 1_800_000),
          },
        ],
      },
    });
    expect(res.status).toBeLessThan(300);
    const red = await vi.waitUntil(() => logged(personId, "red"), { timeout: 10_000, interval: 200 });
    expect(red.log).toEqual({
      index: expect.any(Number),
      nonce: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
    });

    // The person's status shows it; the proof verifies in the verifier library against /log/key.
    const status = await call<ExplainedStatus>("GET", `/v1/persons/${personId}/status`, { token });
    const entry = status.body.history.filter((h) => h.type === "color_change").find((h) => h.to === "red");
    expect(entry?.log).toEqual(red.log);
    const key = await call("GET", "/log/key");
    expect(key.status).toBe(200);
    const proof = await call("GET", `/v1/persons/${personId}/log-proof?index=${red.log!.index}`, { token });
    expect(proof.status).toBe(200);
    expect(await verifyInclusionClaim(proof.body, key.body)).toMatchObject({ ok: true });
    expect(await verifyCheckpoint(proof.body.checkpoint, key.body)).toMatchObject({ ok: true });

    // The entry: the rule and cause, the prefecture, and a commitment only this person's nonce opens.
    const e = decodeEntry(new TextEncoder().encode(proof.body.entry));
    expect(e).toMatchObject({
      v: 1,
      type: "color_change",
      from: "green",
      to: "red",
      cause: "rule",
      rules: [{ rule: "positive-test", ruleVersion: "1" }],
      prefecture: expect.stringMatching(/^\d{4}$/),
    });
    const nonce = Uint8Array.from(atob(red.log!.nonce.replace(/-/g, "+").replace(/_/g, "/") + "=="), (c) =>
      c.charCodeAt(0),
    );
    expect(e && e.type === "color_change" && e.commitment).toBe(commitment(personId, nonce));
    for (const secret of [personId, idNumber, "张小三", "张"]) expect(proof.body.entry).not.toContain(secret);

    // A tampered proof or entry is refused by the same library.
    const tampered = { ...proof.body, entry: proof.body.entry.replace('"red"', '"green"') };
    expect(await verifyInclusionClaim(tampered, key.body)).toEqual({ ok: false, reason: "bad_proof" });
  });

  it("serves tiles as C2SP tlog-tiles: the whole log audits against the signed checkpoint", async () => {
    const { personId } = await apply("log-audit");
    await vi.waitUntil(() => logged(personId, "green"), { timeout: 10_000, interval: 200 });
    const signed = (await call("GET", "/log/checkpoint")).body as string;
    const key = (await call("GET", "/log/key")).body as string;
    const cp = await verifyCheckpoint(signed, key);
    if (!cp.ok) throw new Error(cp.reason);
    const types = new Set<string>();
    const result = await auditLog({
      size: cp.checkpoint.size,
      expectedRoot: cp.checkpoint.root,
      read: readTile,
      onEntry: (e) => types.add(decodeEntry(e)?.type ?? "undecodable"),
    });
    expect(result).toMatchObject({ ok: true, size: cp.checkpoint.size });
    expect(types.has("undecodable")).toBe(false);
    const first = await fetchBytes(
      "/log/tile/entries/000" + (cp.checkpoint.size < 256 ? `.p/${cp.checkpoint.size}` : ""),
    );
    expect(first.headers.get("cache-control")).toContain("immutable");
    expect((await fetchBytes("/log/tile/0/x000/001")).status).toBe(404);
    expect((await fetchBytes("/log/tile/0/999")).status).toBe(404);
  });

  it("a re-delivered outbox item does not append twice", async () => {
    const { personId } = await apply("log-replay");
    const stub = env.PERSON.getByName(personId);
    const items = await runInDurableObject(stub, (_o, state) =>
      state.storage.sql
        .exec<{ item: string }>("SELECT item FROM outbox ORDER BY id")
        .toArray()
        .map((r) => r.item)
        .filter((i) => JSON.parse(i).kind === "log"),
    );
    expect(items).toHaveLength(1);
    const first = await vi.waitUntil(() => logged(personId, "green"), { timeout: 10_000, interval: 200 });
    const before = await logSequencer(env).stats();
    await runInDurableObject(stub, (_o, state) => {
      for (const item of items) state.storage.sql.exec("INSERT INTO outbox (item) VALUES (?)", item);
      return state.storage.setAlarm(Date.now());
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(
      await runInDurableObject(
        stub,
        (_o, s) => s.storage.sql.exec("SELECT count(*) AS n FROM outbox").one().n,
      ),
    ).toBe(0);
    const after = await logSequencer(env).stats();
    expect(after.size).toBe(before.size);
    expect((await stub.status())?.history.find((h) => h.to === "green")?.log).toEqual(first.log);
  });

  it("an authority event's entry carries the reason's hash and a stable pseudonym of the account", async () => {
    const auth = await authorityToken();
    const { idNumber, personId } = await apply("log-authority");
    const reason = `Shared train car with a case ${personId}`;
    const res = await call("POST", "/v1/authority/events", {
      token: auth,
      body: {
        idType: "resident_id",
        idNumber,
        kind: "close_contact",
        occurredAt: new Date().toISOString(),
        reason,
      },
    });
    expect(res.status).toBe(202);
    const again = await call("POST", "/v1/authority/events", {
      token: auth,
      body: {
        idType: "resident_id",
        idNumber,
        kind: "close_contact",
        occurredAt: new Date().toISOString(),
        reason: `${reason} (2)`,
      },
    });
    expect(again.status).toBe(202);
    // The person's change by this event is logged with cause authority_event.
    const color = res.body.color as string;
    expect(color).not.toBe("green");
    await vi.waitUntil(() => logged(personId, color), { timeout: 10_000, interval: 200 });
    const digest = async (s: string) =>
      Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s))), (b) =>
        b.toString(16).padStart(2, "0"),
      ).join("");
    const want = [await digest(reason), await digest(`${reason} (2)`)];
    const found = await vi.waitUntil(
      async () => {
        await runDurableObjectAlarm(logSequencer(env));
        const events = (await allEntries())
          .map((t) => JSON.parse(t))
          .filter((e) => e.type === "authority_event");
        const mine = events.filter((e) => want.includes(e.reasonSha256));
        return mine.length === 2 ? mine : undefined;
      },
      { timeout: 10_000, interval: 200 },
    );
    expect(found[0]).toMatchObject({
      v: 1,
      kind: "close_contact",
      actor: expect.stringMatching(/^a_[A-Za-z0-9_-]{16}$/),
    });
    expect(found[1].actor).toBe(found[0].actor);
    const all = await allEntries();
    for (const text of all) {
      expect(text).not.toContain(personId);
      expect(text).not.toContain(idNumber);
      expect(text).not.toContain("healthpass.test|");
    }
    const change = all
      .map((t) => JSON.parse(t))
      .find((e) => e.type === "color_change" && e.to === color && e.cause === "authority_event");
    expect(change).toBeDefined();
  });

  it("gives proofs only of the person's own entries, to their managers", async () => {
    const a = await apply("log-owner");
    const b = await apply("log-stranger");
    const mine = await vi.waitUntil(() => logged(a.personId, "green"), { timeout: 10_000, interval: 200 });
    const theirs = await vi.waitUntil(() => logged(b.personId, "green"), { timeout: 10_000, interval: 200 });
    const path = `/v1/persons/${a.personId}/log-proof?index=${mine.log!.index}`;
    expect((await call("GET", path, { token: b.token })).status).toBe(403);
    expect((await call("GET", path)).status).toBe(401);
    const other = await call("GET", `/v1/persons/${a.personId}/log-proof?index=${theirs.log!.index}`, {
      token: a.token,
    });
    expect(other.status).toBe(404);
    const bad = await call("GET", `/v1/persons/${a.personId}/log-proof?index=-1`, { token: a.token });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    expect(fromBase64("x")).toBeNull();
  });
});
