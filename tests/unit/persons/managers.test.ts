import { describe, expect, it } from "vitest";
import {
  type Application,
  accessFor,
  adultOnFrom,
  answerRequest,
  decideApplication,
  type Manager,
  managerViews,
  REQUEST_TTL_MS,
  removeManager,
} from "../../../durable/managers";

const T0 = "2026-11-01T00:00:00.000Z";
const later = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

const app = (over: Partial<Application>): Application => ({
  accountId: "acct",
  relationship: "parent",
  proven: false,
  nameMac: "mac-real",
  allowNew: true,
  newId: `mgr_${Math.random()}`,
  now: T0,
  ...over,
});

/** Applies decisions one after another, as the object does. */
function run(apps: Partial<Application>[]) {
  let managers: Manager[] = [];
  let record: { mac: string; proven: boolean } | null = null;
  const outcomes = apps.map((a) => {
    const d = decideApplication(managers, record, app(a));
    const byId = new Map(managers.map((m) => [m.id, m]));
    for (const u of d.upserts) {
      for (const [id, m] of byId) if (m.accountId === u.accountId && id !== u.id) byId.delete(id);
      byId.set(u.id, u);
    }
    managers = [...byId.values()];
    if (d.name) record = d.name;
    return d;
  });
  return { managers, record: record as { mac: string; proven: boolean } | null, outcomes };
}

describe("decideApplication", () => {
  it("binds a relative at once while the person has no self account, and asks the person once they do", () => {
    const { outcomes } = run([
      { accountId: "grandson" },
      { accountId: "grandma", relationship: "self", proven: true },
      { accountId: "aunt" },
    ]);
    expect(outcomes.map((o) => o.outcome.kind)).toEqual(["bound", "bound", "pending"]);
    expect(outcomes[2]!.notices).toEqual([expect.objectContaining({ kind: "manager_request" })]);
  });

  it("a request lapses after 7 days: the applicant may ask again and gets a new request id", () => {
    const first = run([{ accountId: "self", relationship: "self", proven: true }, { accountId: "aunt" }]);
    const pending = first.outcomes[1]!.outcome;
    if (pending.kind !== "pending") throw new Error("expected pending");
    expect(pending.manager.expiresAt).toBe(later(REQUEST_TTL_MS));
    const retry = decideApplication(
      first.managers,
      first.record,
      app({ accountId: "aunt", now: later(1000) }),
    );
    expect(retry.outcome).toMatchObject({ kind: "pending", created: false });
    const after = decideApplication(
      first.managers,
      first.record,
      app({ accountId: "aunt", now: later(REQUEST_TTL_MS + 1), newId: "mgr_new" }),
    );
    expect(after.outcome).toMatchObject({ kind: "pending", created: true, manager: { id: "mgr_new" } });
    // A lapsed request can no longer be approved.
    expect(
      answerRequest(first.managers, "self", pending.manager.id, "approve", later(REQUEST_TTL_MS + 1)),
    ).toEqual({
      ok: false,
      reason: "expired",
    });
  });

  it("a wrong name is refused and records nothing; a proven self replaces a provisional name", () => {
    const { managers, record } = run([{ accountId: "mother", nameMac: "mac-typed" }]);
    expect(record).toEqual({ mac: "mac-typed", proven: false });
    const wrong = decideApplication(managers, record, app({ accountId: "x", nameMac: "mac-other" }));
    expect(wrong).toEqual({
      outcome: { kind: "refused", reason: "name_mismatch" },
      upserts: [],
      name: null,
      unbound: [],
      notices: [],
    });
    const proven = decideApplication(
      managers,
      record,
      app({
        accountId: "me",
        relationship: "self",
        proven: true,
        nameMac: "mac-x",
        assertedNameMac: "mac-asserted",
      }),
    );
    expect(proven.name).toEqual({ mac: "mac-asserted", proven: true });
  });

  it("past the daily allowance a refusal or new request is 'quota', a binding is not", () => {
    const { managers, record } = run([{ accountId: "self", relationship: "self", proven: true }]);
    expect(decideApplication(managers, record, app({ accountId: "p", allowNew: false })).outcome.kind).toBe(
      "quota",
    );
    expect(
      decideApplication(managers, record, app({ accountId: "p", allowNew: false, nameMac: "bad" })).outcome
        .kind,
    ).toBe("quota");
    expect(decideApplication([], null, app({ accountId: "p", allowNew: false })).outcome.kind).toBe("bound");
  });

  it("a proven self displaces every unproven self binding into a pending request", () => {
    const { managers, outcomes } = run([
      { accountId: "squatter", relationship: "self", nameMac: "mac-fake" },
      { accountId: "real", relationship: "self", proven: true, nameMac: "mac-real" },
    ]);
    expect(outcomes[1]!.unbound).toEqual(["squatter"]);
    expect(managers.find((m) => m.accountId === "squatter")).toMatchObject({
      status: "pending",
      relationship: "other",
      displacedSelf: true,
    });
    expect(accessFor(managers, "squatter", null, "2026-11-01")).toBeNull();
    // A second unproven self claim is refused.
    const again = decideApplication(
      managers,
      { mac: "mac-real", proven: true },
      app({ accountId: "s2", relationship: "self" }),
    );
    expect(again.outcome).toEqual({ kind: "refused", reason: "held_as_self" });
  });
});

describe("accessFor", () => {
  const { managers } = run([
    { accountId: "parent", relationship: "parent" },
    { accountId: "kid", relationship: "self", proven: true },
  ]);

  it("a relative sees where a minor has been until the day they turn 18 (Shanghai date)", () => {
    expect(accessFor(managers, "parent", "2030-05-01", "2030-04-30")?.checkins).toBe(true);
    expect(accessFor(managers, "parent", "2030-05-01", "2030-05-01")?.checkins).toBe(false);
    expect(accessFor(managers, "kid", "2030-05-01", "2030-05-01")).toEqual({
      relationship: "self",
      self: true,
      checkins: true,
    });
  });

  it("a relative of an adult without a self account sees check-ins", () => {
    const alone = run([{ accountId: "grandson" }]).managers;
    expect(accessFor(alone, "grandson", "1963-01-01", "2026-11-01")?.checkins).toBe(true);
  });

  it("removal and denial are seen at once; a manager cannot answer or remove", () => {
    const withReq = run([
      { accountId: "me", relationship: "self", proven: true },
      { accountId: "rel" },
    ]).managers;
    const req = withReq.find((m) => m.accountId === "rel")!;
    expect(answerRequest(withReq, "rel", req.id, "approve", T0)).toEqual({ ok: false, reason: "not_self" });
    const approved = answerRequest(withReq, "me", req.id, "approve", T0);
    if (!approved.ok) throw new Error("approve failed");
    const after = withReq.map((m) => (m.id === req.id ? approved.manager : m));
    expect(accessFor(after, "rel", null, "2026-11-01")).not.toBeNull();
    expect(removeManager(after, "rel", req.id, T0)).toEqual({ ok: false, reason: "not_self" });
    const removed = removeManager(after, "me", req.id, T0);
    if (!removed.ok) throw new Error("remove failed");
    expect(accessFor([removed.manager], "rel", null, "2026-11-01")).toBeNull();
    expect(managerViews(after, "me", T0).map((v) => [v.relationship, v.you])).toEqual([
      ["self", true],
      ["parent", false],
    ]);
  });
});

describe("adultOnFrom", () => {
  it("is the 18th birthday, and 1 March for 29 February births", () => {
    expect(adultOnFrom("2008-06-15")).toBe("2026-06-15");
    expect(adultOnFrom("2008-02-29")).toBe("2026-03-01");
  });
});
