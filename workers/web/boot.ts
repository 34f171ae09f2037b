import type { Boot } from "../../web/pages/layout";
import { config } from "../config";

/**
 * Sign-in buttons for real OpenID providers. They are configured in one place, the `ID_PROVIDERS`
 * var (wrangler.toml), which already says whose ID tokens the API accepts: an entry with a `signIn`
 * block also gets a button that starts the provider's implicit flow (response_type=id_token) and
 * comes back to the page. The client id is the provider entry's `audience`. See web/README.md.
 */
interface SignInConfig {
  label?: string;
  authorizationEndpoint?: string;
  scope?: string;
}

/** https only; development mode also takes a provider run on this machine (http on loopback). */
function acceptableEndpoint(url: string, devMode: boolean): boolean {
  if (url.startsWith("https://")) return true;
  if (!devMode) return false;
  try {
    const u = new URL(url);
    return u.protocol === "http:" && (u.hostname === "127.0.0.1" || u.hostname === "localhost");
  } catch {
    return false;
  }
}

const cache = new WeakMap<object, Boot["providers"]>();

export function signInProviders(env: Env): Boot["providers"] {
  let list = cache.get(env);
  if (!list) {
    list = config(env).idProviders.flatMap(
      (p: { audience?: unknown; issuer?: unknown; signIn?: SignInConfig }) => {
        const s = p?.signIn;
        if (!s || typeof s.authorizationEndpoint !== "string" || typeof p.audience !== "string") return [];
        if (!acceptableEndpoint(s.authorizationEndpoint, config(env).devMode)) return [];
        return [
          {
            label: typeof s.label === "string" ? s.label : String(p.issuer),
            authorizationEndpoint: s.authorizationEndpoint,
            clientId: p.audience,
            scope: typeof s.scope === "string" ? s.scope : "openid",
          },
        ];
      },
    );
    cache.set(env, list);
  }
  return list;
}

export function bootFor(env: Env, page: Boot["page"], extra: Partial<Boot> = {}): Boot {
  return { page, devMode: config(env).devMode, providers: signInProviders(env), ...extra };
}
