/**
 * A few hundred bytes of DEFLATE can expand to gigabytes, and SHC payloads are inflated before the
 * signature is checked (the issuer, hence the key, is inside), so output is capped.
 */
export const MAX_INFLATED_BYTES = 1024 * 1024;

/** Raw DEFLATE (RFC 1951, the JWS `zip: "DEF"` form); `null` when corrupt or over the cap. */
export async function inflateRaw(data: Uint8Array, max = MAX_INFLATED_BYTES): Promise<Uint8Array | null> {
  try {
    const stream = new DecompressionStream("deflate-raw");
    const writer = stream.writable.getWriter();
    // Errors surface on the readable side too; these would otherwise be unhandled rejections.
    writer.write(data).catch(() => {});
    writer.close().catch(() => {});
    const reader = stream.readable.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > max) {
        await reader.cancel().catch(() => {});
        return null;
      }
      chunks.push(value);
    }
    const out = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return out;
  } catch {
    return null;
  }
}
