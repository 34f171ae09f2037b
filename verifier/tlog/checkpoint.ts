// C2SP tlog-checkpoint: the note text "<origin>\n<size>\n<base64 root>\n" and optional extension lines.

import { fromBase64, toBase64 } from "./bytes";
import { HASH_SIZE, type Hash } from "./hash";

export interface Checkpoint {
  origin: string;
  size: number;
  root: Hash;
  extensions: string[];
}

export function formatCheckpoint(c: Omit<Checkpoint, "extensions"> & { extensions?: string[] }): string {
  const ext = (c.extensions ?? []).map((l) => `${l}\n`).join("");
  return `${c.origin}\n${c.size}\n${toBase64(c.root)}\n${ext}`;
}

/** Parses a checkpoint body (the text of a signed note); null when malformed. */
export function parseCheckpoint(text: string): Checkpoint | null {
  if (!text.endsWith("\n")) return null;
  const lines = text.slice(0, -1).split("\n");
  if (lines.length < 3) return null;
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) return null;
  if (!/^(?:0|[1-9][0-9]*)$/.test(sizeText)) return null;
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) return null;
  const root = fromBase64(rootText);
  if (!root || root.length !== HASH_SIZE) return null;
  if (extensions.some((l) => l.length === 0)) return null;
  return { origin, size, root, extensions };
}
