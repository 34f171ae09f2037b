import { DurableObject } from "cloudflare:workers";
import { activeRuleSet } from "../workers/authority/rule-sets-repo";
import { explainChange, explainReasons } from "./explain";
import { deliverLogItems, logItemFor } from "./log-items";
import { flushOutbox, type OutboxItem, outboxItemsFor } from "./outbox";
import { pendingFacts } from "./pending-facts";
import { PersonStore } from "./person-store";
import { DEFAULT_RULE_SET } from "./rules/default-rule-set";
import { cannotChange, evaluate } from "./rules/engine";
import type { Fact } from "./rules/facts";
import type { RuleSet } from "./rules/rule-set";
import { applyEvaluation, type ColorState, type HistoryEntry, initialState } from "./rules/transition";

export interface PersonMeta {
  personId: string;
  districtCode: string | null;
}

/** What verification needs: the colour now and the version a code must carry to be current. */
export interface ColorSummary {
  color: ColorState["color"];
  version: number;
  since: string;
  reviewAt: string | null;
}

/** Something the person should know that is not a colour change (e.g. a relative added their code). */
export interface Notice {
  kind: "manager_added";
  at: string;
  relationship: string;
  text: { zh: string; en: string };
}

export interface PersonStatus {
  state: ColorState;
  history: HistoryEntry[];
  notices: Notice[];
}

export interface AddFactsResult {
  added: number;
  changed: boolean;
  state: ColorState;
}

const OUTBOX_RETRY_MS = 5_000;
/** The review time the pending alarm was set for (null when it was set for an outbox flush). */
const REVIEW_ALARM_KEY = "reviewAlarmAt";

/**
 * One object per person: the only writer of that person's colour. Every method reads and writes
 * storage synchronously inside one transaction, so concurrent calls never interleave between the
 * read of the facts and the write of the new state; D1 and queue writes leave through the outbox.
 */
export class PersonObject extends DurableObject<Env> {
  private readonly store: PersonStore;
  /**
   * When the stored state was last evaluated over the stored facts and rule set, by this instance
   * (null: not known here). Until the state's `reviewAt`, evaluating again later gives the same
   * result (the engine's contract), which lets `addFacts` skip facts that cannot change it.
   */
  private evaluatedAt: string | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new PersonStore(ctx.storage);
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
      this.writeFirst(meta, first, {
        version: first.version,
        from: null,
        to: first.color,
        at,
        cause: { kind: "init", factIds: all.map((f) => f.id) },
        rules: deciding.map((r) => ({ rule: r.rule, ruleVersion: r.ruleVersion })),
        ruleSetVersion: ev.ruleSetVersion,
        reasons: ev.reasons,
      });
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
    return added.length > 0 ? (this.reevaluate(at, { kind: "fact", factIds: added }) ?? existing) : existing;
  }

  /** Inside a transaction: the first state of a new person, its history entry and its outbox. */
  private writeFirst(meta: PersonMeta, first: ColorState, entry: HistoryEntry): void {
    this.store.saveState(first);
    this.store.appendHistory(entry);
    this.store.enqueue([...outboxItemsFor(meta, first, null), logItemFor(meta, entry, this.store.facts())]);
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

  /** Time-based transitions and outbox retries. */
  override async alarm(): Promise<void> {
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
    await this.flush();
    await this.scheduleAlarm();
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
      throw err;
    }
  }

  private async flush(): Promise<void> {
    const items = this.store.outbox();
    if (items.length === 0) return;
    const [done, log] = await Promise.all([flushOutbox(this.env, items), deliverLogItems(this.env, items)]);
    this.transaction(() => {
      for (const l of log.logged) this.store.setHistoryLog(l.version, l.log);
      this.store.dequeue([...done, ...log.done]);
    });
  }

  /** One alarm serves both the next review and pending outbox items. */
  private async scheduleAlarm(): Promise<void> {
    const reviewAt = this.store.state()?.reviewAt;
    const pending = this.store.outbox().length > 0;
    const candidates = [
      reviewAt ? Date.parse(reviewAt) : Number.POSITIVE_INFINITY,
      pending ? Date.now() + (this.store.hasFailedOutbox() ? OUTBOX_RETRY_MS : 0) : Number.POSITIVE_INFINITY,
    ];
    const next = Math.min(...candidates);
    if (!Number.isFinite(next)) return;
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > next) {
      await this.ctx.storage.put(REVIEW_ALARM_KEY, reviewAt && next === Date.parse(reviewAt) ? next : null);
      await this.ctx.storage.setAlarm(next);
    }
  }
}

function summary(s: ColorState): ColorSummary {
  return { color: s.color, version: s.version, since: s.since, reviewAt: s.reviewAt };
}

export type { OutboxItem };
