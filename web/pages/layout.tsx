import type { Child } from "hono/jsx";
import { ID_TYPES } from "../../schema/vocabulary";
import { HTML_LANG, type Key, type Lang, t } from "../i18n";

/** Server-rendered text that the client can switch language in place (data-t names the string). */
export function text(lang: Lang) {
  return (k: Key) => <span data-t={k}>{t(lang, k)}</span>;
}

export interface Boot {
  page: "person" | "venue" | "authority";
  devMode: boolean;
  providers: { label: string; authorizationEndpoint: string; clientId: string; scope: string }[];
  placeCode?: string;
  venue?: { name: string; address: string };
}

export function Layout(props: { lang: Lang; title: Key; boot: Boot; large: boolean; children: Child }) {
  const { lang, boot } = props;
  const T = text(lang);
  return (
    <html lang={HTML_LANG[lang]} class={props.large ? "large" : undefined}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#0a6b3a" />
        <title>{t(lang, props.title)}</title>
        <link rel="stylesheet" href="/static/app.css" />
        <link rel="manifest" href="/manifest.webmanifest" />
        <link rel="icon" href="/icon.svg" type="image/svg+xml" />
        <script type="module" src={`/static/${boot.page}.js`} />
      </head>
      <body>
        <header class="bar">
          <h1 class="brand">{T(props.title)}</h1>
          <div class="tools">
            <button
              type="button"
              id="lang"
              aria-label={t(lang, "lang.switch.label")}
              data-t-aria="lang.switch.label"
            >
              {T("lang.switch")}
            </button>
            <button
              type="button"
              id="large"
              aria-pressed={props.large ? "true" : "false"}
              aria-label={t(lang, "large.label")}
              data-t-aria="large.label"
            >
              {T("large.on")}
            </button>
          </div>
        </header>
        <main id="main">{props.children}</main>
        <p id="toast" role="status" aria-live="polite" class="toast" hidden />
        {/* Data for the client script; type=application/json never executes, so the CSP stays script-src 'self'. */}
        <script
          type="application/json"
          id="boot"
          dangerouslySetInnerHTML={{ __html: JSON.stringify(boot).replace(/</g, "\\u003c") }}
        />
      </body>
    </html>
  );
}

/** Each app's sign-in speaks to that app's user: a resident, a venue's staff, the authority's staff. */
const SIGNIN_INTRO: Record<Boot["page"], Key> = {
  person: "signin.intro",
  venue: "signin.intro.venue",
  authority: "signin.intro.authority",
};

/** The sign-in panel shared by the three apps: the development provider in development mode, and a
 *  button for every configured real provider (ID_PROVIDERS entries with a `signIn` block). */
export function SignIn({ lang, boot, account }: { lang: Lang; boot: Boot; account?: string }) {
  const T = text(lang);
  return (
    <section id="signin" class="card" hidden aria-labelledby="signin-h">
      <h2 id="signin-h">{T("signin.title")}</h2>
      <p>{T(SIGNIN_INTRO[boot.page])}</p>
      {boot.providers.length > 0 && (
        <div class="providers">
          <p>{T("signin.with")}</p>
          {boot.providers.map((p, i) => (
            <button type="button" class="btn" data-provider={String(i)}>
              {p.label}
            </button>
          ))}
        </div>
      )}
      {boot.devMode ? (
        <form id="dev-signin" class="stack">
          <p class="note">{T("signin.dev.note")}</p>
          <label for="dev-sub">{T("signin.account")}</label>
          <input id="dev-sub" name="sub" autocomplete="username" required value={account ?? ""} />
          <button class="btn primary" type="submit">
            {T("signin.dev")}
          </button>
        </form>
      ) : (
        boot.providers.length === 0 && <p class="note">{T("signin.none")}</p>
      )}
    </section>
  );
}

/** Label + control pairs; every control has a visible label tied by `for`. */
export function Field(props: { id: string; label: Child; children: Child }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
    </div>
  );
}

export function IdTypeSelect({ lang, id, optional }: { lang: Lang; id: string; optional?: boolean }) {
  return (
    <select id={id} name="idType" required={!optional}>
      {optional && <option value="" />}
      {ID_TYPES.map((v) => (
        <option value={v} data-t={`idType.${v}`}>
          {t(lang, `idType.${v}` as Key)}
        </option>
      ))}
    </select>
  );
}
