/**
 * Data at rest: after a scenario through every route that takes personal data (applications in
 * person and by proxy, a passport holder, lab results incl. one for someone who never applied,
 * vaccination records, check-ins and scans, staff look-ups, manual entries, appeals, authority
 * events, imports, paper codes, push subscriptions, requests to manage a person with their own account
 * approved, denied and removed, a refused wrong name, a squatter displaced), every row of every D1
 * table and the whole
 * storage of every person's Durable Object is scanned for any identity number, name or phone in
 * clear. Dead letters (what queues could not deliver) are D1 rows, so they are scanned too.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { base64url } from "jose";
import { beforeAll, describe, expect, test, vi } from "vitest";
import { derivePersonId } from "../../workers/identity/person-id";
import { call, env, idToken } from "../helpers/api";
import { applicant, residentId } from "../helpers/identities";
import { countEveryShard } from "../helpers/shards";
import { d1Tables, dumpD1 } from "./helpers/db";
import { createWorld, type World } from "./helpers/world";

const hours = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

/** Distinctive values, so a hit can only be a leak (not a coincidence). */
const P = {
  self: { idNumber: residentId("510104", "19770707", 771), name: "司马隐私", phone: "13911110001" },
  proxy: { idNumber: residentId("510105", "19400202", 402), name: "欧阳代办", phone: "13911110002" },
  passport: { idNumber: "E98765432", name: "Quentin Privacyson", phone: "+1 415 555 0143" },
  labOnly: { idNumber: residentId("510106", "19880808", 881), name: "诸葛未申" },
  vaccinated: { idNumber: residentId("510107", "19660606", 661), name: "上官接种" },
  manual: { idNumber: residentId("510108", "19550505", 551), name: "东方手录", phone: "13911110005" },
  imported: { idNumber: residentId("510112", "19990909", 991), name: "慕容导入", phone: "13911110006" },
  event: { idNumber: residentId("510113", "19911111", 111), name: "皇甫事件" },
  squatted: { idNumber: residentId("510114", "19830303", 331), name: "令狐实名", phone: "13911110009" },
};

let world: World;
let touched: string[] = [];

beforeAll(async () => {
  world = await createWorld();
  const t = world.tokens;
  const ok = (res: { status: number; body: unknown }, what: string) => {
    if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as any;
  };

  // Applications: in person, by proxy, a passport holder.
  const selfToken = await idToken("rest-self", { idType: "resident_id", idNumber: P.self.idNumber });
  const self = ok(
    await call("POST", "/v1/persons", { token: selfToken, body: applicant(P.self.idNumber, P.self) }),
    "apply self",
  );
  ok(
    await call("POST", "/v1/persons", {
      token: selfToken,
      body: applicant(P.proxy.idNumber, { ...P.proxy, relationship: "parent" }),
    }),
    "apply by proxy",
  );
  ok(
    await call("POST", "/v1/persons", {
      token: await idToken("rest-passport"),
      body: { ...P.passport, idType: "passport", nationality: "USA", relationship: "self" },
    }),
    "apply with a passport",
  );
  // The event person applies too, so the event changes a live object.
  ok(
    await call("POST", "/v1/persons", {
      token: await idToken("rest-event", { idType: "resident_id", idNumber: P.event.idNumber }),
      body: applicant(P.event.idNumber, { name: P.event.name, phone: "13911110008" }),
    }),
    "apply event person",
  );

  // Issue 17: requests to manage the self person (approved then removed, denied), a wrong name refused,
  // and a squatter's unproven self binding displaced by the real-name application.
  const asked = async (sub: string, name = P.self.name) =>
    (
      await call("POST", "/v1/persons", {
        token: await idToken(sub),
        body: applicant(P.self.idNumber, { name, phone: "13911110010", relationship: "spouse" }),
      })
    ).body as { requestId?: string };
  const approvedThenRemoved = await asked("rest-relative-1");
  const denied = await asked("rest-relative-2");
  await asked("rest-wrong-name", "错名字试探者");
  const managersPath = `/v1/persons/${self.personId}/managers`;
  ok(
    await call("POST", `${managersPath}/${approvedThenRemoved.requestId}/approve`, { token: selfToken }),
    "approve",
  );
  ok(await call("POST", `${managersPath}/${denied.requestId}/deny`, { token: selfToken }), "deny");
  ok(
    await call("DELETE", `${managersPath}/${approvedThenRemoved.requestId}`, { token: selfToken }),
    "remove",
  );
  ok(
    await call("POST", "/v1/persons", {
      token: await idToken("rest-squatter"),
      body: applicant(P.squatted.idNumber, { name: "冒名顶替者", phone: P.squatted.phone }),
    }),
    "squat",
  );
  ok(
    await call("POST", "/dev/id-token", {
      body: {
        sub: "rest-squatted",
        name: P.squatted.name,
        idType: "resident_id",
        idNumber: P.squatted.idNumber,
      },
    }).then(async (t) =>
      call("POST", "/v1/persons", {
        token: t.body.idToken,
        body: applicant(P.squatted.idNumber, { name: P.squatted.name, phone: P.squatted.phone }),
      }),
    ),
    "real-name application displacing the squatter",
  );

  // Lab results: an applicant's, and one for someone who never applied (kept for later).
  const result = (p: { idNumber: string; name: string }, sampleId: string, r = "negative") => ({
    sampleId,
    idType: "resident_id",
    idNumber: p.idNumber,
    name: p.name,
    test: "nucleic_acid",
    result: r,
    sampledAt: hours(6),
    reportedAt: hours(1),
  });
  ok(
    await call("POST", "/v1/lab/results", {
      token: t.lab,
      body: { results: [result(P.self, "REST-1"), result(P.labOnly, "REST-2", "positive")] },
    }),
    "lab results",
  );
  ok(
    await call("POST", "/v1/vaccination/records", {
      token: t.vaccinationSite,
      body: {
        records: [
          {
            recordId: "REST-V1",
            idType: "resident_id",
            idNumber: P.vaccinated.idNumber,
            name: P.vaccinated.name,
            product: "CoronaVac",
            dose: 1,
            date: "2026-03-01",
          },
        ],
      },
    }),
    "vaccination records",
  );

  // Venue: the person checks in, the door scans their code, staff look them up, a manual entry.
  ok(
    await call("POST", "/v1/checkins", {
      token: selfToken,
      body: { placeCode: world.placeCode, personId: self.personId },
    }),
    "check in",
  );
  const code = ok(await call("GET", `/v1/persons/${self.personId}/code`, { token: selfToken }), "code");
  ok(await call("POST", "/v1/venue/scan", { token: t.device, body: { token: code.token } }), "scan");
  ok(
    await call("POST", "/v1/venue/lookup", {
      token: t.device,
      body: { idType: "resident_id", idNumber: P.self.idNumber, name: P.self.name },
    }),
    "look-up",
  );
  // A look-up that fails (wrong name) is audited too: the audit must not keep what was typed.
  await call("POST", "/v1/venue/lookup", {
    token: t.device,
    body: { idType: "resident_id", idNumber: P.proxy.idNumber, name: "错误姓名" },
  });
  ok(
    await call("POST", "/v1/venue/manual-entries", {
      token: t.device,
      body: {
        name: P.manual.name,
        phone: P.manual.phone,
        idType: "resident_id",
        idNumber: P.manual.idNumber,
      },
    }),
    "manual entry",
  );

  // The person's own services.
  ok(
    await call("POST", `/v1/persons/${self.personId}/appeals`, {
      token: selfToken,
      body: { kind: "question", text: "为什么是这个颜色？" },
    }),
    "appeal",
  );
  await call("POST", `/v1/persons/${self.personId}/paper-code`, { token: selfToken, body: {} });
  const pair = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, [
    "deriveBits",
  ])) as CryptoKeyPair;
  const p256dh = base64url.encode(
    new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer),
  );
  await call("POST", "/v1/push/subscriptions", {
    token: selfToken,
    body: {
      subscription: {
        endpoint: "https://push.example.com/rest",
        keys: { p256dh, auth: "AAAAAAAAAAAAAAAAAAAAAA" },
      },
    },
  });

  // The authority: an event (its reason is shown to the person) and an import.
  ok(
    await call("POST", "/v1/authority/events", {
      token: t.authority,
      body: {
        idType: "resident_id",
        idNumber: P.event.idNumber,
        kind: "secondary_contact",
        occurredAt: hours(2),
        reason: "同一航班",
      },
    }),
    "authority event",
  );
  const line = {
    idType: "resident_id",
    idNumber: P.imported.idNumber,
    name: P.imported.name,
    phone: P.imported.phone,
    color: "yellow",
    reason: "旧系统黄码",
    since: hours(30),
    source: "legacy-sc",
  };
  ok(
    await call("POST", "/v1/authority/imports", {
      token: t.authority,
      rawBody: `${JSON.stringify(line)}\n`,
      headers: { "content-type": "application/x-ndjson" },
    }),
    "import",
  );

  // Wait for the queues: results, vaccinations and the import applied.
  touched = await Promise.all(
    Object.values(P).map((p) =>
      derivePersonId(env.PERSON_ID_KEY, {
        idType: p === P.passport ? "passport" : "resident_id",
        idNumber: p.idNumber,
        ...(p === P.passport ? { nationality: "USA" } : {}),
      }),
    ),
  );
  touched.push(world.personId, world.otherPersonId);
  // The result of someone who never applied stays in D1 (scanned there) until they apply.
  const selfId = touched[Object.keys(P).indexOf("self")]!;
  const importedId = touched[Object.keys(P).indexOf("imported")]!;
  await vi.waitUntil(
    async () => {
      const n = {
        n: await countEveryShard("SELECT COUNT(*) AS n FROM test_results WHERE sample_id LIKE 'REST-%'"),
      };
      const lab = await env.PERSON.getByName(selfId).facts("test_result");
      const imp = await env.PERSON.getByName(importedId).summary();
      return n?.n === 2 && lab.length === 1 && imp?.color === "yellow";
    },
    { timeout: 60_000, interval: 200 },
  );
  for (const id of touched) await runDurableObjectAlarm(env.PERSON.getByName(id));
}, 120_000);

/** Each value as it could appear: as given, and the forms code might normalise it to. */
function needles(): string[] {
  const out = new Set<string>();
  for (const p of Object.values(P)) {
    out.add(p.idNumber);
    out.add(p.idNumber.slice(0, 17)); // without the check character
    out.add(p.name);
    if ("phone" in p) {
      out.add(p.phone);
      out.add(p.phone.replace(/\D/g, ""));
    }
  }
  out.add(P.passport.name.toLowerCase());
  out.add(P.passport.name.toUpperCase());
  // Also JSON-escaped (\uXXXX) forms of the Chinese names.
  for (const p of Object.values(P))
    out.add(
      JSON.stringify(p.name)
        .slice(1, -1)
        .replace(/[^ -~]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`),
    );
  out.add("冒名顶替者");
  out.add("错名字试探者");
  // Four Chinese characters are as distinctive as six Latin ones.
  return [...out].filter((n) => n.length >= 6 || /[\u3400-\u9fff]{4}/.test(n));
}

function findLeaks(where: string, text: string): string[] {
  const lower = text.toLowerCase();
  return needles()
    .filter((n) => lower.includes(n.toLowerCase()))
    .map((n) => `${where}: ${n}`);
}

describe("no identity number, name or phone in clear at rest", () => {
  test("the scenario wrote personal data to D1 (so the scan is not vacuous)", async () => {
    const tables = await d1Tables();
    const rows = await dumpD1();
    const nonEmpty = rows.filter((t) => t.rows.length > 0).map((t) => t.table);
    for (const t of ["persons", "test_results", "audit_log", "person_audit", "appeals"])
      if (tables.includes(t)) expect(nonEmpty, `${t} has rows`).toContain(t);
    // A planted value is found: the scanner works.
    expect(findLeaks("probe", JSON.stringify({ x: P.self.phone }))).not.toEqual([]);
  });

  test("every row of every D1 table", async () => {
    const leaks: string[] = [];
    for (const { table, rows } of await dumpD1()) {
      rows.forEach((row, i) => {
        for (const [col, v] of Object.entries(row)) {
          const text =
            v instanceof ArrayBuffer
              ? new TextDecoder().decode(v)
              : typeof v === "string"
                ? v
                : JSON.stringify(v);
          leaks.push(...findLeaks(`${table}[${i}].${col}`, text ?? ""));
        }
      });
    }
    expect(leaks).toEqual([]);
  });

  test("the whole storage of every touched person's Durable Object", async () => {
    const leaks: string[] = [];
    let scanned = 0;
    for (const id of touched) {
      const dump = await runInDurableObject(env.PERSON.getByName(id), async (_obj, state) => {
        const out: string[] = [];
        const tables = state.storage.sql
          .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
          .toArray()
          .map((r) => r.name);
        for (const t of tables) {
          try {
            out.push(`${t}: ${JSON.stringify(state.storage.sql.exec(`SELECT * FROM "${t}"`).toArray())}`);
          } catch {
            // Internal tables (_cf_*) are not readable through the SQL API; the KV API below covers them.
          }
        }
        out.push(`kv: ${JSON.stringify([...(await state.storage.list()).entries()])}`);
        return out.join("\n");
      });
      if (dump.includes("facts")) scanned++;
      leaks.push(...findLeaks(`PersonObject ${id}`, dump));
    }
    expect(scanned).toBeGreaterThanOrEqual(Object.keys(P).length);
    expect(leaks).toEqual([]);
  });

  test("the managers of a person hold accounts, a name MAC and an adult-on date, nothing else personal", async () => {
    const selfId = touched[Object.keys(P).indexOf("self")]!;
    const stored = await runInDurableObject(env.PERSON.getByName(selfId), async (_obj, state) => ({
      managers: state.storage.sql.exec("SELECT * FROM managers").toArray(),
      record: state.storage.sql.exec("SELECT * FROM person_record").toArray(),
    }));
    // The self account, the removed relative, the denied one; the wrong name left no row.
    expect(stored.managers.map((m) => m.status).sort()).toEqual(["active", "denied", "removed"]);
    expect(Object.keys(stored.managers[0]!).sort()).toEqual(
      [
        "account_id",
        "created_at",
        "displaced_self",
        "expires_at",
        "id",
        "proven",
        "relationship",
        "status",
        "updated_at",
      ].sort(),
    );
    const record = Object.fromEntries(stored.record.map((r) => [r.k, r.v]));
    // 18 years after the birth date in the number: enough to tell a minor, and not the number's date.
    expect(record.adultOn).toBe("1995-07-07");
    expect(JSON.parse(String(record.name))).toEqual({
      mac: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      proven: true,
    });
  });
});
