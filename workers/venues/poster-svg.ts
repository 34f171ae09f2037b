import { encodeQr } from "../../qr/encode";
import { qrPath } from "../../qr/path";
import type { VenueRow } from "../../schema/d1/venues";
import { CATEGORY_LABEL, escapeXml } from "./present";

const FONT = "'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif";

/** Long names wrap onto at most three lines rather than running off the page. */
function lines(text: string, perLine: number, max = 3): string[] {
  const chars = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < chars.length && out.length < max; i += perLine)
    out.push(chars.slice(i, i + perLine).join(""));
  return out;
}

/**
 * An A4 poster (210 × 297 mm, one user unit = 1 mm). The QR is drawn as one path from the module
 * matrix so that it stays crisp at any print size; error correction Q survives a dirty or creased
 * print, and the 4-module quiet zone is inside the white square.
 */
export function posterSvg(
  venue: Pick<VenueRow, "name" | "category" | "address" | "venueId">,
  url: string,
): string {
  const qr = encodeQr(url, "Q");
  const modules = qr.size + 8; // with the 4-module quiet zone on each side
  const side = 150;
  const cell = side / modules;
  const path = qrPath(qr, 4);
  const category = CATEGORY_LABEL[venue.category];
  const perLine = /[\u3400-\u9fff]/.test(venue.name) ? 14 : 26;
  const nameLines = lines(venue.name, perLine);
  const text = (y: number, size: number, s: string, weight = 400) =>
    `<text x="105" y="${y}" font-size="${size}" font-weight="${weight}" text-anchor="middle">${escapeXml(s)}</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" viewBox="0 0 210 297">`,
    `<title>${escapeXml(venue.name)}: 场所码 / place code</title>`,
    `<rect width="210" height="297" fill="#fff"/>`,
    `<rect width="210" height="14" fill="#0a7c3e"/>`,
    `<g font-family="${FONT}" fill="#111">`,
    `<text x="105" y="10" font-size="7" fill="#fff" text-anchor="middle" font-weight="700">场所码 · Place code</text>`,
    ...nameLines.map((l, i) => text(28 + i * 11, 10, l, 700)),
    text(28 + nameLines.length * 11, 6, `${category.zh} · ${category.en}`),
    `<g transform="translate(${(210 - side) / 2} ${44 + nameLines.length * 11}) scale(${cell})">`,
    `<rect width="${modules}" height="${modules}" fill="#fff"/><path d="${path}" fill="#000" shape-rendering="crispEdges"/></g>`,
    text(210 + nameLines.length * 11, 6, "请用手机相机或健康码应用扫码登记到访", 700),
    text(219 + nameLines.length * 11, 5, "Scan with your phone camera or the HealthPass app to check in"),
    text(231 + nameLines.length * 11, 5, "没有手机？请向工作人员出示证件登记"),
    text(238 + nameLines.length * 11, 4.5, "No phone? Staff can check you in with your ID"),
    `<text x="105" y="288" font-size="3.5" fill="#555" text-anchor="middle">${escapeXml(venue.address)} · ${escapeXml(venue.venueId)}</text>`,
    `<text x="105" y="293" font-size="3" fill="#555" text-anchor="middle">此码经数字签名，仅对本场所有效 · Signed code, valid for this venue only</text>`,
    `</g></svg>`,
  ].join("");
}
