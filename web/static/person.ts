// The person app: sign in, apply, show the code, explain it, check in, and notice colour changes live.

import { qrSvg } from "../../qr/svg";
import type { Key } from "../i18n";
import { type ApiResult, api, problemText } from "./lib/api";
import { idToken, signIn, signOut } from "./lib/auth";
import { type Color, colorWords, QR_INK } from "./lib/color";
import { $, bootData, el, fill, formData, showView, toast, when } from "./lib/dom";
import { currentLang, initChrome, onLangChange, t } from "./lib/i18n";
import { scanButton } from "./lib/scan";

interface Person {
  personId: string;
  maskedName: string;
  relationship: string;
  color: Color;
  version: number;
}
interface Code {
  token: string;
  color: Color;
  version: number;
  issuedAt: string;
  expiresAt: string;
}
interface Reason {
  rule: string;
  text: { zh: string; en: string };
  lift?: { zh: string; en: string };
  /** The authority's own words behind the rule: events' reasons, a previous system's reason. */
  events?: { reason: string }[];
  imports?: { reason: string; source: string }[];
}

/** The rule's text with the causes behind it, e.g. "…转入的黄码（成都市健康码迁移：中风险地区旅居 · chengdu-tianfu）". */
function reasonLine(x: Reason, lang: "zh" | "en"): string {
  const causes = [
    ...(x.events ?? []).map((e) => e.reason),
    ...(x.imports ?? []).map((i) => `${i.reason} · ${i.source}`),
  ];
  if (causes.length === 0) return x.text[lang];
  return lang === "zh" ? `${x.text.zh}（${causes.join("；")}）` : `${x.text.en} (${causes.join("; ")})`;
}
interface Status {
  color: Color;
  since: string;
  reviewAt: string | null;
  reasons: Reason[];
  history: {
    type: string;
    at: string;
    from?: Color | null;
    to?: Color;
    reasons?: Reason[];
    text?: { zh: string; en: string };
    rules?: { rule: string }[];
    /** Set once the change is in the public log. */
    log?: { index: number; nonce: string };
  }[];
}

interface ManagerEntry {
  managerId: string;
  relationship: string;
  status: "active" | "pending";
  proven: boolean;
  you: boolean;
  displacedSelf: boolean;
  since: string;
  expiresAt: string | null;
}

const VIEWS = ["code", "status", "records", "checkin", "managers", "apply", "settings"] as const;
/** How often an open page asks whether the colour changed; push messages make it immediate. */
const POLL_MS = 6000;
/** Refresh a code this long before it expires, so the one on screen is never stale. */
const REFRESH_BEFORE_MS = 30_000;

const boot = bootData();
let token = "";
let persons: Person[] = [];
let current: string | null = localStorage.getItem("hp.current");
let code: Code | null = null;
/** Server time minus local time, from the last code: the countdown follows the server's clock. */
let skewMs = 0;
let view = "code";
let refreshing = false;

const me = () => persons.find((p) => p.personId === current);

async function call<T>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
  const r = await api<T>(method, path, { token, body });
  if (r.status === 401) {
    signOut("person");
    toast(t("error.signin"));
    setTimeout(() => location.reload(), 1500);
  }
  return r;
}

function failure(r: ApiResult<unknown>): string {
  if (r.offline) return t("error.network");
  if (r.missing) return t("error.notyet");
  return t("error.generic") + problemText(r);
}

// Family

async function loadPersons(): Promise<boolean> {
  const r = await call<{ persons: Person[] }>("GET", "/v1/persons");
  if (!r.ok) {
    if (!r.offline) toast(failure(r));
    return false;
  }
  const before = me();
  persons = r.data.persons;
  if (!me()) current = persons[0]?.personId ?? null;
  if (current) localStorage.setItem("hp.current", current);
  renderFamily();
  const now = me();
  // A change of version is a change of colour (or a lifted reason): the code on screen is now stale.
  if (before && now && before.personId === now.personId && before.version !== now.version) {
    toast(`${t("code.changed")}: ${colorWords(now.color)}`);
    await refreshCurrentView();
  }
  return true;
}

function personLabel(p: Person): string {
  return `${p.maskedName} (${t(`rel.${p.relationship}` as Key)}) · ${colorWords(p.color)}`;
}

function renderFamily(): void {
  for (const id of ["who", "checkin-who"]) {
    const select = $<HTMLSelectElement>(id);
    fill(
      select,
      ...persons.map((p) =>
        el("option", { value: p.personId, selected: p.personId === current }, personLabel(p)),
      ),
    );
  }
}

// Code screen

function tick(): void {
  const now = new Date(Date.now() + skewMs);
  const clock = $("clock");
  // The live clock proves the screen is not a screenshot; it reads in China's time like every other time.
  clock.textContent = now.toLocaleString(currentLang() === "zh" ? "zh-CN" : "en-GB", {
    dateStyle: "medium",
    timeStyle: "medium",
    hour12: false,
    timeZone: "Asia/Shanghai",
  });
  clock.setAttribute("datetime", now.toISOString());
  if (!code) return;
  const left = Date.parse(code.expiresAt) - now.getTime();
  const total = Date.parse(code.expiresAt) - Date.parse(code.issuedAt);
  $("countdown").textContent = String(Math.max(0, Math.ceil(left / 1000)));
  $("countdown-bar").style.width = `${Math.max(0, Math.min(100, (left / total) * 100))}%`;
  if (left <= 0) {
    // An expired code must not be shown as if it were valid.
    $("qr").hidden = true;
    $("code-words").textContent = t("code.stale");
  }
  if (view === "code" && left <= REFRESH_BEFORE_MS && document.visibilityState === "visible") void loadCode();
}

async function loadCode(): Promise<void> {
  const p = me();
  if (!p || refreshing) return;
  refreshing = true;
  try {
    const r = await call<Code>("GET", `/v1/persons/${encodeURIComponent(p.personId)}/code`);
    if (!r.ok) {
      toast(failure(r));
      return;
    }
    code = r.data;
    skewMs = Date.parse(code.issuedAt) - Date.now();
    renderCode();
  } finally {
    refreshing = false;
  }
}

function renderCode(): void {
  const p = me();
  if (!code || !p) return;
  $("code-card").dataset.color = code.color;
  $("code-name").textContent = p.maskedName;
  const img = $<HTMLImageElement>("qr");
  // Drawn here from the token (the server no longer spends CPU on it), in the code's colour; as an <img>.
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(qrSvg(code.token, { colour: QR_INK[code.color] }))}`;
  img.hidden = false;
  $("code-words").textContent = colorWords(code.color);
  tick();
}

// Status screen

async function loadStatus(): Promise<void> {
  const p = me();
  if (!p) return;
  const r = await call<Status>("GET", `/v1/persons/${encodeURIComponent(p.personId)}/status`);
  if (!r.ok) {
    fill($("status-reasons"), el("li", {}, failure(r)));
    return;
  }
  const s = r.data;
  const lang = currentLang();
  const colorLine = $("status-color");
  colorLine.textContent = colorWords(s.color);
  colorLine.dataset.color = s.color;
  $("status-since").textContent = [
    `${t("status.since")} ${when(s.since, lang)}`,
    s.reviewAt ? `${t("status.review")}: ${when(s.reviewAt, lang)}` : "",
  ]
    .filter(Boolean)
    .join(" · ");
  fill(
    $("status-reasons"),
    ...(s.reasons.length
      ? s.reasons.map((x) => el("li", {}, reasonLine(x, lang)))
      : [el("li", {}, t("status.nothing"))]),
  );
  const lifts = s.reasons.flatMap((x) => (x.lift ? [x.lift[lang]] : []));
  fill($("status-lift"), ...(lifts.length ? lifts.map((l) => el("li", {}, l)) : [el("li", {}, "—")]));
  fill(
    $("status-history"),
    ...s.history.map((h) => {
      const what =
        h.type === "notice"
          ? (h.text?.[lang] ?? "")
          : `${h.from ? `${colorWords(h.from)} → ` : ""}${h.to ? colorWords(h.to) : ""}`;
      const why = h.reasons?.map((x) => x.text[lang]).join("; ");
      return el(
        "li",
        { "data-color": h.to ?? "" },
        el("time", { datetime: h.at }, when(h.at, lang)),
        " ",
        what,
        why ? el("small", {}, ` — ${why}`) : null,
        h.log ? logBadge(h.log.index) : null,
      );
    }),
  );
}

/** "Recorded in the public log", with the result of checking it here (the checker loads on demand). */
function logBadge(index: number): HTMLElement {
  const badge = el(
    "small",
    { class: "log-badge", "data-log-index": String(index) },
    ` · ${t("log.checking")}`,
  );
  const personId = current;
  if (personId)
    void import("./lib/log-check")
      .then(({ checkLogEntry }) => checkLogEntry(personId, index, token))
      .then((r) => {
        badge.textContent = r.ok
          ? ` · ✓ ${t("log.verified")} #${index}`
          : ` · ✗ ${t("log.failed")} (${r.reason})`;
        badge.dataset.logCheck = r.ok ? "ok" : "failed";
      });
  return badge;
}

// Records: results and vaccinations are colleagues' endpoints; a missing one says so instead of failing.

async function loadList<T>(
  id: string,
  path: string,
  pick: (data: Record<string, T[]>) => T[] | undefined,
  line: (x: T) => string,
) {
  const r = await call<Record<string, T[]>>("GET", path);
  const list = $(id);
  if (!r.ok) return fill(list, el("li", { class: "note" }, failure(r)));
  const items = pick(r.data) ?? [];
  fill(
    list,
    ...(items.length ? items.map((x) => el("li", {}, line(x))) : [el("li", { class: "note" }, t("none"))]),
  );
}

async function loadRecords(): Promise<void> {
  const p = me();
  if (!p) return;
  const base = `/v1/persons/${encodeURIComponent(p.personId)}`;
  const lang = currentLang();
  type Result = { test: string; result: string; sampledAt: string; labName?: string | null };
  type Vacc = { product: string; dose: number; date: string; siteName?: string | null };
  await Promise.all([
    loadList<Result>(
      "results",
      `${base}/results`,
      (d) => d.results,
      (x) =>
        `${when(x.sampledAt, lang)} · ${t(`test.${x.test}` as Key)} · ${t(`result.${x.result}` as Key)}${x.labName ? ` · ${x.labName}` : ""}`,
    ),
    loadList<Vacc>(
      "vaccinations",
      `${base}/vaccinations`,
      (d) => d.vaccinations,
      (x) => `${x.date} · ${x.product} · ${t("dose")} ${x.dose}${x.siteName ? ` · ${x.siteName}` : ""}`,
    ),
    loadCheckIns(base),
  ]);
}

// Managers: who may see this person's code; the person answers requests and removes managers here.

async function loadManagers(): Promise<void> {
  const p = me();
  if (!p) return;
  const base = `/v1/persons/${encodeURIComponent(p.personId)}/managers`;
  const r = await call<{ managers: ManagerEntry[] }>("GET", base);
  const requests = $("manager-requests");
  const list = $("manager-list");
  $("managers-note").hidden = r.ok || r.status !== 403;
  if (!r.ok) {
    fill(requests);
    fill(list, ...(r.status === 403 ? [] : [el("li", { class: "note" }, failure(r))]));
    return;
  }
  const lang = currentLang();
  const act = (label: Key, method: string, path: string, cls = "") => {
    const b = el("button", { type: "button", class: `btn small ${cls}` }, t(label)) as HTMLButtonElement;
    b.addEventListener("click", async () => {
      b.disabled = true;
      const res = await call(method, `${base}/${path}`);
      if (!res.ok) toast(failure(res));
      await loadManagers();
    });
    return b;
  };
  const line = (m: ManagerEntry, ...buttons: HTMLElement[]) =>
    el(
      "li",
      { class: "manager", "data-manager": m.managerId },
      `${t(`rel.${m.relationship}` as Key)}${m.you ? ` ${t("managers.you")}` : ""}`,
      m.proven ? el("small", {}, ` · ${t("managers.verified")}`) : null,
      m.displacedSelf ? el("small", {}, ` · ${t("managers.displaced")}`) : null,
      el(
        "small",
        {},
        ` · ${when(m.since, lang)}${m.expiresAt ? ` · ${t("managers.expires")} ${when(m.expiresAt, lang)}` : ""}`,
      ),
      ...buttons,
    );
  const id = (m: ManagerEntry) => encodeURIComponent(m.managerId);
  const pending = r.data.managers.filter((m) => m.status === "pending");
  const active = r.data.managers.filter((m) => m.status === "active");
  fill(
    requests,
    ...(pending.length
      ? pending.map((m) =>
          line(
            m,
            act("managers.approve", "POST", `${id(m)}/approve`, "primary"),
            act("managers.deny", "POST", `${id(m)}/deny`),
          ),
        )
      : [el("li", { class: "note" }, t("none"))]),
  );
  fill(list, ...active.map((m) => (m.you ? line(m) : line(m, act("managers.remove", "DELETE", id(m))))));
}

/** Each visit with how presence was shown; one the person did not make can be appealed from here. */
async function loadCheckIns(base: string): Promise<void> {
  type CheckIn = {
    checkInId: string;
    venueName: string | null;
    checkedInAt: string;
    presence?: string;
    voidedAt?: string | null;
  };
  const r = await call<{ checkins: CheckIn[] }>("GET", `${base}/checkins`);
  const list = $("checkins");
  if (!r.ok) return fill(list, el("li", { class: "note" }, failure(r)));
  const lang = currentLang();
  const items = r.data.checkins ?? [];
  fill(
    list,
    ...(items.length
      ? items.map((x) => {
          const how = x.presence ? ` · ${t(`presence.${x.presence}` as Key)}` : "";
          const item = el("li", {}, `${when(x.checkedInAt, lang)} · ${x.venueName ?? "—"}${how}`);
          if (x.voidedAt) item.append(el("small", {}, ` · ${t("checkin.voided")}`));
          else {
            const appeal = el("button", { type: "button", class: "btn small" }, t("checkin.notMe"));
            appeal.addEventListener("click", async () => {
              const res = await call("POST", `${base}/appeals`, {
                kind: "appeal",
                text: t("checkin.appealText"),
                checkInId: x.checkInId,
              });
              toast(res.ok ? t("checkin.appealed") : failure(res));
              if (res.ok) appeal.remove();
            });
            item.append(" ", appeal);
          }
          return item;
        })
      : [el("li", { class: "note" }, t("none"))]),
  );
}

// Check-in

/** A poster's QR holds https://<service>/c/{placeCode}; people may also paste the bare code. */
function placeCodeOf(text: string): string {
  const s = text.trim();
  const m = /\/c\/([^/?#\s]+)/.exec(s);
  return m?.[1] ? decodeURIComponent(m[1]) : s;
}

function wireCheckIn(): void {
  const form = $<HTMLFormElement>("checkin-form");
  const result = $("checkin-result");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = formData(form);
    const r = await call<{ venueName: string; color: Color; checkedInAt: string }>("POST", "/v1/checkins", {
      placeCode: placeCodeOf(f.placeCode ?? ""),
      personId: f.personId,
    });
    result.hidden = false;
    if (!r.ok) {
      result.dataset.color = "";
      fill(result, el("p", {}, failure(r)));
      return;
    }
    result.dataset.color = r.data.color;
    fill(
      result,
      el("p", { class: "answer-words" }, colorWords(r.data.color)),
      el("p", {}, `${t("checkin.done")} ${r.data.venueName}`),
      el("p", {}, el("time", { datetime: r.data.checkedInAt }, when(r.data.checkedInAt, currentLang()))),
    );
  });
  scanButton(
    $<HTMLButtonElement>("scan-place"),
    $<HTMLVideoElement>("place-video"),
    (text) => {
      $<HTMLInputElement>("place-code").value = placeCodeOf(text);
      form.requestSubmit();
    },
    () => toast(t("checkin.noscan")),
  );
}

// Apply

function wireApply(): void {
  const form = $<HTMLFormElement>("apply-form");
  const idType = $<HTMLSelectElement>("apply-idType");
  const nationality = $("apply-nationality").parentElement as HTMLElement;
  const syncNationality = () => {
    nationality.hidden = idType.value !== "passport";
  };
  idType.addEventListener("change", syncNationality);
  syncNationality();
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = formData(form);
    const body: Record<string, string> = {
      name: f.name ?? "",
      idType: f.idType ?? "",
      idNumber: (f.idNumber ?? "").toUpperCase(),
      phone: f.phone ?? "",
      relationship: f.relationship ?? "self",
    };
    if (f.idType === "passport" && f.nationality) body.nationality = f.nationality.toUpperCase();
    const r = await call<{ personId: string; status?: string }>("POST", "/v1/persons", body);
    if (!r.ok) {
      $("apply-error").textContent = failure(r);
      return;
    }
    if (r.status === 202) {
      // The person has their own account: nothing to show until they approve.
      form.reset();
      $("apply-error").textContent = t("apply.pending");
      return;
    }
    $("apply-error").textContent = "";
    form.reset();
    current = r.data.personId;
    localStorage.setItem("hp.current", current);
    await loadPersons();
    location.hash = "#code";
  });
}

// Notifications

function keyBytes(b64url: string): Uint8Array<ArrayBuffer> {
  const b64 = b64url.replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

function timeout<T>(ms: number): Promise<T> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), ms));
}

async function enableNotifications(): Promise<string> {
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window))
    return t("notify.unsupported");
  const reg = await navigator.serviceWorker.register("/sw.js");
  if ((await Notification.requestPermission()) !== "granted") return t("notify.denied");
  const key = await call<{ key: string }>("GET", "/v1/push/vapid-public-key");
  if (!key.ok) return failure(key);
  let sub: PushSubscription;
  try {
    // subscribe() never settles when the push service is unreachable (offline, closed networks).
    sub = await Promise.race([
      reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key.data.key) }),
      timeout<PushSubscription>(8000),
    ]);
  } catch {
    return t("notify.timeout");
  }
  const r = await call("POST", "/v1/push/subscriptions", { subscription: sub.toJSON() });
  return r.ok ? t("notify.on") : failure(r);
}

// Views and the live update

async function refreshCurrentView(): Promise<void> {
  if (view === "code") await loadCode();
  else if (view === "status") await loadStatus();
  else if (view === "records") await loadRecords();
  else if (view === "managers") await loadManagers();
}

function route(): void {
  const wanted = location.hash.slice(1) || (boot.placeCode ? "checkin" : "code");
  view = showView(persons.length === 0 ? "apply" : wanted, VIEWS);
  void refreshCurrentView();
}

function startPolling(): void {
  let timer = 0;
  const schedule = () => {
    clearTimeout(timer);
    if (document.visibilityState === "visible") timer = window.setTimeout(poll, POLL_MS);
  };
  const poll = async () => {
    await loadPersons();
    schedule();
  };
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") void poll();
    else clearTimeout(timer);
  });
  // The service worker relays push messages, so a change shows within a second when push works.
  navigator.serviceWorker?.addEventListener("message", (e: MessageEvent) => {
    if ((e.data as { type?: string })?.type === "color-changed") void poll();
  });
  schedule();
}

async function start(idTok: string): Promise<void> {
  token = idTok;
  $("app").hidden = false;
  await loadPersons();
  if (persons.length === 0) $<HTMLSelectElement>("apply-relationship").value = "self";
  route();
  window.addEventListener("hashchange", route);
  $("who").addEventListener("change", (e) => {
    current = (e.target as HTMLSelectElement).value;
    localStorage.setItem("hp.current", current);
    code = null;
    void refreshCurrentView();
  });
  $("refresh").addEventListener("click", () => void loadCode());
  $("signout").addEventListener("click", () => {
    signOut("person");
    localStorage.removeItem("hp.current");
    location.reload();
  });
  $("notify").addEventListener("click", async () => {
    $("notify-status").textContent = t("loading");
    $("notify-status").textContent = await enableNotifications().catch(() => t("notify.unsupported"));
  });
  onLangChange(() => {
    renderFamily();
    renderCode();
    void refreshCurrentView();
  });
  // Registered up front (not only with notifications) so push messages can reach an open page.
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(() => undefined);
  setInterval(tick, 1000);
  startPolling();
}

initChrome();
wireApply();
wireCheckIn();
if (!idToken("person") && !boot.devMode && boot.providers.length === 0) $("signin").hidden = false;
signIn(
  boot,
  (tok) => void start(tok),
  (msg) => toast(t("error.generic") + msg),
);
