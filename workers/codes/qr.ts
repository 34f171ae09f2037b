import { renderSVG } from "uqr";

/**
 * A QR code as SVG. Error correction M keeps a ~350-character code at version ~13, which a phone
 * camera reads at arm's length; the quiet zone is the standard four modules.
 */
export function qrSvg(text: string, opts: { ecc?: "L" | "M" | "Q" | "H"; colour?: string } = {}): string {
  return renderSVG(text, {
    ecc: opts.ecc ?? "M",
    border: 4,
    blackColor: opts.colour ?? "#000",
    whiteColor: "#fff",
  });
}
