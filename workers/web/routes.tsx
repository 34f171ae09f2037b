import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { acceptLanguages, type Lang, pickLang } from "../../web/i18n";
import { AuthorityPage } from "../../web/pages/authority";
import { PersonPage } from "../../web/pages/person";
import { VenuePage } from "../../web/pages/venue";
import { type AppEnv, newApp } from "../app";
import { verifyPlaceCode } from "../venues/place-code";
import { findVenue } from "../venues/repo";
import { bootFor } from "./boot";

// Scripts, styles and images come from our own origin only; the QR codes are data: or same-origin SVG
// shown through <img>, which never runs script. Camera access is for scanning codes on this origin.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "media-src 'self' blob: mediastream:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join("; ");

/** The language the page is first rendered in: the remembered choice, else the browser's. */
function langOf(c: Context<AppEnv>): Lang {
  return pickLang(getCookie(c, "lang"), acceptLanguages(c.req.header("accept-language")));
}

function headers(c: Context<AppEnv>) {
  c.header("content-security-policy", CSP);
  c.header("x-content-type-options", "nosniff");
  // Place-code URLs are bearer-like: they must not leak to other sites through Referer.
  c.header("referrer-policy", "no-referrer");
  c.header("permissions-policy", "camera=(self), geolocation=(self)");
  // The shell is tiny and personal data only ever arrives through no-store API calls.
  c.header("cache-control", "no-cache");
  c.header("vary", "accept-language, cookie");
}

const large = (c: Context<AppEnv>) => getCookie(c, "large") === "1";

/** Sends a page with its doctype (standards mode: the layout relies on it). */
async function page(
  c: Context<AppEnv>,
  node: { toString(): string | Promise<string> },
  status: 200 | 400 = 200,
) {
  headers(c);
  // The Workers runtime compresses a body itself when the response names an encoding (encodeBody
  // "automatic"); compressing here as well (hono/compress) would send it gzipped twice.
  if (/\bgzip\b/.test(c.req.header("accept-encoding") ?? "")) c.header("content-encoding", "gzip");
  return c.html(`<!doctype html>${await node.toString()}`, status);
}

/** The three apps' pages. Plain Hono routes (not OpenAPI): they are HTML, not part of the API. */
export const webRoutes = newApp()
  .get("/", (c) => page(c, <PersonPage lang={langOf(c)} boot={bootFor(c.env, "person")} large={large(c)} />))
  .get("/venue", (c) =>
    page(c, <VenuePage lang={langOf(c)} boot={bootFor(c.env, "venue")} large={large(c)} />),
  )
  .get("/authority", (c) =>
    page(c, <AuthorityPage lang={langOf(c)} boot={bootFor(c.env, "authority")} large={large(c)} />),
  )
  // What a phone camera opens from a poster: the person app with the place code filled in, so one tap
  // checks in. An invalid, expired or replaced code is refused here already, as POST /v1/checkins would.
  .get("/c/:placeCode", async (c) => {
    const placeCode = c.req.param("placeCode");
    const lang = langOf(c);
    const check = placeCode.length <= 2048 ? await verifyPlaceCode(c.env, placeCode) : null;
    const venue = check?.ok ? await findVenue(c.env, check.claims.venueId) : undefined;
    if (!check?.ok || !venue || venue.closedAt || venue.placeCodeGen !== check.claims.gen) {
      const expired = check !== null && !check.ok && check.reason === "expired";
      return page(c, <InvalidPlace lang={lang} expired={expired} />, 400);
    }
    const boot = bootFor(c.env, "person", { placeCode, venue: { name: venue.name, address: venue.address } });
    const res = await page(c, <PersonPage lang={lang} boot={boot} large={large(c)} />);
    res.headers.set("cache-control", "no-store");
    return res;
  });

function InvalidPlace({ lang, expired }: { lang: Lang; expired: boolean }) {
  return (
    <html lang={lang === "zh" ? "zh-CN" : "en"}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>场所码无效 · Invalid place code</title>
        <link rel="stylesheet" href="/static/app.css" />
      </head>
      <body>
        <main id="main" class="card">
          {expired ? (
            <>
              <h1 lang="zh-CN">场所码已过期</h1>
              <p lang="zh-CN">请重新扫描屏幕上的场所码。</p>
              <p lang="en">This on-screen code has expired: scan the code on the screen again.</p>
            </>
          ) : (
            <>
              <h1 lang="zh-CN">场所码无效</h1>
              <p lang="zh-CN">此二维码不是有效的场所码，请勿使用转发的场所码。</p>
              <p lang="en">
                This is not a valid place code. Do not use a forwarded code: scan the poster at the venue.
              </p>
            </>
          )}
          <p>
            <a href="/">健康码 · Health code</a>
          </p>
        </main>
      </body>
    </html>
  );
}
