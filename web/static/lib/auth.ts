import { api } from "./api";
import type { BootData } from "./dom";

// Each app keeps its own sign-in: the authority console and a person's app may be different accounts
// on one device (an official checking their own code).
const key = (page: string) => `hp.idToken.${page}`;

function claims(token: string): { exp?: number; nonce?: string } | null {
  try {
    const part = token.split(".")[1] ?? "";
    return JSON.parse(atob(part.replace(/-/g, "+").replace(/_/g, "/"))) as { exp?: number; nonce?: string };
  } catch {
    return null;
  }
}

/** The stored ID token while it is still valid for a minute; the API checks it properly. */
export function idToken(page: string): string | null {
  const token = localStorage.getItem(key(page));
  if (!token) return null;
  const exp = claims(token)?.exp;
  if (typeof exp === "number" && exp * 1000 < Date.now() + 60_000) {
    localStorage.removeItem(key(page));
    return null;
  }
  return token;
}

export function signOut(page: string): void {
  localStorage.removeItem(key(page));
}

/** Finishes a provider's implicit flow: the ID token comes back in the URL fragment. */
function completeRedirect(page: string): void {
  if (!location.hash.includes("id_token=")) return;
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get("id_token");
  const expected = sessionStorage.getItem("hp.oidc");
  sessionStorage.removeItem("hp.oidc");
  history.replaceState(null, "", location.pathname + location.search);
  if (!token || !expected) return;
  const { state, nonce } = JSON.parse(expected) as { state: string; nonce: string };
  // state ties the answer to our request; nonce ties the token to it (no replayed tokens).
  if (params.get("state") !== state || claims(token)?.nonce !== nonce) return;
  localStorage.setItem(key(page), token);
}

function startProvider(p: BootData["providers"][number]): void {
  const random = () => crypto.randomUUID();
  const state = random();
  const nonce = random();
  sessionStorage.setItem("hp.oidc", JSON.stringify({ state, nonce, back: location.pathname }));
  const url = new URL(p.authorizationEndpoint);
  url.search = new URLSearchParams({
    client_id: p.clientId,
    response_type: "id_token",
    response_mode: "fragment",
    scope: p.scope,
    redirect_uri: location.origin + location.pathname,
    state,
    nonce,
  }).toString();
  location.assign(url.toString());
}

/** Shows the sign-in panel until a token exists, then calls `ready`. */
export function signIn(boot: BootData, ready: (token: string) => void, onError: (msg: string) => void): void {
  completeRedirect(boot.page);
  const existing = idToken(boot.page);
  const panel = document.getElementById("signin");
  if (existing) {
    if (panel) panel.hidden = true;
    ready(existing);
    return;
  }
  if (!panel) return;
  panel.hidden = false;
  for (const b of panel.querySelectorAll<HTMLButtonElement>("[data-provider]")) {
    const p = boot.providers[Number(b.dataset.provider)];
    if (p) b.addEventListener("click", () => startProvider(p));
  }
  const form = document.getElementById("dev-signin") as HTMLFormElement | null;
  form?.addEventListener("submit", async (e) => {
    e.preventDefault();
    const sub = (form.elements.namedItem("sub") as HTMLInputElement).value.trim();
    const r = await api<{ idToken: string }>("POST", "/dev/id-token", { body: { sub } });
    if (!r.ok) return onError(r.problem?.detail ?? String(r.status));
    localStorage.setItem(key(boot.page), r.data.idToken);
    panel.hidden = true;
    ready(r.data.idToken);
  });
}
