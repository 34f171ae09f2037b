import { peopleTime } from "../../../durable/rules/people-time";
/** The element with this id; the shells always render every id the scripts use. */
export function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} missing from the page`);
  return found as T;
}

type Attrs = Record<string, string | boolean | undefined>;

/** Builds an element; children are text or nodes, so data from the API is never parsed as HTML. */
export function el(
  tag: string,
  attrs: Attrs = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

export function fill(parent: HTMLElement, ...children: (Node | string)[]): void {
  parent.replaceChildren(...children);
}

export function formData(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new FormData(form).entries()) if (typeof v === "string") out[k] = v.trim();
  return out;
}

let toastTimer = 0;
export function toast(message: string): void {
  const node = $("toast");
  node.textContent = message;
  node.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => {
    node.hidden = true;
  }, 5000);
}

export interface BootData {
  page: "person" | "venue" | "authority";
  devMode: boolean;
  providers: { label: string; authorizationEndpoint: string; clientId: string; scope: string }[];
  placeCode?: string;
  venue?: { name: string; address: string };
}

export function bootData(): BootData {
  return JSON.parse($("boot").textContent || "{}") as BootData;
}

/** Shows the view named by the URL hash (or the first) and marks its tab as current. */
export function showView(name: string, views: readonly string[]): string {
  const current = views.includes(name) ? name : (views[0] ?? "");
  for (const v of views) {
    const section = document.getElementById(`v-${v}`);
    if (section) section.hidden = v !== current;
  }
  for (const a of document.querySelectorAll<HTMLAnchorElement>("[data-view]")) {
    if (a.dataset.view === current) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  return current;
}

/** A time as people there read it, in Asia/Shanghai whatever the device's zone (people-time.ts). */
export function when(iso: string | null | undefined, lang: "zh" | "en"): string {
  if (!iso) return "";
  if (Number.isNaN(Date.parse(iso))) return iso;
  return peopleTime(iso, lang);
}
