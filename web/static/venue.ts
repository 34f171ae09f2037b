// The venue app: a scanner that needs only the device key kept on this device, plus the owner's
// screens (register, posters, the rotating on-screen code, device keys) behind the owner's sign-in.
import { COLOR_ICON } from "../i18n";
import { type ApiResult, api, problemText } from "./lib/api";
import { idToken, signIn, signOut } from "./lib/auth";
import { type Color, colorWords, isColor } from "./lib/color";
import { $, bootData, el, fill, formData, showView, toast, when } from "./lib/dom";
import { currentLang, initChrome, t } from "./lib/i18n";
import { nationalityOf, wireNationality } from "./lib/nationality";
import { scanButton } from "./lib/scan";

const VIEWS = ["scan", "lookup", "manual", "venues", "register"] as const;
const KEY = "hp.deviceKey";
const boot = bootData();

interface Venue {
  venueId: string;
  name: string;
  address: string;
  posterUrl: string;
  closedAt: string | null;
}
type Entry = "pass" | "restricted" | "deny";
interface Verdict {
  entry: Entry;
  valid: boolean;
  color?: Color;
  maskedName?: string | null;
  reason?: string;
  current?: boolean;
  offline?: boolean;
}

const deviceKey = () => localStorage.getItem(KEY);

function failure(r: ApiResult<unknown>): string {
  if (r.offline) return t("error.network");
  if (r.missing) return t("error.notyet");
  return t("error.generic") + problemText(r);
}

/** The big answer staff read at a glance: icon, words and colour together, plus the masked name only. */
function showAnswer(node: HTMLElement, v: Verdict): void {
  node.hidden = false;
  node.dataset.color = v.valid && v.color ? v.color : "invalid";
  const words =
    v.valid && v.color ? colorWords(v.color) : `${COLOR_ICON.red} ${t("entry.invalid")} · ${t("entry.deny")}`;
  fill(
    node,
    el("p", { class: "answer-words" }, words),
    v.maskedName ? el("p", { class: "answer-name" }, v.maskedName) : "",
    v.valid && v.current === false ? el("p", {}, t("scan.stale")) : "",
    !v.valid && v.reason ? el("p", {}, t("scan.reason") + v.reason) : "",
    v.offline ? el("p", { class: "note" }, t("scan.offline.used")) : "",
  );
}

// Offline verification: the verifier library checks signatures against a signed bundle of trusted
// issuers. Loaded only when the service offers a bundle, so online scanners never download it.

interface OfflineVerifier {
  check(token: string): Promise<Verdict>;
}
let offline: OfflineVerifier | null = null;

async function prepareOffline(): Promise<void> {
  const box = $<HTMLInputElement>("offline");
  const state = $("offline-state");
  const r = await api<unknown>("GET", "/v1/verifier-bundle");
  if (!r.ok) {
    box.disabled = true;
    state.textContent = t("scan.offline.off");
    return;
  }
  const raw = r.data as string | { bundle?: string; jws?: string };
  const jws = typeof raw === "string" ? raw : (raw.bundle ?? raw.jws ?? "");
  const jwks = await api<{ keys: unknown[] }>("GET", "/.well-known/jwks.json");
  const lib = await import("#verifier");
  const opened = await lib.openBundle(jws, jwks.data as never, new Date());
  if (!opened.valid || !("bundle" in opened)) {
    box.disabled = true;
    state.textContent = `${t("scan.offline.off")} (${"reason" in opened ? opened.reason : ""})`;
    return;
  }
  const bundle = opened.bundle;
  offline = {
    async check(token) {
      const res = (await lib.verifyCode(token, bundle as never, new Date())) as {
        valid: boolean;
        color?: Color | null;
        reason?: string;
      };
      if (!res.valid || !isColor(res.color))
        return { valid: false, entry: "deny", reason: res.reason ?? "unsupported", offline: true };
      const entry = res.color === "green" ? "pass" : res.color === "yellow" ? "restricted" : "deny";
      // Offline, the colour is the one in the code: it may have changed since it was issued.
      return { valid: true, entry, color: res.color, current: undefined, offline: true };
    },
  };
  box.disabled = false;
  state.textContent = t("scan.offline.ready");
}

async function check(tokenText: string): Promise<Verdict> {
  const key = deviceKey();
  const useOffline = offline && ($<HTMLInputElement>("offline").checked || !navigator.onLine);
  if (useOffline && offline) return offline.check(tokenText);
  const r = await api<Verdict>("POST", "/v1/venue/scan", { token: key, body: { token: tokenText } });
  if (r.offline && offline) return offline.check(tokenText);
  if (!r.ok) return { valid: false, entry: "deny", reason: failure(r) };
  return r.data;
}

function wireScanner(): void {
  const form = $<HTMLFormElement>("scan-form");
  const answer = $("scan-answer");
  const field = $<HTMLTextAreaElement>("scan-token");
  const run = async (text: string) => {
    showAnswer(answer, await check(text.trim()));
    field.value = "";
    // Ready for the next person without touching the screen again.
    field.focus();
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void run(field.value);
  });
  scanButton(
    $<HTMLButtonElement>("scan-camera"),
    $<HTMLVideoElement>("scan-video"),
    (text) => void run(text),
    () => toast(t("checkin.noscan")),
  );
  renderKeyState();
}

function renderKeyState(): void {
  $("key-state").textContent = deviceKey() ? t("venue.keys.set") : t("venue.keys.none");
}

function wireStaffForms(): void {
  wireNationality("lookup");
  wireNationality("manual");
  const lookup = $<HTMLFormElement>("lookup-form");
  lookup.addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = formData(lookup);
    const r = await api<{ color: Color; maskedName: string; entry: Entry }>("POST", "/v1/venue/lookup", {
      token: deviceKey(),
      body: {
        idType: f.idType,
        idNumber: (f.idNumber ?? "").toUpperCase(),
        ...nationalityOf(f),
        name: f.name,
      },
    });
    // The identity number leaves the screen as soon as it has been used.
    lookup.reset();
    const node = $("lookup-answer");
    if (!r.ok) {
      node.hidden = false;
      node.dataset.color = "invalid";
      fill(node, el("p", {}, failure(r)));
      return;
    }
    showAnswer(node, {
      valid: true,
      entry: r.data.entry,
      color: r.data.color,
      maskedName: r.data.maskedName,
    });
  });

  const manual = $<HTMLFormElement>("manual-form");
  manual.addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = formData(manual);
    const body: Record<string, string> = { name: f.name ?? "", phone: f.phone ?? "" };
    if (f.idType && f.idNumber) {
      body.idType = f.idType;
      body.idNumber = f.idNumber.toUpperCase();
      Object.assign(body, nationalityOf(f));
    }
    const r = await api<{ maskedName: string; enteredAt: string }>("POST", "/v1/venue/manual-entries", {
      token: deviceKey(),
      body,
    });
    manual.reset();
    $("manual-result").textContent = r.ok
      ? `${t("manual.done")}${r.data.maskedName} · ${when(r.data.enteredAt, currentLang())}`
      : failure(r);
  });

  const keyForm = $<HTMLFormElement>("key-form");
  keyForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const value = formData(keyForm).deviceKey;
    if (value) localStorage.setItem(KEY, value);
    keyForm.reset();
    renderKeyState();
    toast(t("venue.keys.set"));
  });
}

// Owner screens

let ownerToken: string | null = null;

async function ownerCall<T>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
  const r = await api<T>(method, path, { token: ownerToken, body });
  if (r.status === 401) {
    signOut("venue");
    ownerToken = null;
  }
  return r;
}

function useKey(key: string): void {
  localStorage.setItem(KEY, key);
  renderKeyState();
  toast(t("venue.keys.set"));
}

async function renderKeys(venueId: string, list: HTMLElement): Promise<void> {
  type Key = { keyId: string; label: string | null; createdAt: string; revokedAt: string | null };
  const r = await ownerCall<{ keys: Key[] }>("GET", `/v1/venues/${venueId}/device-keys`);
  if (!r.ok) return fill(list, el("li", { class: "note" }, failure(r)));
  fill(
    list,
    ...r.data.keys.map((k) => {
      const revoke = el("button", { type: "button", class: "btn small" }, t("venue.keys.revoke"));
      revoke.addEventListener("click", async () => {
        const d = await ownerCall("DELETE", `/v1/venues/${venueId}/device-keys/${k.keyId}`);
        if (!d.ok) toast(failure(d));
        await renderKeys(venueId, list);
      });
      return el(
        "li",
        {},
        `${k.label ?? k.keyId} · ${when(k.createdAt, currentLang())}`,
        k.revokedAt ? ` · ${t("venue.keys.revoke")} ✕` : " ",
        k.revokedAt ? "" : revoke,
      );
    }),
  );
}

let rotateTimer = 0;
async function showScreenCode(venueId: string): Promise<void> {
  const dialog = $<HTMLDialogElement>("screen-code");
  const load = async () => {
    const r = await ownerCall<{ qrSvg: string; expiresAt: string; ttlSeconds: number }>(
      "GET",
      `/v1/venues/${venueId}/rotating-code`,
    );
    if (!r.ok) {
      $("screen-expiry").textContent = failure(r);
      return;
    }
    $<HTMLImageElement>("screen-qr").src =
      `data:image/svg+xml;charset=utf-8,${encodeURIComponent(r.data.qrSvg)}`;
    $("screen-expiry").textContent = when(r.data.expiresAt, currentLang());
    // A new code shortly before the old one lapses, so a person scanning never meets an expired one.
    const next = Math.max(5_000, Date.parse(r.data.expiresAt) - Date.now() - 5_000);
    rotateTimer = window.setTimeout(load, next);
  };
  dialog.showModal();
  await load();
}

function venueCard(v: Venue): HTMLElement {
  const poster = el("img", {
    src: v.posterUrl,
    alt: `${t("venue.poster")}: ${v.name}`,
    class: "poster",
    loading: "lazy",
  });
  const download = el(
    "a",
    { href: v.posterUrl, download: `poster-${v.venueId}.svg`, class: "btn small" },
    t("venue.poster.download"),
  );
  const print = el("button", { type: "button", class: "btn small" }, t("venue.poster.print"));
  print.addEventListener("click", () => {
    // Print only this poster: the print stylesheet hides everything but the marked image.
    poster.classList.add("print-me");
    window.print();
    poster.classList.remove("print-me");
  });
  const screen = el("button", { type: "button", class: "btn small" }, t("venue.screen.show"));
  screen.addEventListener("click", () => void showScreenCode(v.venueId));
  const keys = el("ul", { class: "list" });
  const issue = el("button", { type: "button", class: "btn small" }, t("venue.keys.issue"));
  const shown = el("p", { class: "secret", role: "status" });
  issue.addEventListener("click", async () => {
    const r = await ownerCall<{ keyId: string; deviceKey: string }>(
      "POST",
      `/v1/venues/${v.venueId}/device-keys`,
      {},
    );
    if (!r.ok) return toast(failure(r));
    const use = el("button", { type: "button", class: "btn small" }, t("venue.use"));
    use.addEventListener("click", () => useKey(r.data.deviceKey));
    fill(shown, t("venue.keys.shown"), el("code", {}, r.data.deviceKey), " ", use);
    await renderKeys(v.venueId, keys);
  });
  void renderKeys(v.venueId, keys);
  return el(
    "article",
    { class: "card venue" },
    el("h3", {}, v.name),
    el("p", {}, v.address),
    el("p", { class: "note" }, el("code", {}, v.venueId)),
    poster,
    el("p", { class: "row" }, download, print, screen),
    el("h4", {}, t("venue.keys")),
    keys,
    issue,
    shown,
  );
}

async function loadVenues(): Promise<void> {
  if (!ownerToken) return;
  const r = await ownerCall<{ venues: Venue[] }>("GET", "/v1/venues");
  const box = $("venues");
  if (!r.ok) return fill(box, el("p", { class: "note" }, failure(r)));
  const open = r.data.venues.filter((v) => !v.closedAt);
  fill(box, ...(open.length ? open.map(venueCard) : [el("p", { class: "note" }, t("venue.none"))]));
}

function wireRegister(): void {
  const form = $<HTMLFormElement>("register-form");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!ownerToken) {
      location.hash = "#venues";
      return toast(t("signin.intro"));
    }
    const f = formData(form);
    const body: Record<string, unknown> = {
      name: f.name,
      category: f.category,
      address: f.address,
      districtCode: f.districtCode,
    };
    if (f.lat && f.lon) body.location = { lat: Number(f.lat), lon: Number(f.lon) };
    const r = await ownerCall<{ venueId: string; deviceKey: string }>("POST", "/v1/venues", body);
    const out = $("register-result");
    if (!r.ok) {
      out.textContent = failure(r);
      return;
    }
    // The key is shown once by the API; keeping it here makes this device a scanner straight away.
    useKey(r.data.deviceKey);
    out.textContent = t("venue.registered");
    form.reset();
    await loadVenues();
    location.hash = "#venues";
  });
}

function route(): void {
  showView(location.hash.slice(1) || "scan", VIEWS);
}

initChrome();
wireScanner();
wireStaffForms();
wireRegister();
$("screen-close").addEventListener("click", () => {
  clearTimeout(rotateTimer);
  $<HTMLDialogElement>("screen-code").close();
});
window.addEventListener("hashchange", route);
route();
void prepareOffline();
ownerToken = idToken("venue");
signIn(
  boot,
  (tok) => {
    ownerToken = tok;
    void loadVenues();
  },
  (msg) => toast(t("error.generic") + msg),
);
