// One base64url for the whole Worker. Workers have no Buffer without nodejs_compat; btoa/atob are
// the portable path.

export function encodeBase64url(bytes: Uint8Array | ArrayBuffer): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = "";
  for (const b of view) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Strict decoding: throws on anything but the base64url alphabet, so a mistyped secret or a
 * careless client's standard-alphabet key fails loudly instead of being silently reinterpreted.
 * Padding is refused unless `allowPadding` (operators may paste padded secrets); push keys travel
 * unpadded (RFC 8291 §3.2, RFC 8292 §3.2).
 */
export function decodeBase64url(
  text: string,
  opts: { allowPadding?: boolean } = {},
): Uint8Array<ArrayBuffer> {
  const pattern = opts.allowPadding ? /^[A-Za-z0-9_-]*={0,2}$/ : /^[A-Za-z0-9_-]*$/;
  if (!pattern.test(text)) throw new TypeError("not base64url");
  const body = text.replace(/=+$/, "");
  if (body.length % 4 === 1) throw new TypeError("not base64url");
  const binary = atob(body.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (body.length % 4)) % 4));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
