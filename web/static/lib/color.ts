import { COLORS, type Color } from "../../../schema/vocabulary";
import { COLOR_ENTRY, COLOR_ICON } from "../../i18n";
import { t } from "./i18n";

export type { Color };

export const isColor = (c: unknown): c is Color => (COLORS as readonly unknown[]).includes(c);

/** The colour in words and an icon, so it never depends on seeing colour: "✓ 绿码 · 可以通行". */
export function colorWords(color: Color): string {
  return `${COLOR_ICON[color]} ${t(`color.${color}`)} · ${t(`entry.${COLOR_ENTRY[color]}`)}`;
}

/**
 * The QR's modules in the colour itself, as people know a health code, each dark enough on white
 * (contrast ≥ 5:1, the words' own colours) that cameras and venue scanners still read it; the browser
 * test decodes all three from a screenshot.
 */
export const QR_INK: Record<Color, string> = { green: "#1a7f37", yellow: "#8a6500", red: "#c62828" };
