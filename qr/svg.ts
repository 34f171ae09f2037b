import { type Ecc, encodeQr } from "./encode";
import { qrPath } from "./path";

const escapeAttr = (value: string) =>
  value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * A QR code as SVG. Error correction M keeps a ~350-character code at version ~13, which a phone
 * camera reads at arm's length; the quiet zone is the standard four modules.
 */
export function qrSvg(text: string, opts: { ecc?: Ecc; colour?: string } = {}): string {
  const qr = encodeQr(text, opts.ecc ?? "M");
  const side = qr.size + 8;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}" shape-rendering="crispEdges">` +
    `<rect fill="#fff" width="${side}" height="${side}"/>` +
    `<path fill="${escapeAttr(opts.colour ?? "#000")}" d="${qrPath(qr, 4)}"/></svg>`
  );
}
