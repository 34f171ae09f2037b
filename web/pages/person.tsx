import { type Key, type Lang, t } from "../i18n";
import { type Boot, Field, IdTypeSelect, Layout, SignIn, text } from "./layout";

const RELATIONSHIPS = ["self", "parent", "child", "spouse", "other"] as const;
const TABS = [
  ["code", "nav.code"],
  ["status", "nav.status"],
  ["records", "nav.records"],
  ["checkin", "nav.checkin"],
  ["managers", "nav.managers"],
  ["settings", "nav.settings"],
] as const;

/** The person app: one page, views switched by the URL hash so the back button works. */
export function PersonPage({ lang, boot, large }: { lang: Lang; boot: Boot; large: boolean }) {
  const T = text(lang);
  return (
    <Layout lang={lang} title="app.person" boot={boot} large={large}>
      <SignIn lang={lang} boot={boot} />
      <div id="app" hidden>
        <div class="family">
          <label for="who">{T("family.label")}</label>
          <select id="who" />
          <a class="btn small" href="#apply" id="add-relative">
            {T("family.add")}
          </a>
        </div>
        <nav class="tabs" aria-label={t(lang, "app.person")}>
          {TABS.map(([id, k]) => (
            <a href={`#${id}`} data-view={id}>
              {T(k)}
            </a>
          ))}
        </nav>

        <section id="v-code" class="view" aria-labelledby="code-h" hidden>
          <h2 id="code-h" class="sr-only">
            {T("nav.code")}
          </h2>
          <div id="code-card" class="code-card" data-color="">
            <p id="code-name" class="masked-name" />
            <div class="qr">
              <img
                id="qr"
                alt={t(lang, "code.qr.alt")}
                data-t-alt="code.qr.alt"
                width="280"
                height="280"
                hidden
              />
            </div>
            <p id="code-words" class="color-words" />
            <p class="clock">
              <span class="sr-only">{T("code.clock")}</span> <time id="clock" />
            </p>
            <p class="countdown" aria-live="off">
              <strong id="countdown" /> {T("code.expires")}
            </p>
            <div class="bar-wrap" aria-hidden="true">
              <div id="countdown-bar" class="countdown-bar" />
            </div>
          </div>
          <button type="button" class="btn" id="refresh">
            {T("code.refresh")}
          </button>
        </section>

        <section id="v-status" class="view" aria-labelledby="status-h" hidden>
          <h2 id="status-h">{T("nav.status")}</h2>
          <p id="status-color" class="color-words" />
          <p id="status-since" />
          <h3>{T("status.why")}</h3>
          <ul id="status-reasons" />
          <h3>{T("status.lift")}</h3>
          <ul id="status-lift" />
          <h3>{T("status.history")}</h3>
          <ol id="status-history" class="history" />
        </section>

        <section id="v-records" class="view" aria-labelledby="records-h" hidden>
          <h2 id="records-h" class="sr-only">
            {T("nav.records")}
          </h2>
          <h3>{T("records.results")}</h3>
          <ul id="results" class="list" />
          <h3>{T("records.vaccinations")}</h3>
          <ul id="vaccinations" class="list" />
          <h3>{T("records.checkins")}</h3>
          <ul id="checkins" class="list" />
        </section>

        <section id="v-checkin" class="view" aria-labelledby="checkin-h" hidden>
          <h2 id="checkin-h">{T("checkin.title")}</h2>
          {boot.venue && (
            <p class="venue-banner">
              {T("checkin.venue")} <strong>{boot.venue.name}</strong>
              <br />
              <small>{boot.venue.address}</small>
            </p>
          )}
          <button type="button" class="btn" id="scan-place">
            {T("checkin.scan")}
          </button>
          <video
            id="place-video"
            class="scanner"
            playsinline
            muted
            hidden
            aria-label={t(lang, "checkin.scan")}
          />
          <form id="checkin-form" class="stack">
            <Field id="place-code" label={T("checkin.code")}>
              <input
                id="place-code"
                name="placeCode"
                required
                autocomplete="off"
                value={boot.placeCode ?? ""}
              />
            </Field>
            <Field id="checkin-who" label={T("checkin.who")}>
              <select id="checkin-who" name="personId" required />
            </Field>
            <button type="submit" class="btn primary">
              {T("checkin.button")}
            </button>
          </form>
          <div id="checkin-result" class="answer" role="status" aria-live="polite" hidden />
        </section>

        <section id="v-apply" class="view" aria-labelledby="apply-h" hidden>
          <h2 id="apply-h">{T("apply.title")}</h2>
          <form id="apply-form" class="stack">
            <Field id="apply-relationship" label={T("apply.relationship")}>
              <select id="apply-relationship" name="relationship" required>
                {RELATIONSHIPS.map((r) => (
                  <option value={r} data-t={`rel.${r}`}>
                    {t(lang, `rel.${r}` as Key)}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="apply-name" label={T("apply.name")}>
              <input id="apply-name" name="name" required autocomplete="name" maxlength={64} />
            </Field>
            <Field id="apply-idType" label={T("apply.idType")}>
              <IdTypeSelect lang={lang} id="apply-idType" />
            </Field>
            <Field id="apply-idNumber" label={T("apply.idNumber")}>
              <input id="apply-idNumber" name="idNumber" required autocomplete="off" maxlength={32} />
            </Field>
            <Field id="apply-nationality" label={T("apply.nationality")}>
              <input id="apply-nationality" name="nationality" maxlength={3} autocomplete="country" />
            </Field>
            <Field id="apply-phone" label={T("apply.phone")}>
              <input id="apply-phone" name="phone" type="tel" required autocomplete="tel" />
            </Field>
            <p class="note">{T("apply.privacy")}</p>
            <button type="submit" class="btn primary">
              {T("apply.button")}
            </button>
            <p id="apply-error" class="error" role="alert" />
          </form>
        </section>

        <section id="v-managers" class="view" aria-labelledby="managers-h" hidden>
          <h2 id="managers-h">{T("managers.title")}</h2>
          <p class="note">{T("managers.intro")}</p>
          <p id="managers-note" class="note" hidden>
            {T("managers.notself")}
          </p>
          <h3>{T("managers.pending")}</h3>
          <ul id="manager-requests" class="list" />
          <h3>{T("managers.active")}</h3>
          <ul id="manager-list" class="list" />
        </section>

        <section id="v-settings" class="view" aria-labelledby="settings-h" hidden>
          <h2 id="settings-h">{T("settings.title")}</h2>
          <h3>{T("notify.title")}</h3>
          <button type="button" class="btn" id="notify">
            {T("notify.button")}
          </button>
          <p id="notify-status" role="status" />
          <button type="button" class="btn" id="signout">
            {T("signout")}
          </button>
        </section>
      </div>
    </Layout>
  );
}
