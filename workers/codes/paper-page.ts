import type { Color } from "../../durable/rules/facts";
import { peopleTimes } from "../../durable/rules/people-time";

const COLOR_TEXT: Record<Color, { zh: string; en: string; hex: string }> = {
  green: { zh: "绿码", en: "Green", hex: "#0a7d32" },
  yellow: { zh: "黄码", en: "Yellow", hex: "#b58900" },
  red: { zh: "红码", en: "Red", hex: "#c0392b" },
};

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!,
  );

/** Dates as people there read them, in both of the page's languages (Asia/Shanghai). */
function local(iso: string): string {
  const t = peopleTimes(iso);
  return `${t.zh} · ${t.en}`;
}

export interface PaperPage {
  maskedName: string;
  color: Color;
  issuedAt: string;
  expiresAt: string;
  codeId: string;
  qrSvg: string;
}

/**
 * A printable A5/A4 page for someone without a phone. It carries the masked name only, so a lost
 * printout reveals little; the colour printed is the one at printing time, and scanners online see
 * the colour now.
 */
export function renderPaperPage(p: PaperPage): string {
  const c = COLOR_TEXT[p.color];
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>纸质健康码 Paper health code</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:0;padding:24px;color:#111}
.card{max-width:420px;margin:auto;border:3px solid ${c.hex};border-radius:12px;padding:20px;text-align:center}
.marker{display:inline-block;border:2px solid #111;border-radius:6px;padding:2px 10px;font-weight:700;letter-spacing:.1em}
.color{color:${c.hex};font-size:1.6em;font-weight:700;margin:8px 0}
.qr svg{width:100%;max-width:320px;height:auto}
dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;text-align:left}
dt{font-weight:600}
.note{font-size:.8em;color:#444}
@media print{body{padding:0}.noprint{display:none}}
</style></head>
<body><main class="card">
<div class="marker" data-kind="paper">纸质码 · PAPER CODE</div>
<div class="color">${c.zh} · ${c.en}</div>
<div class="qr">${p.qrSvg}</div>
<dl>
<dt>姓名 Name</dt><dd data-field="maskedName">${escapeHtml(p.maskedName)}</dd>
<dt>签发 Issued</dt><dd data-field="issuedAt" data-iso="${p.issuedAt}">${local(p.issuedAt)}</dd>
<dt>有效至 Valid until</dt><dd data-field="expiresAt" data-iso="${p.expiresAt}">${local(p.expiresAt)}</dd>
<dt>编号 Code no.</dt><dd data-field="codeId">${escapeHtml(p.codeId)}</dd>
</dl>
<p class="note">颜色为打印时的颜色，扫码以实时结果为准。遗失请挂失（本人、监护人或社区）。<br>
The colour is the one at printing; a scan shows the colour now. If lost, have it revoked (holder, guardian or community centre).</p>
<button class="noprint" onclick="print()">打印 Print</button>
</main></body></html>`;
}
