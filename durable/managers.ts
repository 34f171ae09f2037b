/**
 * Who may manage a person: the authoritative set, kept in the person's own object (its single writer),
 * so a decision to approve, deny or remove takes effect on the very next request. Pure functions over
 * plain data; `managers-store.ts` loads and persists, `person.ts` exposes them over RPC.
 */

import type { RELATIONSHIPS } from "../schema/d1/persons";

export type Relationship = (typeof RELATIONSHIPS)[number];

export type ManagerStatus = "active" | "pending" | "denied" | "removed";

/** How long a request waits for the person's answer, and how long a denial stands. */
export const REQUEST_TTL_MS = 7 * 86_400_000;

export interface Manager {
  /** Opaque, random: the `requestId` while pending, the `managerId` once active. Never the account. */
  id: string;
  accountId: string;
  relationship: Relationship;
  /** Bound with a login asserting this identity (a real-name provider). */
  proven: boolean;
  status: ManagerStatus;
  createdAt: string;
  updatedAt: string;
  /** Pending: when the request lapses; denied: when the denial stops standing. Null otherwise. */
  expiresAt: string | null;
  /** An unproven `self` login displaced by the person's real-name application. */
  displacedSelf: boolean;
}

/** The name on record, as a keyed MAC of its normalised form (the object never sees the name). */
export interface NameRecord {
  mac: string;
  /** Asserted by a real-name provider for the person themself; otherwise provisional. */
  proven: boolean;
}

export interface Application {
  accountId: string;
  relationship: Relationship;
  /** A `self` application from a login asserting this very identity. */
  proven: boolean;
  /** MAC of the name typed in the application. */
  nameMac: string;
  /** MAC of the name the login asserted (proven applications only). */
  assertedNameMac?: string | null;
  /** False once the account has used its daily allowance of new requests and refusals (a repeat is still answered). */
  allowNew: boolean;
  /** A fresh random id for a row this application may create. */
  newId: string;
  now: string;
}

export type Outcome =
  | { kind: "bound"; manager: Manager; created: boolean }
  | { kind: "pending"; manager: Manager; created: boolean }
  | { kind: "refused"; reason: "name_mismatch" | "held_as_self" | "denied" }
  | { kind: "quota" };

export interface Decision {
  outcome: Outcome;
  /** Rows to write (inserted or replaced by id). */
  upserts: Manager[];
  /** The name to record, when it is new or replaced. */
  name: NameRecord | null;
  /** Active accounts that lost their binding (displaced unproven `self` logins). */
  unbound: string[];
  notices: ManagerNotice[];
}

export type ManagerNotice =
  | { kind: "manager_request"; relationship: Relationship; requestId: string }
  | { kind: "manager_added"; relationship: Relationship }
  | { kind: "self_displaced"; requestId: string };

const addMs = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const live = (m: Manager, now: string) => m.expiresAt === null || m.expiresAt > now;

/** Whether the person has a `self` account other than `exceptAccount`. */
export function hasSelf(managers: readonly Manager[], exceptAccount?: string): boolean {
  return managers.some(
    (m) => m.status === "active" && m.relationship === "self" && m.accountId !== exceptAccount,
  );
}

/**
 * What an application does. Name rule: a proven `self` application's name (the asserted one when the
 * login asserts a name) becomes the record; any other must match the record, and a mismatch changes
 * nothing. Consent rule: a relative binds at once only while the person has no `self` account;
 * otherwise the application is a pending request the person answers.
 */
export function decideApplication(
  managers: readonly Manager[],
  record: NameRecord | null,
  app: Application,
): Decision {
  const none = (outcome: Outcome): Decision => ({
    outcome,
    upserts: [],
    name: null,
    unbound: [],
    notices: [],
  });
  const mine = managers.find((m) => m.accountId === app.accountId);
  const selfApp = app.relationship === "self";
  const provenSelf = selfApp && app.proven;
  // A refusal or a new request uses the account's daily allowance; past it, the answer is "too many".
  const counted = (o: Outcome): Decision => none(app.allowNew ? o : { kind: "quota" });

  const mac = provenSelf ? (app.assertedNameMac ?? app.nameMac) : app.nameMac;
  if (!provenSelf && record && record.mac !== mac)
    return counted({ kind: "refused", reason: "name_mismatch" });
  const name =
    !record || (provenSelf && (record.mac !== mac || !record.proven)) ? { mac, proven: provenSelf } : null;

  const row = (patch: Partial<Manager>): Manager => ({
    id: mine?.id ?? app.newId,
    accountId: app.accountId,
    relationship: app.relationship,
    proven: app.proven,
    status: "active",
    createdAt: mine?.createdAt ?? app.now,
    updatedAt: app.now,
    expiresAt: null,
    displacedSelf: false,
    ...patch,
  });

  if (selfApp) {
    if (provenSelf) {
      // No squatting: every unproven `self` login of this identity becomes a request the person answers.
      const displaced = managers
        .filter(
          (m) =>
            m.accountId !== app.accountId && m.status === "active" && m.relationship === "self" && !m.proven,
        )
        .map(
          (m): Manager => ({
            ...m,
            relationship: "other",
            status: "pending",
            updatedAt: app.now,
            expiresAt: addMs(app.now, REQUEST_TTL_MS),
            displacedSelf: true,
          }),
        );
      const already = mine?.status === "active" && mine.relationship === "self" && mine.proven;
      const me = already ? mine : row({});
      return {
        outcome: { kind: "bound", manager: me, created: !already },
        upserts: [...(already ? [] : [me]), ...displaced],
        name,
        unbound: displaced.map((m) => m.accountId),
        notices: displaced.map((m) => ({ kind: "self_displaced" as const, requestId: m.id })),
      };
    }
    if (mine?.status === "active" && mine.relationship === "self")
      return { ...none({ kind: "bound", manager: mine, created: false }), name };
    // Knowing a name and number is not enough to take a code someone already holds.
    if (hasSelf(managers, app.accountId)) return counted({ kind: "refused", reason: "held_as_self" });
    const me = row({});
    return {
      outcome: { kind: "bound", manager: me, created: true },
      upserts: [me],
      name,
      unbound: [],
      notices: [],
    };
  }

  if (mine?.status === "active") return { ...none({ kind: "bound", manager: mine, created: false }), name };
  if (mine?.status === "pending" && live(mine, app.now))
    return none({ kind: "pending", manager: mine, created: false });
  if (mine?.status === "denied" && live(mine, app.now)) return none({ kind: "refused", reason: "denied" });
  if (!hasSelf(managers)) {
    const me = row({ proven: false });
    return {
      outcome: { kind: "bound", manager: me, created: true },
      upserts: [me],
      name,
      unbound: [],
      notices: managers.some((m) => m.status === "active")
        ? [{ kind: "manager_added", relationship: app.relationship }]
        : [],
    };
  }
  if (!app.allowNew) return none({ kind: "quota" });
  // A fresh id for a fresh request: an old (lapsed, denied or removed) id never comes back to life.
  const request = row({
    id: app.newId,
    proven: false,
    status: "pending",
    createdAt: app.now,
    expiresAt: addMs(app.now, REQUEST_TTL_MS),
  });
  return {
    outcome: { kind: "pending", manager: request, created: true },
    upserts: [request],
    name: null,
    unbound: [],
    notices: [{ kind: "manager_request", relationship: app.relationship, requestId: request.id }],
  };
}

export interface Access {
  relationship: Relationship;
  self: boolean;
  /** May read (and add) the person's check-ins: where they have been. */
  checkins: boolean;
}

/**
 * What an account may see of the person. Only active managers see anything. Check-ins (where the
 * person has been) are for the person, and for relatives of a minor or of someone without a `self` account.
 */
export function accessFor(
  managers: readonly Manager[],
  accountId: string,
  adultOn: string | null,
  todayShanghai: string,
): Access | null {
  const m = managers.find((x) => x.accountId === accountId && x.status === "active");
  if (!m) return null;
  const self = m.relationship === "self";
  const minor = adultOn !== null && todayShanghai < adultOn;
  return { relationship: m.relationship, self, checkins: self || minor || !hasSelf(managers) };
}

/** The day a person born on `birthDate` (YYYY-MM-DD) turns 18; 29 February births on 1 March. */
export function adultOnFrom(birthDate: string): string {
  const [y, mo, d] = birthDate.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y + 18, mo - 1, d));
  return date.toISOString().slice(0, 10);
}

export type Answer = "approve" | "deny";

export type AnswerResult =
  | { ok: true; manager: Manager; changed: boolean }
  | { ok: false; reason: "not_self" | "unknown" | "expired" | "answered" };

/** The person (an active `self` account) approves or denies a pending request. Repeating an answer is a no-op. */
export function answerRequest(
  managers: readonly Manager[],
  byAccount: string,
  requestId: string,
  answer: Answer,
  now: string,
): AnswerResult {
  if (!accessFor(managers, byAccount, null, "")?.self) return { ok: false, reason: "not_self" };
  const m = managers.find((x) => x.id === requestId);
  if (!m || m.accountId === byAccount) return { ok: false, reason: "unknown" };
  const target: ManagerStatus = answer === "approve" ? "active" : "denied";
  if (m.status === target && (answer === "approve" || live(m, now)))
    return { ok: true, manager: m, changed: false };
  if (m.status !== "pending") return { ok: false, reason: m.status === "removed" ? "unknown" : "answered" };
  if (!live(m, now)) return { ok: false, reason: "expired" };
  return {
    ok: true,
    changed: true,
    manager: {
      ...m,
      status: target,
      updatedAt: now,
      expiresAt: answer === "approve" ? null : addMs(now, REQUEST_TTL_MS),
    },
  };
}

export type RemoveResult =
  | { ok: true; manager: Manager; changed: boolean }
  | { ok: false; reason: "not_self" | "unknown" | "yourself" };

/** The person removes a manager (or withdraws a pending request) at any time; a removed one may apply again. */
export function removeManager(
  managers: readonly Manager[],
  byAccount: string,
  managerId: string,
  now: string,
): RemoveResult {
  if (!accessFor(managers, byAccount, null, "")?.self) return { ok: false, reason: "not_self" };
  const m = managers.find((x) => x.id === managerId);
  if (!m) return { ok: false, reason: "unknown" };
  if (m.accountId === byAccount) return { ok: false, reason: "yourself" };
  if (m.status === "removed" || m.status === "denied") return { ok: true, manager: m, changed: false };
  return { ok: true, changed: true, manager: { ...m, status: "removed", updatedAt: now, expiresAt: null } };
}

export interface ManagerView {
  managerId: string;
  relationship: Relationship;
  status: "active" | "pending";
  proven: boolean;
  self: boolean;
  you: boolean;
  displacedSelf: boolean;
  since: string;
  expiresAt: string | null;
}

/** What the person sees: every active manager and every live pending request, never another account's id. */
export function managerViews(managers: readonly Manager[], viewer: string, now: string): ManagerView[] {
  return managers
    .filter((m) => m.status === "active" || (m.status === "pending" && live(m, now)))
    .map((m) => ({
      managerId: m.id,
      relationship: m.relationship,
      status: m.status as "active" | "pending",
      proven: m.proven,
      self: m.relationship === "self",
      you: m.accountId === viewer,
      displacedSelf: m.displacedSelf,
      since: m.createdAt,
      expiresAt: m.status === "pending" ? m.expiresAt : null,
    }))
    .sort((a, b) =>
      a.status === b.status ? a.since.localeCompare(b.since) : a.status === "pending" ? -1 : 1,
    );
}
