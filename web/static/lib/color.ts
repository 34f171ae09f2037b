import { COLOR_ENTRY, COLOR_ICON } from "../../i18n";
import { t } from "./i18n";

export type Color = "green" | "yellow" | "red";

export const isColor = (c: unknown): c is Color => c === "green" || c === "yellow" || c === "red";

/** The colour in words and an icon, so it never depends on seeing colour: "✓ 绿码 · 可以通行". */
export function colorWords(color: Color): string {
  return `${COLOR_ICON[color]} ${t(`color.${color}`)} · ${t(`entry.${COLOR_ENTRY[color]}`)}`;
}
