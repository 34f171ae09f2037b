import { DurableObject } from "cloudflare:workers";
import type { CheckInRow } from "../schema/checkins";
import { shanghaiDate } from "../workers/lib/shanghai";
import { countItemFor, deliverCountItems, hasBeenCounted } from "./count-items";
import { activeRuleSet } from "./d1-reads";
import { dropOldest } from "./drop-oldest";
import { explainChange, explainFirst, explainReasons } from "./explain";
import { exposureFact, visitOfCheckIn } from "./exposure-facts";
import { deliverLogItems, logItemFor } from "./log-items";
import { noticeFor } from "./manager-notices";
import {
  type Access,
  type Answer,
  type AnswerResult,
  type Application,
  accessFor,
  answerRequest,
  type Decision,
  decideApplication,
  type ManagerView,
  managerViews,
  type RemoveResult,
  removeManager,
} from "./managers";
import { legacyManagers } from "./managers-seed";
import { ManagersStore } from "./managers-store";
import { flushOutbox, type OutboxItem, outboxItemsFor } from "./outbox";
import { pendingFacts } from "./pending-facts";
import { PersonCheckIns, type RecordedVisit, type VisitCheck } from "./person-checkins";
import { PERSON_MIGRATIONS } from "./person-migrations";
import { PersonStore } from "./person-store";
import type { AddFactsResult, ColorSummary, Notice, PersonMeta, PersonStatus } from "./person-types";
import { subscriptionsOfAccounts } from "./push-reads";
import { audienceAccounts, type PushAudience, type PushTarget, type PushTargetUpdate } from "./push-targets";
import { PushTargetsStore } from "./push-targets-store";
import { DEFAULT_RULE_SET } from "./rules/default-rule-set";
import { cannotChange, evaluate } from "./rules/engine";
import type { Fact } from "./rules/facts";
import { compareRuleSets, type RuleSetComparison } from "./rules/preview";
import type { RuleSet } from "./rules/rule-set";
import { applyEvaluation, type ColorState, type HistoryEntry, initialState } from "./rules/transition";
import { migrateStorage } from "./storage-migrations";
import { expiryOf } from "./venue-coverage";

const OUTBOX_RETRY_MS = 5_000;
/** Visits remembered as held by their venue's object (see `rememberKept`): at most, and for how long. */
const KEPT_IN_MEMORY_MAX = 1_000;
const KEPT_IN_MEMORY_MS = 10 * 60_000;
/** The review time the pending alarm was set for (null when it was set for an outbox flush). */
const REVIEW_ALARM_KEY = "reviewAlarmAt";

/**
 * One object per person: the only writer of that person's colour. Every method reads and writes
 * storage synchronously inside one transaction, so concurrent calls never interleave between the
 * read of the facts and the write of the new state; D1 and queue writes leave through the outbox.
 */
export class PersonObject extends DurableObject<Env> {
  private readonly store: PersonStore;
  private readonly managers: ManagersStore;
  private readonly checkins: PersonCheckIns;
  private readonly push: PushTargetsStore;
  /**
   * When the stored state was last evaluated over the stored facts and rule set, by this instance
   * (null: not known here). Until the state's `reviewAt`, evaluating again later gives the same
   * result (the engine's contract), which lets `addFacts` skip facts that cannot change it.
   */
  private evaluatedAt: string | null = null;
  /**
   * What this instance knows of the alarm: set at or before this time (ms), so a check-in expiring
   * later needs no `scheduleAlarm`; `null`: none is set (the alarm handler ended with nothing to
   * schedule, and only `scheduleAlarm` sets one); `undefined`: not known here.
   */
  private alarmKnown: number | null | undefined = undefined;
  /** The district counters are known to have counted this person (see `isCounted`). */
  private counted = false;
  /** Visits whose copy the venue's object is known to hold, by id, with when that was learnt (ms). */
  private readonly keptAtVenue = new Map<string, number>();
  /**
   * Of those, the ones not yet marked in storage (person migration 7), oldest first: marked in the
   * next new visit's transaction, so a repeat after this object is evicted makes no call to the
   * venue, and marking costs no commit of its own. Bounded; an id dropped or lost with the instance
   * only costs that repeat a venue write, which the venue ignores.
   */
  private unmarkedKept: string[] = [];

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // A migration that throws resets the object: no call ever runs on a half-upgraded schema.
    void ctx.blockConcurrencyWhile(async () => migrateStorage(ctx.storage, PERSON_MIGRATIONS));
    this.store = new PersonStore(ctx.storage);
    this.managers = new ManagersStore(ctx.storage.sql);
    this.checkins = new PersonCheckIns(ctx.storage.sql, () => this.store.meta()?.personId ?? "");
    this.push = new PushTargetsStore(ctx.storage.sql);
  }

  // --- Own check-ins (issue 12; durable/person-checkins.ts). ---

  /**
   * Records a visit unless it is the same visit or a replayed code (see PersonCheckIns.record), then
   * has the venue's object keep its copy (`keepAtVenue`) unless it is known to hold it already.
   */
  async recordCheckIn(row: CheckInRow, check: VisitCheck, retentionDays: number): Promise<RecordedVisit> {
    const recorded =
      this.checkins.knownRepeat(row, check) ??
      this.transaction(() => {
        const r = this.checkins.record(row, check, retentionDays);
        // A new visit commits anyway: the marks of the visits kept since ride in its transaction.
        if (r.created && this.unmarkedKept.length > 0) {
          this.checkins.markKept(this.unmarkedKept);
          this.unmarkedKept = [];
        }
        return r;
      });
    if (recorded.replayed) return recorded;
    // The visit's expiry needs an alarm by then; one already set earlier serves it (no storage read).
    const expiry = expiryOf(row.checkedInAt, retentionDays);
    if (recorded.created && !(typeof this.alarmKnown === "number" && this.alarmKnown <= expiry))
      await this.scheduleAlarm(expiry);
    if (!recorded.venueKept && !this.keptAtVenue.has(recorded.row.checkInId))
      await this.keepAtVenue(recorded.row, retentionDays);
    return { ...recorded, venueKept: true };
  }

  /**
   * The venue's copy under this object's id (idempotent at the venue), and the exposure of the
   * designations in force there that cover it, added here at once; then the visit is remembered as
   * kept, so a repeat of it makes no call. Called from this object rather than from the route, so
   * that a visit's first repeat is a read here and not two more calls. A failure leaves it
   * unremembered and the error goes to the caller: a retry (a repeat) completes it.
   */
  private async keepAtVenue(row: CheckInRow, retentionDays: number): Promise<void> {
    const atVenue = await this.env.VENUE.getByName(row.venueId).record(row, retentionDays);
    if (atVenue.covering.length > 0)
      await this.addFacts(atVenue.covering.map((area) => exposureFact(area, visitOfCheckIn(row))));
    this.rememberKept(row.checkInId);
  }

  /**
   * In memory, not a write: a second commit per visit cost a third of a new visit's time (bench, hot
   * venue). Forgetting is safe: after an eviction a repeat writes the venue's copy again, which the
   * venue ignores. Only recent ids are kept (repeats come within the two-minute window, or as an
   * app's retries soon after).
   */
  private rememberKept(checkInId: string): void {
    const now = Date.now();
    dropOldest(this.keptAtVenue, (at) => now - at <= KEPT_IN_MEMORY_MS, KEPT_IN_MEMORY_MAX);
    this.keptAtVenue.set(checkInId, now);
    this.unmarkedKept.push(checkInId);
    if (this.unmarkedKept.length > KEPT_IN_MEMORY_MAX) this.unmarkedKept.shift();
  }

  /**
   * The check-in route's one call: whether the account may record where the person is (as
   * `accessAndSummary`), the colour, and, when it may and the person has a code, the visit recorded
   * in that colour (as `recordCheckIn`). Nothing is recorded otherwise (`saved` null).
   */
  async checkInAs(
    accountId: string,
    row: CheckInRow,
    check: VisitCheck,
    retentionDays: number,
  ): Promise<{ access: Access | null; summary: ColorSummary | null; saved: RecordedVisit | null }> {
    const { access, summary: s } = await this.accessAndSummary(accountId);
    if (!access?.checkins || !s) return { access, summary: s, saved: null };
    return {
      access,
      summary: s,
      saved: await this.recordCheckIn({ ...row, color: s.color }, check, retentionDays),
    };
  }

  /** Newest first, keyset-paginated. */
  async checkIns(limit: number, before?: { at: string; id: string }): Promise<CheckInRow[]> {
    return this.checkins.page(limit, before);
  }

  async checkIn(checkInId: string): Promise<CheckInRow | null> {
    return this.checkins.find(checkInId);
  }

  async voidCheckIn(checkInId: string, at: string): Promise<void> {
    this.checkins.void(checkInId, at);
  }

  // --- Managers (issue 17): the authoritative set of accounts that manage this person. ---

  /** An application for this person, decided and recorded at once (with the person's notices). */
  async applyManager(app: Application, adultOn: string | null): Promise<Decision> {
    await this.seedManagers();
    const personId = this.store.meta()?.personId;
    const decision = this.transaction(() => {
      if (adultOn && !this.managers.adultOn()) this.managers.setAdultOn(adultOn);
      const decision = decideApplication(this.managers.all(), this.managers.name(), app);
      this.managers.upsert(decision.upserts);
      if (decision.name) this.managers.setName(decision.name);
      this.managers.markSeeded();
      this.push.keepOnly(audienceAccounts(this.managers.all(), "all"));
      for (const n of decision.notices) {
        const notice = noticeFor(n, app.now);
        this.store.addNotice(notice);
        if (personId) this.store.enqueue([{ kind: "notice", personId, notice }]);
      }
      return decision;
    });
    if (decision.notices.length > 0) await this.scheduleAlarm();
    if (decision.outcome.kind === "bound") await this.seedPushQuietly([app.accountId]);
    return decision;
  }

  /** What this account may see of the person (null: nothing). */
  async access(accountId: string): Promise<Access | null> {
    await this.seedManagers();
    return accessFor(this.managers.all(), accountId, this.managers.adultOn(), shanghaiDate(new Date()));
  }

  /** The code route's one call: whether the account may see the person, and the colour. */
  async accessAndSummary(
    accountId: string,
  ): Promise<{ access: Access | null; summary: ColorSummary | null }> {
    const access = await this.access(accountId);
    const s = access ? this.store.state() : null;
    if (s && !this.isCounted()) await this.countLegacy(s.color);
    return { access, summary: s ? summary(s) : null };
  }

  /** The managers and pending requests, for the person's own `self` account only (null otherwise). */
  async managerList(accountId: string): Promise<ManagerView[] | null> {
    const access = await this.access(accountId);
    return access?.self ? managerViews(this.managers.all(), accountId, new Date().toISOString()) : null;
  }

  async answerManager(accountId: string, requestId: string, answer: Answer): Promise<AnswerResult> {
    await this.seedManagers();
    const result = this.transaction(() => {
      const result = answerRequest(
        this.managers.all(),
        accountId,
        requestId,
        answer,
        new Date().toISOString(),
      );
      if (result.ok && result.changed) this.managers.upsert([result.manager]);
      this.push.keepOnly(audienceAccounts(this.managers.all(), "all"));
      return result;
    });
    if (result.ok && result.manager.status === "active")
      await this.seedPushQuietly([result.manager.accountId]);
    return result;
  }

  /** The account behind a pending request, for the person's own account only (to check its limits). */
  async requestAccount(accountId: string, requestId: string): Promise<string | null> {
    const all = this.managers.all();
    if (!accessFor(all, accountId, null, "")?.self) return null;
    const m = all.find((x) => x.id === requestId && x.status === "pending");
    return m ? m.accountId : null;
  }

  async removeManagerBy(accountId: string, managerId: string): Promise<RemoveResult> {
    await this.seedManagers();
    return this.transaction(() => {
      const result = removeManager(this.managers.all(), accountId, managerId, new Date().toISOString());
      if (result.ok && result.changed) this.managers.upsert([result.manager]);
      // A removed manager's subscriptions go with it: no further colour of this person reaches them.
      this.push.keepOnly(audienceAccounts(this.managers.all(), "all"));
      return result;
    });
  }

  // --- Push subscriptions of the managers (issue 15; durable/push-targets.ts): the notify path's only read. ---

  /**
   * Where to push a change: the live subscriptions of the accounts that hear of it, less those the
   * change (`changeKey`) was already pushed to; only `ids` when given (a queued delivery). Reads D1
   * only for an account never read before (an object from before it kept them), once.
   */
  async pushTargets(q: {
    audience: PushAudience;
    changeKey: string;
    ids?: string[];
  }): Promise<{ color: ColorState["color"] | null; targets: PushTarget[] }> {
    await this.seedManagers();
    await this.seedPush(audienceAccounts(this.managers.all(), q.audience));
    const accounts = audienceAccounts(this.managers.all(), q.audience);
    const sent = this.push.sent(q.changeKey);
    return {
      color: this.store.state()?.color ?? null,
      targets: this.push.targets(accounts, q.ids).filter((t) => !sent.has(t.id)),
    };
  }

  /** A change to one account's subscriptions (from D1, its record); only a manager's are kept. */
  async updatePushTargets(update: PushTargetUpdate): Promise<void> {
    await this.seedManagers();
    this.transaction(() => {
      const manages = audienceAccounts(this.managers.all(), "all").includes(update.accountId);
      // A stranger's subscription never becomes a recipient of this person's notices.
      this.push.apply(manages ? update : { ...update, upserts: [] });
    });
  }

  /** After pushing `changeKey`: these are done (not pushed again on a redelivery), these are gone. */
  async recordPushes(
    changeKey: string,
    done: string[],
    gone: { id: string; accountId: string }[],
  ): Promise<void> {
    const at = Date.now();
    this.transaction(() => {
      this.push.markSent(changeKey, done, at);
      for (const g of gone)
        this.push.apply({ accountId: g.accountId, upserts: [], removed: [g.id], version: at });
    });
  }

  /** Reads from D1, once, the subscriptions of accounts this object has never read. */
  private async seedPush(accounts: string[]): Promise<void> {
    const unseeded = this.push.unseeded(accounts);
    if (unseeded.length === 0) return;
    // Taken before the read: an update written after it carries a later version and wins.
    const at = Date.now();
    const rows = await subscriptionsOfAccounts(this.env, unseeded);
    this.transaction(() => {
      const active = new Set(audienceAccounts(this.managers.all(), "all"));
      const still = unseeded.filter((a) => active.has(a));
      for (const a of still) {
        this.push.apply({
          accountId: a,
          upserts: rows.filter((r) => r.accountId === a),
          removed: [],
          version: at,
        });
      }
      this.push.markSeeded(still, at);
    });
  }

  /** Seeding when an account starts managing the person; if D1 fails, the first notification does it. */
  private async seedPushQuietly(accounts: string[]): Promise<void> {
    try {
      await this.seedPush(accounts);
    } catch {
      // Left unseeded: pushTargets reads it later.
    }
  }

  /** A person registered before the object kept its managers gets them from D1, once. */
  private async seedManagers(): Promise<void> {
    if (this.managers.seeded() || !this.store.state()) return;
    const meta = this.store.meta();
    if (!meta) return;
    const legacy = await legacyManagers(this.env, meta.personId);
    this.transaction(() => {
      if (this.managers.seeded()) return;
      const known = new Set(this.managers.all().map((m) => m.accountId));
      this.managers.upsert(legacy.managers.filter((m) => !known.has(m.accountId)));
      if (legacy.name && !this.managers.name()) this.managers.setName(legacy.name);
      this.managers.markSeeded();
    });
  }

  /** Idempotent: the first call creates the person green; later calls only refresh the metadata. */
  async init(meta: PersonMeta): Promise<ColorSummary> {
    const { published, pending } = await this.creationInputs(meta.personId);
    const at = new Date().toISOString();
    const state = this.transaction(() => {
      this.store.setMeta(meta);
      const added = this.store.insertFacts(pending, at);
      // Another init finished while this one read D1: only what it did not already hold is new.
      const existing = this.updateExisting(added, at);
      if (existing) return existing;
      if (published && !this.store.ruleSet()) this.store.setRuleSet(published.ruleSet);
      const first = initialState(at, (this.store.ruleSet() ?? DEFAULT_RULE_SET).version);
      this.writeFirst(meta, first, {
        version: first.version,
        from: null,
        to: first.color,
        at,
        cause: { kind: "init" },
        rules: [],
        ruleSetVersion: first.ruleSetVersion,
        reasons: [],
      });
      // Facts that arrived before the person applied (from D1 above, or sent to the object by an
      // authority event or by intake between the directory insert and this call) decide at once.
      return this.reevaluate(at, { kind: "init" }) ?? first;
    });
    await this.scheduleAlarm();
    return summary(state);
  }

  /**
   * A person carried over from a previous code system, with the facts that system knew (an
   * imported colour). A person created here starts with the colour those facts give: an imported
   * red is red from its first history entry, never green-then-red, and `since` is when the cause
   * began (as the previous system showed it), so nothing visible changes at switch-over. For a person
   * who already exists the facts are added like any others. Idempotent (fact ids).
   */
  async importPerson(
    meta: PersonMeta,
    facts: Fact[],
    /** The rule set in force, when the caller has read it once for many persons (undefined: read it here). */
    inForce?: { ruleSet: RuleSet } | null,
  ): Promise<ColorSummary> {
    // As in init (the import route writes the directory row first).
    const { published, pending } = await this.creationInputs(meta.personId, inForce);
    const at = new Date().toISOString();
    const state = this.transaction(() => {
      this.store.setMeta(meta);
      const added = this.store.insertFacts([...facts, ...pending], at);
      const existing = this.updateExisting(added, at);
      if (existing) return existing;
      if (published && !this.store.ruleSet()) this.store.setRuleSet(published.ruleSet);
      const all = this.store.facts();
      const ev = evaluate(all, at, this.store.ruleSet() ?? DEFAULT_RULE_SET, { uniqueIds: true });
      const deciding = ev.reasons.filter((r) => r.color === ev.color);
      const first: ColorState = {
        ...initialState(at, ev.ruleSetVersion),
        color: ev.color,
        since: deciding.length > 0 ? deciding.map((r) => r.since).sort()[0]! : at,
        reasons: ev.reasons,
        reviewAt: ev.reviewAt,
      };
      const entry: HistoryEntry = {
        version: first.version,
        from: null,
        to: first.color,
        at,
        cause: { kind: "init", factIds: all.map((f) => f.id) },
        rules: deciding.map((r) => ({ rule: r.rule, ruleVersion: r.ruleVersion })),
        ruleSetVersion: ev.ruleSetVersion,
        reasons: ev.reasons,
      };
      // The carried-over reason and its source system stay beside the rule in the first entry.
      this.writeFirst(meta, first, explainFirst(entry, all));
      this.evaluatedAt = at;
      return first;
    });
    await this.scheduleAlarm();
    return summary(state);
  }

  /**
   * What a person created now starts with. A new person starts under the rule set in force: persons
   * registered before a publication get it from its fan-out; one registering during it reads it here
   * (published before the fan-out reads the directory), so nobody is missed. Results and vaccination
   * records that arrived before the person applied are in D1 only (intake sends facts only to persons
   * in the directory); they are read here, once, and decide at once. Nothing is read for a person who
   * exists already. `inForce` lets a caller that creates many persons read the rule set once.
   */
  private async creationInputs(personId: string, inForce?: { ruleSet: RuleSet } | null) {
    const fresh = !this.store.state();
    const [published, pending] = await Promise.all([
      fresh && !this.store.ruleSet() ? (inForce !== undefined ? inForce : activeRuleSet(this.env)) : null,
      fresh ? pendingFacts(this.env, personId) : [],
    ]);
    return { published, pending };
  }

  /** Inside a transaction: an existing person re-evaluated on the facts just added; null for a new one. */
  private updateExisting(added: string[], at: string): ColorState | null {
    const existing = this.store.state();
    if (!existing) return null;
    const state =
      added.length > 0 ? (this.reevaluate(at, { kind: "fact", factIds: added }) ?? existing) : existing;
    // A person counted before, or one whose district changed, is (re)counted.
    this.enqueueCount(state.color, at);
    return state;
  }

  /**
   * The counter backfill (durable/counter-backfill.ts): a person never counted (registered before the
   * district counters) is counted now, as on a code refresh; true if this call counted them.
   */
  async countIfNeverCounted(): Promise<boolean> {
    const s = this.store.state();
    if (!s || this.isCounted()) return false;
    await this.countLegacy(s.color);
    return true;
  }

  /** Whether the district counters have counted this person (once true, it stays true: no SQL read). */
  private isCounted(): boolean {
    this.counted ||= hasBeenCounted(this.ctx.storage.sql);
    return this.counted;
  }

  /** A person from before the district counters is counted once, on their first code refresh since. */
  private async countLegacy(color: ColorState["color"]): Promise<void> {
    this.transaction(() => this.enqueueCount(color, new Date().toISOString()));
    await this.scheduleAlarm();
  }

  /** Inside a transaction: a `count` item for the district counters when the counted district or colour changed. */
  private enqueueCount(color: ColorState["color"], at: string): void {
    const meta = this.store.meta();
    const item = meta && countItemFor(this.ctx.storage.sql, meta, color, at);
    if (item) this.store.enqueue([item]);
  }

  /** Inside a transaction: the first state of a new person, its history entry and its outbox. */
  private writeFirst(meta: PersonMeta, first: ColorState, entry: HistoryEntry): void {
    this.store.saveState(first);
    this.store.appendHistory(entry);
    this.store.enqueue([...outboxItemsFor(meta, first, null), logItemFor(meta, entry, this.store.facts())]);
    this.enqueueCount(first.color, entry.at);
  }

  async summary(): Promise<ColorSummary | null> {
    const s = this.store.state();
    return s ? summary(s) : null;
  }

  async status(): Promise<PersonStatus | null> {
    const state = this.store.state();
    if (!state) return null;
    // The authority's reason for an event, and the venue and time of a risk-area visit, are shown to
    // the person beside the rule they fired.
    const reasons = explainReasons(state.reasons, [
      ...this.store.facts("authority_event"),
      ...this.store.facts("exposure"),
      ...this.store.facts("imported_color"),
    ]);
    return { state: { ...state, reasons }, history: this.store.history(), notices: this.store.notices() };
  }

  /** Records a notice in the person's history and tells their accounts through the outbox. */
  async addNotice(notice: Notice): Promise<void> {
    const meta = this.store.meta();
    this.transaction(() => {
      this.store.addNotice(notice);
      if (meta) this.store.enqueue([{ kind: "notice", personId: meta.personId, notice }]);
    });
    await this.scheduleAlarm();
  }

  async facts(kind?: Fact["kind"]): Promise<Fact[]> {
    return this.store.facts(kind);
  }

  /** Adds facts (ids already known are ignored) and re-evaluates. Safe to call again with the same facts. */
  async addFacts(facts: Fact[]): Promise<AddFactsResult> {
    const at = new Date().toISOString();
    const result = this.transaction(() => {
      const added = this.store.insertFacts(facts, at);
      const before = this.store.state();
      if (!before || added.length === 0) return { added: added.length, changed: false, state: before };
      if (this.unchangedBy(added, before, at)) {
        // The stored state is now known to be the evaluation at `at` of all facts, added ones included.
        this.evaluatedAt = at;
        return { added: added.length, changed: false, state: before };
      }
      const after = this.reevaluate(at, { kind: "fact", factIds: added });
      return {
        added: added.length,
        changed: after !== null && after.version !== before.version,
        state: after ?? before,
      };
    });
    await this.scheduleAlarm();
    // A person who has not applied yet keeps the facts; init() evaluates them.
    return { ...result, state: result.state ?? initialState(at) };
  }

  /** Re-evaluates against a newly published rule set; the history then names that version. */
  async useRuleSet(ruleSet: RuleSet): Promise<ColorSummary | null> {
    const at = new Date().toISOString();
    const state = this.transaction(() => {
      this.evaluatedAt = null;
      this.store.setRuleSet(ruleSet);
      return this.store.state() ? this.reevaluate(at, { kind: "rule_set" }) : null;
    });
    await this.scheduleAlarm();
    return state ? summary(state) : null;
  }

  /**
   * Read-only, for a rule-set preview: the colour now and under `proposed`, from the facts held at
   * this moment, at this moment's time. Nothing is stored; null for a person without a colour yet.
   */
  async previewRuleSet(proposed: RuleSet): Promise<RuleSetComparison | null> {
    if (!this.store.state()) return null;
    const current = this.store.ruleSet() ?? DEFAULT_RULE_SET;
    return compareRuleSets(this.store.facts(), new Date().toISOString(), current, proposed);
  }

  /** Time-based transitions and outbox retries. */
  override async alarm(): Promise<void> {
    this.alarmKnown = undefined;
    const state = this.store.state();
    if (state?.reviewAt) {
      const reviewMs = Date.parse(state.reviewAt);
      // An alarm set for this very review may cross it even if it fires a little early (or on demand
      // in tests): it evaluates at the review time. An alarm set for an outbox flush must not, or a
      // close contact would turn green the moment its own snapshot is flushed.
      const setForThisReview = (await this.ctx.storage.get<number>(REVIEW_ALARM_KEY)) === reviewMs;
      if (setForThisReview || reviewMs <= Date.now()) {
        const at = new Date(Math.max(Date.now(), reviewMs)).toISOString();
        this.transaction(() => this.reevaluate(at, { kind: "time" }));
      }
    }
    this.transaction(() => this.checkins.expire(Date.now()));
    await this.flush();
    await this.scheduleAlarm();
    // Nothing was due and no call set one meanwhile: once this handler returns, no alarm is set.
    if (this.alarmKnown === undefined) this.alarmKnown = null;
  }

  /** Evaluates all facts at `at`; persists the new state, history and outbox. Call inside a transaction. */
  private reevaluate(at: string, cause: HistoryEntry["cause"]): ColorState | null {
    const prev = this.store.state();
    const meta = this.store.meta();
    if (!prev || !meta) return null;
    const facts = this.store.facts();
    // Fact ids are the table's primary key: no duplicates to resolve.
    const evaluation = evaluate(facts, at, this.store.ruleSet() ?? DEFAULT_RULE_SET, { uniqueIds: true });
    const { state, change } = applyEvaluation(prev, evaluation, at, cause);
    this.store.saveState(state);
    this.evaluatedAt = at;
    if (change) {
      this.store.appendHistory(explainChange(change, prev, facts));
      this.store.enqueue([...outboxItemsFor(meta, state, change), logItemFor(meta, change, facts)]);
      this.enqueueCount(state.color, change.at);
    }
    return state;
  }

  /**
   * True when evaluating now would give exactly the stored state, so re-evaluating can be skipped:
   * the state is this instance's evaluation, at `evaluatedAt`, of the facts before `added` under the
   * current rule set; `at` lies in [evaluatedAt, reviewAt), where that evaluation cannot change by
   * time alone (the engine's `reviewAt` contract); and no added fact can reach the engine's result (`cannotChange`: e.g. a vaccination,
   * or a negative test while no rule it could lift has fired). A skipped evaluation would have
   * written the same state and no history.
   */
  private unchangedBy(added: readonly string[], state: ColorState, at: string): boolean {
    if (this.evaluatedAt === null || at < this.evaluatedAt) return false;
    if (state.reviewAt !== null && Date.parse(at) >= Date.parse(state.reviewAt)) return false;
    const facts = this.store.facts();
    const ids = new Set(added);
    const ruleSet = this.store.ruleSet() ?? DEFAULT_RULE_SET;
    if (ruleSet.version !== state.ruleSetVersion) return false;
    return facts.every((f) => !ids.has(f.id) || cannotChange(f, facts, at, ruleSet));
  }

  /** A storage transaction; if it throws, what this instance remembers about the state is dropped. */
  private transaction<T>(fn: () => T): T {
    try {
      return this.store.transaction(fn);
    } catch (err) {
      this.evaluatedAt = null;
      this.counted = false;
      this.checkins.forget();
      this.managers.forget();
      throw err;
    }
  }

  private async flush(): Promise<void> {
    const items = this.store.outbox();
    if (items.length === 0) return;
    const [done, log, counted] = await Promise.all([
      flushOutbox(this.env, items),
      deliverLogItems(this.env, items),
      deliverCountItems(this.env, items),
    ]);
    this.transaction(() => {
      for (const l of log.logged) this.store.setHistoryLog(l.version, l.log);
      this.store.dequeue([...done, ...log.done, ...counted]);
    });
  }

  /**
   * One alarm serves the next review, an outbox retry and the oldest check-in's expiry: set for the
   * earliest, unless one is set earlier. `visitExpiry`: a visit just recorded expires then; when no
   * alarm is known to be set (`alarmKnown` null), it is the only check-in that can be due, so neither
   * the oldest check-in nor the current alarm is read (a woken person's first check-in of the day).
   */
  private async scheduleAlarm(visitExpiry?: number): Promise<void> {
    const clear = this.alarmKnown === null;
    const reviewAt = this.store.state()?.reviewAt;
    const pending = this.store.outbox().length > 0;
    const candidates = [
      reviewAt ? Date.parse(reviewAt) : Number.POSITIVE_INFINITY,
      pending ? Date.now() + (this.store.hasFailedOutbox() ? OUTBOX_RETRY_MS : 0) : Number.POSITIVE_INFINITY,
      (clear && visitExpiry !== undefined ? visitExpiry : this.checkins.nextExpiry()) ??
        Number.POSITIVE_INFINITY,
    ];
    const next = Math.min(...candidates);
    if (!Number.isFinite(next)) return;
    // Unknown while this call awaits: a concurrent one reads the alarm rather than assume it clear.
    this.alarmKnown = undefined;
    const current = clear ? null : await this.ctx.storage.getAlarm();
    if (current === null || current > next) {
      await this.ctx.storage.put(REVIEW_ALARM_KEY, reviewAt && next === Date.parse(reviewAt) ? next : null);
      await this.ctx.storage.setAlarm(next);
    }
    this.alarmKnown = current === null || current > next ? next : current;
  }
}

function summary(s: ColorState): ColorSummary {
  return { color: s.color, version: s.version, since: s.since, reviewAt: s.reviewAt };
}

// Kept importable from here for callers that name the object's types with the object.
export type { AddFactsResult, ColorSummary, Notice, PersonMeta, PersonStatus } from "./person-types";
export type { OutboxItem };
