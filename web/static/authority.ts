// The authority console. Endpoints landed by colleagues at different times, so every screen tolerates a
// route that is not there yet and says so.
import { COLORS } from "../../schema/vocabulary";
import type { Key } from "../i18n";
import { type ApiResult, api, problemText } from "./lib/api";
import { signIn, signOut } from "./lib/auth";
import { type Color, colorWords } from "./lib/color";
import { $, bootData, el, fill, formData, showView, toast, when } from "./lib/dom";
import { currentLang, initChrome, onLangChange, t } from "./lib/i18n";
import { spreadLabels } from "./lib/label-layout";
import { nationalityOf, wireNationality } from "./lib/nationality";
import { publishPreviewed, rerenderPreview, startPreview } from "./lib/rule-preview";

const VIEWS = ["stats", "risk", "events", "labs", "rules", "appeals", "imports", "venues"] as const;
const FILL: Record<Color, string> = { green: "#1a7f37", yellow: "#d4a106", red: "#c62828" };
const SVG = "http://www.w3.org/2000/svg";
const boot = bootData();
let token = "";

async function call<T>(method: string, path: string, body?: unknown, raw?: string): Promise<ApiResult<T>> {
  const r = await api<T>(method, path, { token, body, raw, contentType: "application/x-ndjson" });
  if (r.status === 401) {
    signOut("authority");
    setTimeout(() => location.reload(), 1000);
  }
  if (r.status === 403) $("role-warning").hidden = false;
  return r;
}

function failure(r: ApiResult<unknown>): string {
  if (r.offline) return t("error.network");
  if (r.missing) return t("error.notyet");
  return t("error.generic") + problemText(r);
}

/** datetime-local values are local wall time; the API wants ISO 8601 UTC. */
const iso = (local: string | undefined) => (local ? new Date(local).toISOString() : "");

// Statistics

type Counts = Record<Color, number>;
interface Stats {
  total: number;
  byColor: Counts;
  byDistrict: ({ districtCode: string | null; districtName?: string | null } & Counts)[];
  /** Persons by colour at the end of each of the last 30 days (Asia/Shanghai), oldest first. */
  series?: ({ at: string } & Counts)[];
}

function svg(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Horizontal stacked bars, one per row, each segment labelled with its count (readable without colour). */
function stackedBars(rows: { label: string; counts: Counts }[], title: string): SVGElement {
  const width = 320;
  const barH = 22;
  const labelW = 110;
  const height = rows.length * (barH + 8) + 24;
  const chart = svg("svg", {
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-label": title,
    width: "100%",
  });
  chart.append(svg("title", {}, title));
  const max = Math.max(1, ...rows.map((r) => r.counts.green + r.counts.yellow + r.counts.red));
  rows.forEach((r, i) => {
    const y = i * (barH + 8);
    chart.append(svg("text", { x: 0, y: y + barH * 0.7, "font-size": 11 }, r.label));
    let x = labelW;
    for (const c of COLORS) {
      const w = ((width - labelW - 4) * r.counts[c]) / max;
      if (w <= 0) continue;
      const g = svg("g", {});
      g.append(svg("rect", { x, y, width: w, height: barH, fill: FILL[c] }));
      g.append(svg("title", {}, `${t(`color.${c}`)}: ${r.counts[c]}`));
      if (w > 18)
        g.append(
          svg(
            "text",
            { x: x + 3, y: y + barH * 0.7, "font-size": 11, fill: c === "yellow" ? "#000" : "#fff" },
            String(r.counts[c]),
          ),
        );
      chart.append(g);
      x += w;
    }
  });
  const legendY = rows.length * (barH + 8) + 12;
  // The legend spans the full width: "Yellow code" does not fit in the 70 px a bar column would give it.
  COLORS.forEach((c, i) => {
    chart.append(svg("rect", { x: i * 106, y: legendY - 9, width: 10, height: 10, fill: FILL[c] }));
    chart.append(svg("text", { x: i * 106 + 14, y: legendY, "font-size": 11 }, `${t(`color.${c}`)}`));
  });
  return chart;
}

/** A day of the series as people write it, in Asia/Shanghai (the series' days end there). */
function day(iso: string): string {
  return new Date(iso).toLocaleDateString(currentLang() === "zh" ? "zh-CN" : "en-GB", {
    month: "short",
    day: "numeric",
    timeZone: "Asia/Shanghai",
  });
}

/**
 * Lines of the three colours over the server's days. The count at each line's end is written in a
 * right margin of its own and spread so that close counts never overlap; the date axis names only
 * its first, middle and last day, short, so the labels fit at 360 px.
 */
function lines(series: ({ at: string } & Counts)[], title: string): SVGElement {
  const width = 320;
  const height = 170;
  const left = 34;
  const right = 62;
  const top = 10;
  const bottom = 26;
  const chart = svg("svg", {
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-label": title,
    width: "100%",
  });
  chart.append(svg("title", {}, title));
  const max = Math.max(1, ...series.flatMap((s) => COLORS.map((c) => s[c])));
  const n = series.length;
  const plotRight = width - right;
  const plotBottom = height - bottom;
  const px = (i: number) => left + ((plotRight - left) * i) / Math.max(1, n - 1);
  const py = (v: number) => plotBottom - ((plotBottom - top) * v) / max;
  chart.append(svg("line", { x1: left, y1: plotBottom, x2: plotRight, y2: plotBottom, stroke: "#888" }));
  chart.append(svg("line", { x1: left, y1: top, x2: left, y2: plotBottom, stroke: "#888" }));
  chart.append(svg("text", { x: left - 4, y: top + 4, "font-size": 10, "text-anchor": "end" }, String(max)));
  chart.append(svg("text", { x: left - 4, y: plotBottom, "font-size": 10, "text-anchor": "end" }, "0"));
  for (const c of COLORS) {
    chart.append(
      svg("polyline", {
        points: series.map((s, i) => `${px(i)},${py(s[c])}`).join(" "),
        fill: "none",
        stroke: FILL[c],
        "stroke-width": 2,
        "stroke-dasharray": c === "yellow" ? "4 2" : c === "red" ? "1 2" : "",
      }),
    );
  }
  const last = series[n - 1];
  if (last) {
    const ys = spreadLabels(
      COLORS.map((c) => py(last[c]) + 4),
      13,
      top + 4,
      plotBottom + 4,
    );
    COLORS.forEach((c, k) => {
      chart.append(
        svg(
          "text",
          {
            x: plotRight + 6,
            y: ys[k]!,
            "font-size": 11,
            fill: FILL[c] === FILL.yellow ? "#8a6700" : FILL[c],
          },
          `${COLOR_SHORT(c)} ${last[c]}`,
        ),
      );
    });
  }
  const ticks = n > 2 ? [0, Math.floor((n - 1) / 2), n - 1] : n === 2 ? [0, 1] : n === 1 ? [0] : [];
  ticks.forEach((i, k) => {
    const anchor = k === 0 ? "start" : k === ticks.length - 1 ? "end" : "middle";
    chart.append(
      svg("text", { x: px(i), y: height - 8, "font-size": 10, "text-anchor": anchor }, day(series[i]!.at)),
    );
  });
  return chart;
}

const COLOR_SHORT = (c: Color) => ({ green: "✓", yellow: "!", red: "✕" })[c];

async function loadStats(): Promise<void> {
  const r = await call<Stats>("GET", "/v1/authority/stats");
  if (!r.ok) {
    $("stats-total").textContent = failure(r);
    return;
  }
  const s = r.data;
  $("stats-total").textContent =
    `${t("stats.total")}: ${s.total} · ${COLORS.map((c) => `${colorWords(c).split(" · ")[0]} ${s.byColor[c]}`).join(" · ")}`;
  fill(
    $("chart-district"),
    stackedBars(
      s.byDistrict.map((d) => ({ label: d.districtName ?? d.districtCode ?? "—", counts: d })),
      t("stats.byDistrict"),
    ),
  );
  // The server's series: persons by colour at the end of each of the last 30 days.
  const series = s.series ?? [];
  $("stats-sampled").textContent = series.length ? t("stats.series") : t("stats.noSeries");
  fill($("chart-time"), lines(series, t("stats.overTime")));
}

// Risk areas: a dry run first, then an explicit confirmation with the count in view.

let pendingRisk: Record<string, unknown> | null = null;

function wireRisk(): void {
  const form = $<HTMLFormElement>("risk-form");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = formData(form);
    const body: Record<string, unknown> = {
      level: f.level,
      from: iso(f.from),
      to: iso(f.to),
      reason: f.reason,
    };
    if (f.districtCode) body.districtCode = f.districtCode;
    const venues = (f.venueIds ?? "")
      .split(/[,\s]+/)
      .map((v) => v.trim())
      .filter(Boolean);
    if (venues.length) body.venueIds = venues;
    if (f.excludeUnconfirmed) body.excludeUnconfirmed = true;
    const r = await call<{ affectedPersons: number; unconfirmedOnly?: number }>(
      "POST",
      "/v1/authority/risk-areas",
      { ...body, dryRun: true },
    );
    $("risk-done").textContent = "";
    if (!r.ok) {
      $("risk-result").hidden = true;
      $("risk-done").textContent = failure(r);
      return;
    }
    pendingRisk = body;
    $("risk-affected").textContent = `${t("risk.affected")}${r.data.affectedPersons}`;
    $("risk-unconfirmed").textContent =
      r.data.unconfirmedOnly !== undefined ? `${t("risk.unconfirmed")}${r.data.unconfirmedOnly}` : "";
    $("risk-result").hidden = false;
    $("risk-confirm").focus();
  });
  $("risk-confirm").addEventListener("click", async () => {
    if (!pendingRisk) return;
    const r = await call("POST", "/v1/authority/risk-areas", { ...pendingRisk, confirm: true });
    $("risk-done").textContent = r.ok ? t("risk.done") : failure(r);
    if (r.ok) {
      pendingRisk = null;
      $("risk-result").hidden = true;
      form.reset();
      await loadRiskAreas();
    }
  });
}

async function loadRiskAreas(): Promise<void> {
  type Area = {
    level: string;
    districtCode?: string | null;
    venueIds?: string[];
    from: string;
    to: string;
    reason?: string;
  };
  const r = await api<{ riskAreas?: Area[]; areas?: Area[] }>("GET", "/v1/risk-areas");
  const list = $("risk-list");
  if (!r.ok) return fill(list, el("li", { class: "note" }, failure(r)));
  const areas = r.data.riskAreas ?? r.data.areas ?? [];
  const lang = currentLang();
  fill(
    list,
    ...(areas.length
      ? areas.map((a) =>
          el(
            "li",
            {},
            `${t(a.level === "high" ? "risk.high" : "risk.medium")} · ${a.districtCode ?? (a.venueIds ?? []).join(", ")} · ${when(a.from, lang)} – ${when(a.to, lang)}${a.reason ? ` · ${a.reason}` : ""}`,
          ),
        )
      : [el("li", { class: "note" }, t("none"))]),
  );
}

// Person events

function wireEvents(): void {
  wireNationality("event");
  const form = $<HTMLFormElement>("event-form");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = formData(form);
    const r = await call<{ color?: Color }>("POST", "/v1/authority/events", {
      idType: f.idType,
      idNumber: (f.idNumber ?? "").toUpperCase(),
      ...nationalityOf(f),
      kind: f.kind,
      occurredAt: iso(f.occurredAt),
      reason: f.reason,
    });
    if (r.ok) form.reset();
    $("event-result").textContent = r.ok
      ? `${t("event.done")}${r.data?.color ? colorWords(r.data.color) : "—"}`
      : failure(r);
  });
}

// Labs and keys

async function loadLabs(): Promise<void> {
  type Lab = {
    labId: string;
    name: string;
    keys: { keyId: string; label: string | null; revokedAt: string | null }[];
  };
  const r = await call<{ labs: Lab[] }>("GET", "/v1/authority/labs");
  const list = $("lab-list");
  if (!r.ok) return fill(list, el("li", { class: "note" }, failure(r)));
  fill(
    list,
    ...r.data.labs.map((lab) => {
      const newKey = el("button", { type: "button", class: "btn small" }, t("labs.newkey"));
      newKey.addEventListener("click", async () => {
        const k = await call<{ labKey: string }>("POST", `/v1/authority/labs/${lab.labId}/keys`, {});
        $("lab-key").textContent = k.ok ? `${t("labs.key")}${k.data.labKey}` : failure(k);
        await loadLabs();
      });
      const keys = lab.keys.map((k) => {
        if (k.revokedAt) return el("li", {}, `${k.label ?? k.keyId} ✕`);
        const revoke = el("button", { type: "button", class: "btn small" }, t("venue.keys.revoke"));
        revoke.addEventListener("click", async () => {
          const d = await call("DELETE", `/v1/authority/labs/${lab.labId}/keys/${k.keyId}`);
          if (!d.ok) toast(failure(d));
          await loadLabs();
        });
        return el("li", {}, `${k.label ?? k.keyId} `, revoke);
      });
      return el(
        "li",
        {},
        el("strong", {}, lab.name),
        " ",
        el("code", {}, lab.labId),
        " ",
        newKey,
        el("ul", {}, ...keys),
      );
    }),
  );
}

function wireLabs(): void {
  const form = $<HTMLFormElement>("lab-form");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const r = await call<{ labKey: string }>("POST", "/v1/authority/labs", { name: formData(form).name });
    // Shown once: the server keeps only its hash.
    $("lab-key").textContent = r.ok ? `${t("labs.key")}${r.data.labKey}` : failure(r);
    if (r.ok) form.reset();
    await loadLabs();
  });
}

// Rule sets

async function loadRules(): Promise<void> {
  type RuleSet = { version: string; publishedAt: string; rules: number; active: boolean };
  const r = await call<{ ruleSets: RuleSet[] }>("GET", "/v1/authority/rule-sets");
  const list = $("rule-list");
  if (!r.ok) return fill(list, el("li", { class: "note" }, failure(r)));
  fill(
    list,
    ...r.data.ruleSets.map((s) =>
      el(
        "li",
        {},
        el("strong", {}, s.version),
        ` · ${s.rules} · ${when(s.publishedAt, currentLang())}`,
        s.active ? ` · ✓ ${t("rules.active")}` : "",
      ),
    ),
  );
}

function wireRules(): void {
  const form = $<HTMLFormElement>("rule-form");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    let body: unknown;
    try {
      body = JSON.parse(formData(form).json ?? "");
    } catch {
      $("rule-result").textContent = `${t("error.generic")}JSON`;
      return;
    }
    // A new version is never published straight from the form: first what it would do to everyone.
    $("rule-result").textContent = "";
    await startPreview(
      (method, path, b) => call(method, path, b),
      body,
      (r) => {
        $("rule-result").textContent = failure(r);
      },
    );
  });
  $("rule-publish").addEventListener("click", async () => {
    const r = await publishPreviewed((method, path, b) => call(method, path, b));
    if (!r) return;
    $("rule-result").textContent = r.ok ? `${t("rules.published")}✓ ${r.data.version}` : failure(r);
    if (r.ok) form.reset();
    await loadRules();
  });
}

// Appeals

async function loadAppeals(): Promise<void> {
  type Appeal = {
    appealId: string;
    kind: string;
    text: string;
    state: string;
    createdAt: string;
    overdue: boolean;
    answer?: string;
  };
  const r = await call<{ appeals: Appeal[] }>("GET", "/v1/authority/appeals");
  const list = $("appeal-list");
  if (!r.ok) return fill(list, el("li", { class: "note" }, failure(r)));
  const lang = currentLang();
  fill(
    list,
    ...(r.data.appeals.length
      ? r.data.appeals.map((a) => {
          const item = el(
            "li",
            { class: a.overdue ? "overdue" : "" },
            el(
              "p",
              {},
              `${when(a.createdAt, lang)} · ${a.kind} · ${a.state}${a.overdue ? ` · ! ${t("appeals.overdue")}` : ""}`,
            ),
            el("p", {}, a.text),
          );
          if (a.answer) item.append(el("p", { class: "note" }, a.answer));
          else {
            const id = `answer-${a.appealId}`;
            const form = el(
              "form",
              { class: "stack" },
              el("label", { for: id }, t("appeals.answer")),
              el("textarea", { id, name: "answer", rows: "2", required: true }),
              el("button", { type: "submit", class: "btn small" }, t("appeals.answer")),
            ) as HTMLFormElement;
            form.addEventListener("submit", async (e) => {
              e.preventDefault();
              const res = await call(
                "POST",
                `/v1/authority/appeals/${encodeURIComponent(a.appealId)}/answer`,
                {
                  answer: formData(form).answer,
                },
              );
              if (!res.ok) toast(failure(res));
              await loadAppeals();
            });
            item.append(form);
          }
          return item;
        })
      : [el("li", { class: "note" }, t("none"))]),
  );
}

// Venues waiting for verification: a venue is run by whoever registers it.

async function loadVenues(): Promise<void> {
  type Venue = {
    venueId: string;
    name: string;
    category: string;
    address: string;
    districtCode: string;
    createdAt: string;
    creditCode: string | null;
  };
  const r = await call<{ venues: Venue[] }>("GET", "/v1/authority/venues?status=unverified&limit=100");
  const list = $("venue-list");
  if (!r.ok) return fill(list, el("li", { class: "note" }, failure(r)));
  const lang = currentLang();
  fill(
    list,
    ...(r.data.venues.length
      ? r.data.venues.map((v) => {
          const verify = el("button", { type: "button", class: "btn small" }, t("venues.verify"));
          verify.addEventListener("click", async () => {
            const res = await call(
              "POST",
              `/v1/authority/venues/${encodeURIComponent(v.venueId)}/verify`,
              {},
            );
            $("venue-result").textContent = res.ok ? `${t("venues.verified")}${v.name}` : failure(res);
            await loadVenues();
          });
          return el(
            "li",
            {},
            el("strong", {}, v.name),
            ` · ${v.category} · ${v.address} · ${v.districtCode} · ${when(v.createdAt, lang)} · `,
            v.creditCode
              ? el("span", {}, `${t("venues.creditCode")}: `, el("code", {}, v.creditCode))
              : el("span", { class: "note" }, t("venues.noCreditCode")),
            " ",
            el("code", {}, v.venueId),
            " ",
            verify,
          );
        })
      : [el("li", { class: "note" }, t("none"))]),
  );
}

// Imports

function wireImports(): void {
  const form = $<HTMLFormElement>("import-form");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const r = await call<{
      accepted: number;
      duplicates: number;
      rejected: { line: number; message: string }[];
    }>("POST", "/v1/authority/imports", undefined, formData(form).body ?? "");
    if (!r.ok) {
      $("import-result").textContent = failure(r);
      return;
    }
    const { accepted, duplicates, rejected } = r.data;
    $("import-result").textContent = [
      t("imports.done")
        .replace("{a}", String(accepted))
        .replace("{d}", String(duplicates))
        .replace("{r}", String(rejected.length)),
      ...rejected.map((x) => `#${x.line}: ${x.message}`),
    ].join("\n");
  });
}

const LOADERS: Partial<Record<(typeof VIEWS)[number], () => Promise<void>>> = {
  stats: loadStats,
  risk: loadRiskAreas,
  labs: loadLabs,
  rules: async () => {
    rerenderPreview();
    await loadRules();
  },
  appeals: loadAppeals,
  venues: loadVenues,
};

function route(): void {
  const v = showView(location.hash.slice(1), VIEWS) as (typeof VIEWS)[number];
  void LOADERS[v]?.();
}

initChrome();
wireRisk();
wireEvents();
wireLabs();
wireRules();
wireImports();
$("stats-refresh").addEventListener("click", () => void loadStats());
onLangChange(route);
signIn(
  boot,
  (tok) => {
    token = tok;
    $("app").hidden = false;
    window.addEventListener("hashchange", route);
    route();
  },
  (msg) => toast(t("error.generic") + msg),
);

export type { Key };
