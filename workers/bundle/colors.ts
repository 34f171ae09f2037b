import type { Bundle } from "../../verifier";

/** What a scanner shows and does for each colour; shipped in the bundle so apps need no update to relabel. */
export const COLOR_VOCABULARY: Bundle["colors"] = {
  green: { zh: "绿码：通行", en: "Green: may enter", entry: "pass" },
  yellow: { zh: "黄码：限制通行，请核酸检测", en: "Yellow: restricted, take a test", entry: "restricted" },
  red: { zh: "红码：禁止通行，请联系社区", en: "Red: may not enter, contact your community", entry: "deny" },
};
