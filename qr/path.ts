import type { QrMatrix } from "./encode";

/**
 * The dark modules as one SVG path in module units, offset by a quiet zone of `border` modules:
 * one rectangle per horizontal run rather than per module, which keeps a version-14 code's path
 * several times shorter. Draw it with `shape-rendering="crispEdges"` so rows do not show seams.
 */
export function qrPath(qr: QrMatrix, border = 4): string {
  const { size, modules } = qr;
  const parts: string[] = [];
  for (let y = 0; y < size; y++) {
    const row = y * size;
    for (let x = 0; x < size; ) {
      if (modules[row + x] === 0) {
        x++;
        continue;
      }
      const start = x;
      while (x < size && modules[row + x] === 1) x++;
      const len = x - start;
      parts.push(`M${start + border} ${y + border}h${len}v1h-${len}z`);
    }
  }
  return parts.join("");
}
