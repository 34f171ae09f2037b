// Each app's sign-in speaks to that app's user: the authority console is for the authority's staff,
// not for a resident applying for a code.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ORIGIN } from "../helpers/api";

const page = async (path: string, lang: string) =>
  (await exports.default.fetch(new Request(ORIGIN + path, { headers: { "accept-language": lang } }))).text();

const PERSON_EN = "Sign in to apply for and show your health code.";
const PERSON_ZH = "登录后可申领和出示健康码。";

describe("sign-in copy", () => {
  it("the authority console addresses the authority's staff, in both languages", async () => {
    const en = await page("/authority", "en");
    expect(en).toContain("For health authority staff");
    expect(en).not.toContain(PERSON_EN);
    const zh = await page("/authority", "zh-CN");
    expect(zh).toContain("仅限卫生健康部门工作人员");
    expect(zh).not.toContain(PERSON_ZH);
  });

  it("the venue app addresses venue owners and staff", async () => {
    const en = await page("/venue", "en");
    expect(en).toContain("Venue owners and staff");
    expect(en).not.toContain(PERSON_EN);
  });

  it("the person app still invites a resident to apply", async () => {
    expect(await page("/", "en")).toContain(PERSON_EN);
  });
});
