import { HTML_LANG, type Key, type Lang, pickLang, t as translate } from "../../i18n";
import { $ } from "./dom";

let lang: Lang = document.documentElement.lang.startsWith("zh") ? "zh" : "en";
const listeners: (() => void)[] = [];

export const t = (k: Key): string => translate(lang, k);
export const currentLang = (): Lang => lang;
export const onLangChange = (f: () => void) => listeners.push(f);

function remember(name: string, value: string) {
  // A cookie so the server renders the next page in the chosen language and size; a year is plenty.
  // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing from Safari and older WebViews
  document.cookie = `${name}=${value}; path=/; max-age=31536000; samesite=lax`;
  try {
    localStorage.setItem(`hp.${name}`, value);
  } catch {
    /* private mode: the cookie still works */
  }
}

function stored(name: string): string | null {
  try {
    return localStorage.getItem(`hp.${name}`);
  } catch {
    return null;
  }
}

/** Re-labels every server-rendered string in place. */
export function setLang(next: Lang, save = true): void {
  lang = next;
  document.documentElement.lang = HTML_LANG[next];
  for (const node of document.querySelectorAll<HTMLElement>("[data-t]"))
    node.textContent = t(node.dataset.t as Key);
  for (const node of document.querySelectorAll<HTMLElement>("[data-t-aria]"))
    node.setAttribute("aria-label", t(node.dataset.tAria as Key));
  for (const node of document.querySelectorAll<HTMLImageElement>("[data-t-alt]"))
    node.alt = t(node.dataset.tAlt as Key);
  if (save) remember("lang", next);
  for (const f of listeners) f();
}

/** Language follows the remembered choice, else navigator.language; the large-text mode is remembered too. */
export function initChrome(): void {
  const wanted = pickLang(
    stored("lang"),
    navigator.languages?.length ? navigator.languages : [navigator.language],
  );
  if (wanted !== lang) setLang(wanted, false);
  $("lang").addEventListener("click", () => setLang(lang === "zh" ? "en" : "zh"));
  const large = $("large");
  const applyLarge = (on: boolean) => {
    document.documentElement.classList.toggle("large", on);
    large.setAttribute("aria-pressed", on ? "true" : "false");
  };
  if (stored("large") === "1") applyLarge(true);
  large.addEventListener("click", () => {
    const on = !document.documentElement.classList.contains("large");
    applyLarge(on);
    remember("large", on ? "1" : "0");
  });
}
