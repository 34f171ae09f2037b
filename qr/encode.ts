/**
 * A QR Code Model 2 encoder (ISO/IEC 18004) on typed arrays. It follows the reference algorithm
 * uqr used (Nayuki's): the same segment mode (numeric, alphanumeric or UTF-8 bytes), the smallest
 * version that fits at the requested error correction level, and the mask with the lowest penalty
 * score, the first one on a tie. So for a given text it draws the same modules as uqr did, but
 * several times faster: uqr scored the 8 masks over arrays of arrays of booleans with `unshift`
 * per run, which was most of a code refresh's time.
 */

export type Ecc = "L" | "M" | "Q" | "H";

export interface QrMatrix {
  /** 1–40; the side is `version * 4 + 17` modules. */
  version: number;
  ecc: Ecc;
  mask: number;
  /** Modules per side, without a quiet zone. */
  size: number;
  /** `size * size` modules row by row, 1 = dark. */
  modules: Uint8Array;
}

/** Table row of each level, and the two bits the format information gives it. */
const ECC_ORDINAL: Record<Ecc, number> = { L: 0, M: 1, Q: 2, H: 3 };
const ECC_FORMAT_BITS: Record<Ecc, number> = { L: 1, M: 0, Q: 3, H: 2 };

// ISO/IEC 18004 table 9, by level then version (index 0 unused).
const ECC_CODEWORDS_PER_BLOCK = [
  [
    -1, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28,
    30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
  ],
  [
    -1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28,
    28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
  ],
  [
    -1, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30,
    28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
  ],
  [
    -1, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30,
    30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
  ],
];
const NUM_ERROR_CORRECTION_BLOCKS = [
  [
    -1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16,
    17, 18, 19, 19, 20, 21, 22, 24, 25,
  ],
  [
    -1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28,
    29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
  ],
  [
    -1, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35,
    38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68,
  ],
  [
    -1, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42,
    45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81,
  ],
];

const PENALTY_N1 = 3;
const PENALTY_N2 = 3;
const PENALTY_N3 = 40;
const PENALTY_N4 = 10;

/** GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1. */
const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255]!;
}
const gfMul = (a: number, b: number) => (a === 0 || b === 0 ? 0 : EXP[LOG[a]! + LOG[b]!]!);

const divisors = new Map<number, Uint8Array>();
/** Generator polynomial of the given degree, leading 1 dropped, highest power first. */
function rsDivisor(degree: number): Uint8Array {
  let d = divisors.get(degree);
  if (d) return d;
  d = new Uint8Array(degree);
  d[degree - 1] = 1;
  let root = 1;
  for (let i = 0; i < degree; i++) {
    for (let j = 0; j < degree; j++) {
      d[j] = gfMul(d[j]!, root);
      if (j + 1 < degree) d[j] = d[j]! ^ d[j + 1]!;
    }
    root = gfMul(root, 2);
  }
  divisors.set(degree, d);
  return d;
}

function rsRemainder(data: Uint8Array, divisor: Uint8Array): Uint8Array {
  const n = divisor.length;
  const out = new Uint8Array(n);
  for (const b of data) {
    const factor = b ^ out[0]!;
    out.copyWithin(0, 1);
    out[n - 1] = 0;
    if (factor === 0) continue;
    const lf = LOG[factor]!;
    for (let i = 0; i < n; i++) {
      const c = divisor[i]!;
      if (c !== 0) out[i] = out[i]! ^ EXP[LOG[c]! + lf]!;
    }
  }
  return out;
}

function rawDataModules(ver: number): number {
  let result = (16 * ver + 128) * ver + 64;
  if (ver >= 2) {
    const numAlign = Math.floor(ver / 7) + 2;
    result -= (25 * numAlign - 10) * numAlign - 55;
    if (ver >= 7) result -= 36;
  }
  return result;
}

function dataCodewords(ver: number, ecc: number): number {
  return (
    Math.floor(rawDataModules(ver) / 8) -
    ECC_CODEWORDS_PER_BLOCK[ecc]![ver]! * NUM_ERROR_CORRECTION_BLOCKS[ecc]![ver]!
  );
}

function alignmentPositions(ver: number): number[] {
  if (ver === 1) return [];
  const numAlign = Math.floor(ver / 7) + 2;
  const step = ver === 32 ? 26 : Math.ceil((ver * 4 + 4) / (numAlign * 2 - 2)) * 2;
  const result = [6];
  for (let pos = ver * 4 + 17 - 7; result.length < numAlign; pos -= step) result.splice(1, 0, pos);
  return result;
}

/* -- Segments: one, in the densest mode the whole text allows (as uqr chose) -- */

const ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
type Mode = { indicator: number; countBits: [number, number, number] };
const NUMERIC: Mode = { indicator: 1, countBits: [10, 12, 14] };
const ALNUM: Mode = { indicator: 2, countBits: [9, 11, 13] };
const BYTE: Mode = { indicator: 4, countBits: [8, 16, 16] };
const countBits = (mode: Mode, ver: number) => mode.countBits[Math.floor((ver + 7) / 17)]!;

class BitWriter {
  readonly bytes: Uint8Array;
  length = 0;
  constructor(capacityBits: number) {
    this.bytes = new Uint8Array(Math.ceil(capacityBits / 8) + 4);
  }
  put(value: number, bits: number): void {
    for (let i = bits - 1; i >= 0; i--) {
      if ((value >>> i) & 1) this.bytes[this.length >>> 3]! |= 0x80 >>> (this.length & 7);
      this.length++;
    }
  }
}

interface Segment {
  mode: Mode;
  count: number;
  bits: number;
  write(w: BitWriter): void;
}

function segmentFor(text: string): Segment | null {
  if (text === "") return null;
  if (/^\d*$/.test(text)) {
    return {
      mode: NUMERIC,
      count: text.length,
      bits: Math.floor(text.length / 3) * 10 + [0, 4, 7][text.length % 3]!,
      write(w) {
        for (let i = 0; i < text.length; i += 3) {
          const n = Math.min(3, text.length - i);
          w.put(Number.parseInt(text.slice(i, i + n), 10), n * 3 + 1);
        }
      },
    };
  }
  if (/^[A-Z0-9 $%*+./:-]*$/.test(text)) {
    return {
      mode: ALNUM,
      count: text.length,
      bits: Math.floor(text.length / 2) * 11 + (text.length % 2) * 6,
      write(w) {
        let i = 0;
        for (; i + 2 <= text.length; i += 2)
          w.put(ALPHANUMERIC.indexOf(text[i]!) * 45 + ALPHANUMERIC.indexOf(text[i + 1]!), 11);
        if (i < text.length) w.put(ALPHANUMERIC.indexOf(text[i]!), 6);
      },
    };
  }
  const bytes = new TextEncoder().encode(text);
  return {
    mode: BYTE,
    count: bytes.length,
    bits: bytes.length * 8,
    write(w) {
      for (const b of bytes) w.put(b, 8);
    },
  };
}

/* -- The matrix -- */

class Grid {
  readonly modules: Uint8Array;
  readonly fixed: Uint8Array;
  constructor(readonly size: number) {
    this.modules = new Uint8Array(size * size);
    this.fixed = new Uint8Array(size * size);
  }
  setFunction(x: number, y: number, dark: boolean): void {
    const i = y * this.size + x;
    this.modules[i] = dark ? 1 : 0;
    this.fixed[i] = 1;
  }
}

function drawFinder(g: Grid, cx: number, cy: number): void {
  for (let dy = -4; dy <= 4; dy++) {
    for (let dx = -4; dx <= 4; dx++) {
      const x = cx + dx;
      const y = cy + dy;
      if (x < 0 || x >= g.size || y < 0 || y >= g.size) continue;
      const dist = Math.max(Math.abs(dx), Math.abs(dy));
      g.setFunction(x, y, dist !== 2 && dist !== 4);
    }
  }
}

function drawAlignment(g: Grid, cx: number, cy: number): void {
  for (let dy = -2; dy <= 2; dy++)
    for (let dx = -2; dx <= 2; dx++)
      g.setFunction(cx + dx, cy + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
}

function formatBits(ecc: Ecc, mask: number): number {
  const data = (ECC_FORMAT_BITS[ecc] << 3) | mask;
  let rem = data;
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  return ((data << 10) | rem) ^ 0x5412;
}

/** Writes both copies of the format information into `m` (function modules already marked). */
function drawFormat(m: Uint8Array, size: number, bits: number): void {
  const bit = (i: number) => (bits >>> i) & 1;
  for (let i = 0; i <= 5; i++) m[i * size + 8] = bit(i);
  m[7 * size + 8] = bit(6);
  m[8 * size + 8] = bit(7);
  m[8 * size + 7] = bit(8);
  for (let i = 9; i < 15; i++) m[8 * size + (14 - i)] = bit(i);
  for (let i = 0; i < 8; i++) m[8 * size + (size - 1 - i)] = bit(i);
  for (let i = 8; i < 15; i++) m[(size - 15 + i) * size + 8] = bit(i);
  m[(size - 8) * size + 8] = 1;
}

function drawFunctionPatterns(g: Grid, version: number, ecc: Ecc): void {
  const { size } = g;
  for (let i = 0; i < size; i++) {
    g.setFunction(6, i, i % 2 === 0);
    g.setFunction(i, 6, i % 2 === 0);
  }
  drawFinder(g, 3, 3);
  drawFinder(g, size - 4, 3);
  drawFinder(g, 3, size - 4);
  const pos = alignmentPositions(version);
  const n = pos.length;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const corner = (i === 0 && j === 0) || (i === 0 && j === n - 1) || (i === n - 1 && j === 0);
      if (!corner) drawAlignment(g, pos[i]!, pos[j]!);
    }
  }
  // The format areas are function modules too; their content is written again for each mask.
  drawFormat(g.modules, size, formatBits(ecc, 0));
  drawFormat(g.fixed, size, 0x7fff);
  if (version >= 7) {
    let rem = version;
    for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
    const bits = (version << 12) | rem;
    for (let i = 0; i < 18; i++) {
      const dark = ((bits >>> i) & 1) === 1;
      const a = size - 11 + (i % 3);
      const b = Math.floor(i / 3);
      g.setFunction(a, b, dark);
      g.setFunction(b, a, dark);
    }
  }
}

/** Data and error correction codewords, blocks interleaved. */
function codewords(data: Uint8Array, version: number, ecc: number): Uint8Array {
  const numBlocks = NUM_ERROR_CORRECTION_BLOCKS[ecc]![version]!;
  const blockEccLen = ECC_CODEWORDS_PER_BLOCK[ecc]![version]!;
  const raw = Math.floor(rawDataModules(version) / 8);
  const numShort = numBlocks - (raw % numBlocks);
  const shortLen = Math.floor(raw / numBlocks);
  const shortData = shortLen - blockEccLen;
  const divisor = rsDivisor(blockEccLen);
  const blocks: { data: Uint8Array; ecc: Uint8Array }[] = [];
  for (let i = 0, k = 0; i < numBlocks; i++) {
    const len = shortData + (i < numShort ? 0 : 1);
    const dat = data.subarray(k, k + len);
    k += len;
    blocks.push({ data: dat, ecc: rsRemainder(dat, divisor) });
  }
  const out = new Uint8Array(raw);
  let o = 0;
  for (let i = 0; i <= shortData; i++) {
    for (const b of blocks) if (i < b.data.length) out[o++] = b.data[i]!;
  }
  for (let i = 0; i < blockEccLen; i++) for (const b of blocks) out[o++] = b.ecc[i]!;
  return out;
}

function drawCodewords(g: Grid, all: Uint8Array): void {
  const { size, modules, fixed } = g;
  const totalBits = all.length * 8;
  let i = 0;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    const upward = ((right + 1) & 2) === 0;
    for (let vert = 0; vert < size; vert++) {
      const y = upward ? size - 1 - vert : vert;
      for (let j = 0; j < 2; j++) {
        const idx = y * size + right - j;
        if (fixed[idx] === 0 && i < totalBits) {
          modules[idx] = (all[i >>> 3]! >>> (7 - (i & 7))) & 1;
          i++;
        }
      }
    }
  }
}

function maskBit(mask: number, x: number, y: number): boolean {
  switch (mask) {
    case 0:
      return (x + y) % 2 === 0;
    case 1:
      return y % 2 === 0;
    case 2:
      return x % 3 === 0;
    case 3:
      return (x + y) % 3 === 0;
    case 4:
      return (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0;
    case 5:
      return ((x * y) % 2) + ((x * y) % 3) === 0;
    case 6:
      return (((x * y) % 2) + ((x * y) % 3)) % 2 === 0;
    default:
      return (((x + y) % 2) + ((x * y) % 3)) % 2 === 0;
  }
}

/**
 * Per version: the function modules and, for each mask, which modules it inverts (only data
 * modules). Both depend on the version alone, so every later code of that version reuses them.
 */
interface Layout {
  fixed: Uint8Array;
  masks: Uint8Array[];
}
const layouts = new Map<number, Layout>();

function layoutFor(version: number, g: Grid): Layout {
  let layout = layouts.get(version);
  if (layout) return layout;
  const { size, fixed } = g;
  const masks: Uint8Array[] = [];
  for (let mask = 0; mask < 8; mask++) {
    const pattern = new Uint8Array(size * size);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const i = y * size + x;
        if (fixed[i] === 0 && maskBit(mask, x, y)) pattern[i] = 1;
      }
    }
    masks.push(pattern);
  }
  layout = { fixed: fixed.slice(), masks };
  layouts.set(version, layout);
  return layout;
}

function applyMask(out: Uint8Array, base: Uint8Array, pattern: Uint8Array): void {
  for (let i = 0; i < out.length; i++) out[i] = base[i]! ^ pattern[i]!;
}

function transpose(out: Uint8Array, m: Uint8Array, size: number): void {
  for (let y = 0, i = 0; y < size; y++) for (let x = 0; x < size; x++, i++) out[x * size + y] = m[i]!;
}

/* -- Penalty (ISO/IEC 18004 §7.8.3): runs, 2×2 blocks, finder-like patterns, balance -- */

/** The last 7 run lengths, newest first (a shift of 7 numbers beats `unshift`/`pop` on arrays). */
function addHistory(run: number, h: Int32Array, size: number): void {
  const r = h[0] === 0 ? run + size : run; // the light border before the line counts as a run
  h[6] = h[5]!;
  h[5] = h[4]!;
  h[4] = h[3]!;
  h[3] = h[2]!;
  h[2] = h[1]!;
  h[1] = h[0]!;
  h[0] = r;
}

function countFinderLike(h: Int32Array): number {
  const n = h[1]!;
  const core = n > 0 && h[2] === n && h[3] === n * 3 && h[4] === n && h[5] === n;
  return (core && h[0]! >= n * 4 && h[6]! >= n ? 1 : 0) + (core && h[6]! >= n * 4 && h[0]! >= n ? 1 : 0);
}

function terminateAndCount(color: number, run: number, h: Int32Array, size: number): number {
  let r = run;
  if (color) {
    addHistory(r, h, size);
    r = 0;
  }
  addHistory(r + size, h, size);
  return countFinderLike(h);
}

/** One line (row or column) of modules at `start`, `step` apart. */
function linePenalty(m: Uint8Array, start: number, step: number, size: number, h: Int32Array): number {
  let result = 0;
  let color = 0;
  let run = 0;
  h.fill(0);
  for (let k = 0, i = start; k < size; k++, i += step) {
    const c = m[i]!;
    if (c === color) {
      run++;
      if (run === 5) result += PENALTY_N1;
      else if (run > 5) result++;
    } else {
      addHistory(run, h, size);
      if (color === 0) result += countFinderLike(h) * PENALTY_N3;
      color = c;
      run = 1;
    }
  }
  return result + terminateAndCount(color, run, h, size) * PENALTY_N3;
}

/** Penalty of `m`; `t` is scratch space of the same size (columns are scored as rows of the transpose). */
export function penaltyScore(m: Uint8Array, size: number, t = new Uint8Array(size * size)): number {
  const h = new Int32Array(7);
  let result = 0;
  transpose(t, m, size);
  for (let y = 0; y < size; y++) result += linePenalty(m, y * size, 1, size, h);
  for (let x = 0; x < size; x++) result += linePenalty(t, x * size, 1, size, h);
  let dark = 0;
  for (let i = 0; i < m.length; i++) dark += m[i]!;
  // 2×2 blocks of one colour: the four modules sum to 0 or 4.
  for (let y = 0; y < size - 1; y++) {
    const top = y * size;
    const bottom = top + size;
    let prev = m[top]! + m[bottom]!;
    for (let x = 1; x < size; x++) {
      const pair = m[top + x]! + m[bottom + x]!;
      const sum = prev + pair;
      if (sum === 0 || sum === 4) result += PENALTY_N2;
      prev = pair;
    }
  }
  const total = size * size;
  const k = Math.ceil(Math.abs(dark * 20 - total * 10) / total) - 1;
  return result + k * PENALTY_N4;
}

/** Encodes `text` at the smallest version (up to `maxVersion`) that holds it at level `ecc`. */
export function encodeQr(text: string, ecc: Ecc = "M", maxVersion = 40): QrMatrix {
  const e = ECC_ORDINAL[ecc];
  const seg = segmentFor(text);
  let version = 1;
  let used = 0;
  for (; ; version++) {
    if (version > maxVersion)
      throw new RangeError(`QR: ${text.length} characters do not fit version ${maxVersion}`);
    const cb = seg ? countBits(seg.mode, version) : 0;
    used = seg ? (seg.count >= 2 ** cb ? Number.POSITIVE_INFINITY : 4 + cb + seg.bits) : 0;
    if (used <= dataCodewords(version, e) * 8) break;
  }
  const capacity = dataCodewords(version, e) * 8;
  const w = new BitWriter(capacity);
  if (seg) {
    w.put(seg.mode.indicator, 4);
    w.put(seg.count, countBits(seg.mode, version));
    seg.write(w);
  }
  w.length += Math.min(4, capacity - w.length); // terminator (the buffer is zeroed)
  w.length += (8 - (w.length % 8)) % 8;
  for (let pad = 0xec; w.length < capacity; pad ^= 0xec ^ 0x11) w.put(pad, 8);
  const data = w.bytes.subarray(0, capacity / 8);

  const size = version * 4 + 17;
  const g = new Grid(size);
  drawFunctionPatterns(g, version, ecc);
  drawCodewords(g, codewords(data, version, e));

  const { masks } = layoutFor(version, g);
  const trial = new Uint8Array(size * size);
  const scratch = new Uint8Array(size * size);
  let best = 0;
  let bestScore = Number.POSITIVE_INFINITY;
  for (let mask = 0; mask < 8; mask++) {
    applyMask(trial, g.modules, masks[mask]!);
    drawFormat(trial, size, formatBits(ecc, mask));
    const score = penaltyScore(trial, size, scratch);
    if (score < bestScore) {
      best = mask;
      bestScore = score;
    }
  }
  applyMask(trial, g.modules, masks[best]!);
  drawFormat(trial, size, formatBits(ecc, best));
  return { version, ecc, mask: best, size, modules: trial };
}
