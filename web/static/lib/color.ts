import { COLORS, type Color } from "../../../schema/vocabulary";
import { COLOR_ENTRY, COLOR_ICON } from "../../i18n";
import { t } from "./i18n";

export type { Color };

export const isColor = (c: unknown): c is Color => (COLORS as readonly unknown[]).includes(c);

/** The colour in words and an icon, so it never depends on seeing colour: "✓ 绿码 · 可以通行". */
export function colorWords(color: Color): string {
  return `${COLOR_ICON[color]} ${t(`color.${color}`)} · ${t(`entry.${COLOR_ENTRY[color]}`)}`;
}
