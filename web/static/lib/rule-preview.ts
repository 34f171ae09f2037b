// The rule-set preview in the authority console: start a preview of the JSON in the form, follow its
// progress, show the change matrix, the prefectures and the samples, and only then offer to publish
// exactly that rule set with the preview's id and confirm=true.
import type { ApiResult } from "./api";
import { type Color, colorWords } from "./color";
import { $, el, fill } from "./dom";
import { t } from "./i18n";

type Change = { from: Color; to: Color; count: number };
export interface Preview {
  previewId: string;
  status: "running" | "done";
  evaluated: number;
  total: number;
  changed: number;
  threshold: number;
  changes: Change[];
  byDistrict: { districtCode: string | null; districtName: string | null; changes: Change[] }[];
  samples: {
    maskedName: string;
    districtCode: string | null;
    from: Color;
    to: Color;
    decidedBy: { now: string[]; proposed: string[] };
  }[];
}

type Call = <T>(method: string, path: string, body?: unknown) => Promise<ApiResult<T>>;

const COLORS: readonly Color[] = ["red", "yellow", "green"];
const POLL_MS = 1000;

const short = (c: Color) => colorWords(c).split(" · ")[0] ?? c;
const fmt = (key: Parameters<typeof t>[0], vars: Record<string, string | number>) =>
  Object.entries(vars).reduce((s, [k, v]) => s.replace(`{${k}}`, String(v)), t(key));

function table(head: string[], rows: (string | Node)[][], caption: string): HTMLElement {
  return el(
    "table",
    { class: "grid" },
    el("caption", { class: "sr-only" }, caption),
    el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col" }, h)))),
    el(
      "tbody",
      {},
      ...rows.map(([first, ...rest]) =>
        el("tr", {}, el("th", { scope: "row" }, first), ...rest.map((c) => el("td", {}, c))),
      ),
    ),
  );
}

/** Rows: colour now; columns: colour under the new set; the diagonal (no change) is a dash. */
function matrix(changes: Change[]): HTMLElement {
  const n = (from: Color, to: Color) => changes.find((c) => c.from === from && c.to === to)?.count ?? 0;
  return table(
    ["", ...COLORS.map(short)],
    COLORS.map((from) => [short(from), ...COLORS.map((to) => (from === to ? "—" : String(n(from, to))))]),
    t("rules.matrix"),
  );
}

const changeText = (changes: Change[]) =>
  changes.map((c) => `${short(c.from)} → ${short(c.to)}: ${c.count}`).join("; ");

export function renderPreview(p: Preview): void {
  $("rule-preview").hidden = false;
  const done = p.status === "done";
  $("preview-progress").textContent = fmt(done ? "rules.finished" : "rules.running", {
    e: p.evaluated,
    t: p.total,
  });
  const bar = $<HTMLProgressElement>("preview-bar");
  bar.max = Math.max(1, p.total);
  bar.value = p.evaluated;
  $("preview-changed").textContent =
    p.changed === 0 ? t("rules.nochange") : fmt("rules.changed", { n: p.changed });
  fill($("preview-matrix"), matrix(p.changes));
  fill(
    $("preview-districts"),
    table(
      [t("rules.district"), t("rules.change")],
      p.byDistrict.map((d) => [
        d.districtCode ? `${d.districtName ?? ""} ${d.districtCode}`.trim() : t("rules.noDistrict"),
        changeText(d.changes),
      ]),
      t("rules.districts"),
    ),
  );
  const rules = (ids: string[]) => (ids.length ? ids.join(", ") : t("rules.noRule"));
  fill(
    $("preview-samples"),
    table(
      [t("rules.person"), t("rules.district"), t("rules.change"), t("rules.ruleNow"), t("rules.ruleNew")],
      p.samples.map((s) => [
        s.maskedName,
        s.districtCode ?? "—",
        `${short(s.from)} → ${short(s.to)}`,
        rules(s.decidedBy.now),
        rules(s.decidedBy.proposed),
      ]),
      t("rules.samples"),
    ),
  );
  const publish = $<HTMLButtonElement>("rule-publish");
  publish.textContent = fmt("rules.publishButton", { n: p.changed });
  publish.disabled = !done;
}

/** The preview being shown: its rule set (what the publish button sends) and its last state. */
let current: { body: unknown; preview: Preview | null; previewId: string } | null = null;

export function rerenderPreview(): void {
  if (current?.preview) renderPreview(current.preview);
}

async function follow(
  call: Call,
  previewId: string,
  onError: (r: ApiResult<unknown>) => void,
): Promise<void> {
  while (current?.previewId === previewId) {
    const r = await call<Preview>("GET", `/v1/authority/rule-sets/previews/${previewId}`);
    if (current?.previewId !== previewId) return;
    if (!r.ok) return onError(r);
    current.preview = r.data;
    renderPreview(r.data);
    if (r.data.status === "done") return;
    await new Promise((res) => setTimeout(res, POLL_MS));
  }
}

export async function startPreview(
  call: Call,
  body: unknown,
  onError: (r: ApiResult<unknown>) => void,
): Promise<void> {
  $("rule-publish").setAttribute("disabled", "");
  const r = await call<{ previewId: string }>("POST", "/v1/authority/rule-sets/previews", body);
  if (!r.ok) {
    current = null;
    $("rule-preview").hidden = true;
    return onError(r);
  }
  current = { body, preview: null, previewId: r.data.previewId };
  await follow(call, r.data.previewId, onError);
}

/** Publishes the previewed rule set; the server checks the preview is of this set, finished and recent. */
export async function publishPreviewed(call: Call): Promise<ApiResult<{ version: string }> | null> {
  if (current?.preview?.status !== "done") return null;
  const r = await call<{ version: string }>(
    "POST",
    `/v1/authority/rule-sets?previewId=${encodeURIComponent(current.previewId)}&confirm=true`,
    current.body,
  );
  if (r.ok) {
    current = null;
    $("rule-preview").hidden = true;
  }
  return r;
}
