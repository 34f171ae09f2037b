import { VENUE_CATEGORIES } from "../../schema/d1/venues";
import { type Key, type Lang, t } from "../i18n";
import { type Boot, Field, IdTypeSelect, Layout, SignIn, text } from "./layout";

const CATEGORY: Record<(typeof VENUE_CATEGORIES)[number], [string, string]> = {
  school: ["学校", "School"],
  hospital: ["医院", "Hospital"],
  market: ["市场", "Market"],
  station: ["车站", "Station"],
  airport: ["机场", "Airport"],
  care_home: ["养老机构", "Care home"],
  office: ["办公场所", "Office"],
  other: ["其他", "Other"],
};
const TABS = [
  ["scan", "venue.nav.scan"],
  ["lookup", "venue.nav.lookup"],
  ["manual", "venue.nav.manual"],
  ["venues", "venue.nav.venues"],
  ["register", "venue.nav.register"],
] as const;

/** The venue app. Scanning needs only the device key kept on the device; registering and managing
 *  venues needs the owner's sign-in. */
export function VenuePage({ lang, boot, large }: { lang: Lang; boot: Boot; large: boolean }) {
  const T = text(lang);
  return (
    <Layout lang={lang} title="app.venue" boot={boot} large={large}>
      <nav class="tabs" aria-label={t(lang, "app.venue")}>
        {TABS.map(([id, k]) => (
          <a href={`#${id}`} data-view={id}>
            {T(k)}
          </a>
        ))}
      </nav>

      <section id="v-scan" class="view" aria-labelledby="scan-h" hidden>
        <h2 id="scan-h" class="sr-only">
          {T("venue.nav.scan")}
        </h2>
        <p id="key-state" class="note" />
        <div id="scan-answer" class="answer big" role="status" aria-live="assertive" hidden />
        <button type="button" class="btn" id="scan-camera">
          {T("scan.camera")}
        </button>
        <video id="scan-video" class="scanner" playsinline muted hidden aria-label={t(lang, "scan.camera")} />
        <form id="scan-form" class="stack">
          <Field id="scan-token" label={T("scan.code")}>
            <textarea id="scan-token" name="token" rows={3} required autocomplete="off" spellcheck={false} />
          </Field>
          <button type="submit" class="btn primary">
            {T("scan.check")}
          </button>
        </form>
        <fieldset class="offline">
          <legend>{T("scan.offline")}</legend>
          <label>
            <input type="checkbox" id="offline" disabled /> {T("scan.offline")}
          </label>
          <p id="offline-state" class="note">
            {T("scan.offline.off")}
          </p>
        </fieldset>
      </section>

      <section id="v-lookup" class="view" aria-labelledby="lookup-h" hidden>
        <h2 id="lookup-h">{T("lookup.title")}</h2>
        <p class="note">{T("lookup.note")}</p>
        <form id="lookup-form" class="stack">
          <Field id="lookup-idType" label={T("apply.idType")}>
            <IdTypeSelect lang={lang} id="lookup-idType" />
          </Field>
          <Field id="lookup-idNumber" label={T("apply.idNumber")}>
            <input id="lookup-idNumber" name="idNumber" required autocomplete="off" />
          </Field>
          <Field id="lookup-nationality" label={T("apply.nationality")}>
            <input id="lookup-nationality" name="nationality" maxlength={3} autocomplete="off" />
          </Field>
          <Field id="lookup-name" label={T("apply.name")}>
            <input id="lookup-name" name="name" required autocomplete="off" />
          </Field>
          <button type="submit" class="btn primary">
            {T("lookup.button")}
          </button>
        </form>
        <div id="lookup-answer" class="answer big" role="status" aria-live="assertive" hidden />
      </section>

      <section id="v-manual" class="view" aria-labelledby="manual-h" hidden>
        <h2 id="manual-h">{T("manual.title")}</h2>
        <form id="manual-form" class="stack">
          <Field id="manual-name" label={T("apply.name")}>
            <input id="manual-name" name="name" required autocomplete="off" />
          </Field>
          <Field id="manual-phone" label={T("apply.phone")}>
            <input id="manual-phone" name="phone" type="tel" required autocomplete="off" />
          </Field>
          <Field id="manual-idType" label={T("apply.idType")}>
            <IdTypeSelect lang={lang} id="manual-idType" optional />
          </Field>
          <Field id="manual-idNumber" label={T("apply.idNumber")}>
            <input id="manual-idNumber" name="idNumber" autocomplete="off" />
          </Field>
          <Field id="manual-nationality" label={T("apply.nationality")}>
            <input id="manual-nationality" name="nationality" maxlength={3} autocomplete="off" />
          </Field>
          <button type="submit" class="btn primary">
            {T("manual.button")}
          </button>
        </form>
        <p id="manual-result" role="status" />
      </section>

      <section id="v-venues" class="view" aria-labelledby="venues-h" hidden>
        <h2 id="venues-h">{T("venue.nav.venues")}</h2>
        <SignIn lang={lang} boot={boot} />
        <div id="venues" />
        <h3>{T("venue.keys.use")}</h3>
        <form id="key-form" class="stack">
          <Field id="device-key" label={T("venue.keys.use")}>
            <input id="device-key" name="deviceKey" type="password" autocomplete="off" required />
          </Field>
          <button type="submit" class="btn">
            {T("venue.keys.save")}
          </button>
        </form>
      </section>

      <section id="v-register" class="view" aria-labelledby="register-h" hidden>
        <h2 id="register-h">{T("venue.nav.register")}</h2>
        <form id="register-form" class="stack">
          <Field id="venue-name" label={T("venue.name")}>
            <input id="venue-name" name="name" required maxlength={128} />
          </Field>
          <Field id="venue-category" label={T("venue.category")}>
            <select id="venue-category" name="category" required>
              {VENUE_CATEGORIES.map((c) => (
                <option value={c}>{CATEGORY[c].join(" · ")}</option>
              ))}
            </select>
          </Field>
          <Field id="venue-address" label={T("venue.address")}>
            <input id="venue-address" name="address" required />
          </Field>
          <Field id="venue-district" label={T("venue.district")}>
            <input id="venue-district" name="districtCode" required inputmode="numeric" pattern="[0-9]{6}" />
          </Field>
          <Field id="venue-lat" label={T("venue.lat")}>
            <input id="venue-lat" name="lat" inputmode="decimal" />
          </Field>
          <Field id="venue-lon" label={T("venue.lon")}>
            <input id="venue-lon" name="lon" inputmode="decimal" />
          </Field>
          <button type="submit" class="btn primary">
            {T("venue.register")}
          </button>
          <p id="register-result" role="status" />
        </form>
      </section>

      <dialog id="screen-code" aria-labelledby="screen-h">
        <h2 id="screen-h">{T("venue.screen")}</h2>
        <img id="screen-qr" alt={t(lang, "venue.screen")} width="320" height="320" />
        <p id="screen-expiry" />
        <button type="button" class="btn" id="screen-close">
          {T("close")}
        </button>
      </dialog>
    </Layout>
  );
}

export type { Key };
