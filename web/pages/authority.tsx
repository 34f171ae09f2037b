import { type Lang, t } from "../i18n";
import { type Boot, Field, IdTypeSelect, Layout, SignIn, text } from "./layout";

const TABS = [
  ["stats", "auth.nav.stats"],
  ["risk", "auth.nav.risk"],
  ["events", "auth.nav.events"],
  ["labs", "auth.nav.labs"],
  ["rules", "auth.nav.rules"],
  ["appeals", "auth.nav.appeals"],
  ["imports", "auth.nav.imports"],
  ["venues", "auth.nav.venues"],
] as const;
const EVENT_KINDS = ["confirmed", "close_contact", "secondary_contact", "released"] as const;

/** The health authority's console. Every action is an API call the server audits. */
export function AuthorityPage({ lang, boot, large }: { lang: Lang; boot: Boot; large: boolean }) {
  const T = text(lang);
  return (
    <Layout lang={lang} title="app.authority" boot={boot} large={large}>
      <SignIn lang={lang} boot={boot} account="dev-authority" />
      <div id="app" hidden>
        <nav class="tabs" aria-label={t(lang, "app.authority")}>
          {TABS.map(([id, k]) => (
            <a href={`#${id}`} data-view={id}>
              {T(k)}
            </a>
          ))}
        </nav>
        <p id="role-warning" class="error" role="alert" hidden>
          {T("authority.need")}
        </p>

        <section id="v-stats" class="view" aria-labelledby="stats-h" hidden>
          <h2 id="stats-h">{T("auth.nav.stats")}</h2>
          <button type="button" class="btn small" id="stats-refresh">
            {T("stats.refresh")}
          </button>
          <p id="stats-total" />
          <h3>{T("stats.byDistrict")}</h3>
          <div id="chart-district" class="chart" />
          <h3>
            {T("stats.overTime")} <small id="stats-sampled" />
          </h3>
          <div id="chart-time" class="chart" />
        </section>

        <section id="v-risk" class="view" aria-labelledby="risk-h" hidden>
          <h2 id="risk-h">{T("auth.nav.risk")}</h2>
          <form id="risk-form" class="stack">
            <Field id="risk-level" label={T("risk.level")}>
              <select id="risk-level" name="level">
                <option value="high" data-t="risk.high">
                  {t(lang, "risk.high")}
                </option>
                <option value="medium" data-t="risk.medium">
                  {t(lang, "risk.medium")}
                </option>
              </select>
            </Field>
            <Field id="risk-district" label={T("risk.district")}>
              <input id="risk-district" name="districtCode" inputmode="numeric" pattern="[0-9]{6}" />
            </Field>
            <Field id="risk-venues" label={T("risk.venues")}>
              <input id="risk-venues" name="venueIds" autocomplete="off" />
            </Field>
            <Field id="risk-from" label={T("risk.from")}>
              <input id="risk-from" name="from" type="datetime-local" required />
            </Field>
            <Field id="risk-to" label={T("risk.to")}>
              <input id="risk-to" name="to" type="datetime-local" required />
            </Field>
            <Field id="risk-reason" label={T("risk.reason")}>
              <input id="risk-reason" name="reason" required />
            </Field>
            <label class="check">
              <input id="risk-exclude" name="excludeUnconfirmed" type="checkbox" value="true" />{" "}
              {T("risk.exclude")}
            </label>
            <button type="submit" class="btn">
              {T("risk.dryrun")}
            </button>
          </form>
          <div id="risk-result" role="status" aria-live="polite" hidden>
            <p id="risk-affected" class="big-number" />
            <p id="risk-unconfirmed" />
            <button type="button" class="btn primary" id="risk-confirm">
              {T("risk.confirm")}
            </button>
          </div>
          <p id="risk-done" role="status" />
          <h3>{T("risk.list")}</h3>
          <ul id="risk-list" class="list" />
        </section>

        <section id="v-events" class="view" aria-labelledby="events-h" hidden>
          <h2 id="events-h">{T("auth.nav.events")}</h2>
          <form id="event-form" class="stack">
            <Field id="event-idType" label={T("apply.idType")}>
              <IdTypeSelect lang={lang} id="event-idType" />
            </Field>
            <Field id="event-idNumber" label={T("apply.idNumber")}>
              <input id="event-idNumber" name="idNumber" required autocomplete="off" />
            </Field>
            <Field id="event-nationality" label={T("apply.nationality")}>
              <input id="event-nationality" name="nationality" maxlength={3} autocomplete="off" />
            </Field>
            <Field id="event-kind" label={T("event.kind")}>
              <select id="event-kind" name="kind">
                {EVENT_KINDS.map((k) => (
                  <option value={k} data-t={`event.${k}`}>
                    {t(lang, `event.${k}`)}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="event-occurredAt" label={T("event.occurredAt")}>
              <input id="event-occurredAt" name="occurredAt" type="datetime-local" required />
            </Field>
            <Field id="event-reason" label={T("risk.reason")}>
              <input id="event-reason" name="reason" required maxlength={500} />
            </Field>
            <button type="submit" class="btn primary">
              {T("event.button")}
            </button>
          </form>
          <p id="event-result" role="status" />
        </section>

        <section id="v-labs" class="view" aria-labelledby="labs-h" hidden>
          <h2 id="labs-h">{T("auth.nav.labs")}</h2>
          <form id="lab-form" class="stack">
            <Field id="lab-name" label={T("labs.name")}>
              <input id="lab-name" name="name" required maxlength={128} />
            </Field>
            <button type="submit" class="btn primary">
              {T("labs.create")}
            </button>
          </form>
          <p id="lab-key" class="secret" role="status" />
          <ul id="lab-list" class="list" />
        </section>

        <section id="v-rules" class="view" aria-labelledby="rules-h" hidden>
          <h2 id="rules-h">{T("auth.nav.rules")}</h2>
          <ul id="rule-list" class="list" />
          <form id="rule-form" class="stack">
            <Field id="rule-json" label={T("rules.publish")}>
              <textarea id="rule-json" name="json" rows={6} spellcheck={false} />
            </Field>
            <button type="submit" class="btn">
              {T("rules.preview")}
            </button>
          </form>
          {/* A new version is published only from a finished preview of it (web/static/lib/rule-preview.ts). */}
          <div id="rule-preview" hidden>
            <p id="preview-progress" role="status" aria-live="polite" />
            <progress id="preview-bar" max={1} value={0} />
            <p id="preview-changed" class="big-number" />
            <h3>{T("rules.matrix")}</h3>
            <div id="preview-matrix" class="table-wrap" />
            <h3>{T("rules.districts")}</h3>
            <div id="preview-districts" class="table-wrap" />
            <h3>{T("rules.samples")}</h3>
            <div id="preview-samples" class="table-wrap" />
            <button type="button" class="btn primary" id="rule-publish" disabled>
              {T("submit")}
            </button>
          </div>
          <p id="rule-result" role="status" />
        </section>

        <section id="v-appeals" class="view" aria-labelledby="appeals-h" hidden>
          <h2 id="appeals-h">{T("auth.nav.appeals")}</h2>
          <ul id="appeal-list" class="list" />
        </section>

        <section id="v-venues" class="view" aria-labelledby="venues-h" hidden>
          <h2 id="venues-h">{T("auth.nav.venues")}</h2>
          <p class="note">{T("venues.note")}</p>
          <h3>{T("venues.unverified")}</h3>
          <ul id="venue-list" class="list" />
          <p id="venue-result" role="status" />
        </section>

        <section id="v-imports" class="view" aria-labelledby="imports-h" hidden>
          <h2 id="imports-h">{T("auth.nav.imports")}</h2>
          <form id="import-form" class="stack">
            <Field id="import-body" label={T("imports.body")}>
              <textarea id="import-body" name="body" rows={8} spellcheck={false} required />
            </Field>
            <button type="submit" class="btn primary">
              {T("imports.button")}
            </button>
          </form>
          <pre id="import-result" role="status" />
        </section>
      </div>
    </Layout>
  );
}
