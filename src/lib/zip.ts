/**
 * A small ZIP reader and writer (PKWARE APPNOTE 6.3: local file header §4.3.7, central directory §4.3.12,
 * end of central directory §4.3.16) on the platform's raw DEFLATE (DecompressionStream /
 * CompressionStream 'deflate-raw': browsers and Node ≥ 20). Enough for QTI content packages and what LMSs
 * write: stored (0) and deflated (8) entries, UTF-8 or CP437 names, data descriptors (sizes are read
 * from the central directory). Not supported, with a clear error: encryption, ZIP64, other methods.
 *
 * The input is untrusted, so every size is bounded before and while inflating: an entry's declared size,
 * the sum of declared sizes, and the bytes that actually come out (a zip bomb lies about its sizes; the
 * inflater is cancelled as soon as an entry passes what it declared). CRC-32 is checked.
 */

export class ZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipError';
  }
}

export interface ZipLimits {
  maxEntries: number;
  /** Uncompressed bytes of one entry. */
  maxEntryBytes: number;
  /** Uncompressed bytes of all entries together. */
  maxTotalBytes: number;
}

const DEFAULT_LIMITS: ZipLimits = { maxEntries: 5000, maxEntryBytes: 25 * 1024 * 1024, maxTotalBytes: 100 * 1024 * 1024 };

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Runs `bytes` through a (de)compression stream, stopping with an error past `limit` output bytes. */
async function transform(bytes: Uint8Array, stream: TransformStream<BufferSource, Uint8Array>, limit: number, tooBig: () => ZipError): Promise<Uint8Array> {
  const reader = new Blob([new Uint8Array(bytes)]).stream().pipeThrough(stream).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooBig();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

function decodeName(bytes: Uint8Array, utf8: boolean): string {
  if (utf8) return new TextDecoder().decode(bytes);
  // Without the UTF-8 flag the name is CP437 (APPNOTE appendix D); many tools write UTF-8 anyway.
  const asUtf8 = new TextDecoder('utf-8', { fatal: true });
  try {
    return asUtf8.decode(bytes);
  } catch {
    return [...bytes].map((b) => (b < 128 ? String.fromCharCode(b) : (CP437_HIGH[b - 128] ?? '?'))).join('');
  }
}

/**
 * Reads a ZIP archive into a map of entry name → bytes (directories left out). Throws ZipError when the
 * data is not a ZIP, is damaged, or passes `limits`.
 */
export async function readZip(data: Uint8Array, limits: ZipLimits = DEFAULT_LIMITS): Promise<Map<string, Uint8Array>> {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const u16 = (at: number) => (at + 2 <= data.length ? view.getUint16(at, true) : NaN);
  const u32 = (at: number) => (at + 4 <= data.length ? view.getUint32(at, true) : NaN);

  let eocd = -1;
  for (let at = data.length - 22; at >= Math.max(0, data.length - 22 - 0xffff); at--) {
    if (u32(at) === 0x06054b50) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new ZipError('This is not a ZIP file (no end of central directory).');
  const count = u16(eocd + 10);
  const cdSize = u32(eocd + 12);
  const cdOffset = u32(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new ZipError('ZIP64 archives are not supported.');
  if (count > limits.maxEntries) throw new ZipError(`The ZIP has ${count} entries; the limit is ${limits.maxEntries}.`);
  if (cdOffset + cdSize > eocd) throw new ZipError('The ZIP is damaged (central directory out of range).');

  interface Entry {
    name: string;
    method: number;
    crc: number;
    compressedSize: number;
    size: number;
    localOffset: number;
  }
  const entries: Entry[] = [];
  let declaredTotal = 0;
  let at = cdOffset;
  for (let n = 0; n < count; n++) {
    if (u32(at) !== 0x02014b50) throw new ZipError('The ZIP is damaged (bad central directory entry).');
    const flags = u16(at + 8);
    const nameLength = u16(at + 28);
    const entry: Entry = {
      name: decodeName(data.subarray(at + 46, at + 46 + nameLength), (flags & 0x800) !== 0),
      method: u16(at + 10),
      crc: u32(at + 16),
      compressedSize: u32(at + 20),
      size: u32(at + 24),
      localOffset: u32(at + 42),
    };
    at += 46 + nameLength + u16(at + 30) + u16(at + 32);
    if (entry.name.endsWith('/')) continue;
    if (flags & 0x1) throw new ZipError(`${entry.name} is encrypted; export the package without a password.`);
    if (entry.method !== 0 && entry.method !== 8) throw new ZipError(`${entry.name} uses compression method ${entry.method}; only stored and deflated entries are supported.`);
    if (entry.size > limits.maxEntryBytes) throw new ZipError(`${entry.name} is ${entry.size} bytes uncompressed; the limit is ${limits.maxEntryBytes}.`);
    declaredTotal += entry.size;
    if (declaredTotal > limits.maxTotalBytes) throw new ZipError(`The ZIP holds more than ${limits.maxTotalBytes} bytes uncompressed.`);
    entries.push(entry);
  }

  const files = new Map<string, Uint8Array>();
  for (const e of entries) {
    if (u32(e.localOffset) !== 0x04034b50) throw new ZipError(`The ZIP is damaged (${e.name} has no local header).`);
    const start = e.localOffset + 30 + u16(e.localOffset + 26) + u16(e.localOffset + 28);
    if (start + e.compressedSize > data.length) throw new ZipError(`The ZIP is damaged (${e.name} is cut short).`);
    const raw = data.subarray(start, start + e.compressedSize);
    let bytes: Uint8Array;
    if (e.method === 0) bytes = raw;
    else {
      try {
        bytes = await transform(raw, new DecompressionStream('deflate-raw'), e.size, () => new ZipError(`${e.name} inflates past the size it declares (${e.size} bytes).`));
      } catch (error) {
        if (error instanceof ZipError) throw error;
        throw new ZipError(`The ZIP is damaged (${e.name} does not inflate).`);
      }
    }
    if (bytes.length !== e.size || crc32(bytes) !== e.crc) throw new ZipError(`The ZIP is damaged (${e.name} fails its checksum).`);
    files.set(e.name, bytes);
  }
  return files;
}

export interface ZipInput {
  name: string;
  bytes: Uint8Array;
}

/**
 * Writes a ZIP with UTF-8 names; each entry is deflated, or stored when deflating does not make it smaller
 * (images). Timestamps are a fixed date so the same input gives the same bytes.
 */
export async function writeZip(inputs: ZipInput[]): Promise<Uint8Array> {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const DOS_TIME = 0;
  const DOS_DATE = ((2026 - 1980) << 9) | (1 << 5) | 1;
  for (const input of inputs) {
    const name = encoder.encode(input.name);
    const crc = crc32(input.bytes);
    // Incompressible data may grow a little; past this bound the entry is stored instead.
    const deflated = await transform(input.bytes, new CompressionStream('deflate-raw'), input.bytes.length + 64, () => new ZipError('stored')).catch(() => input.bytes);
    const stored = deflated.length >= input.bytes.length;
    const body = stored ? input.bytes : deflated;
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(6, 0x800, true);
    lv.setUint16(8, stored ? 0 : 8, true);
    lv.setUint16(10, DOS_TIME, true);
    lv.setUint16(12, DOS_DATE, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, body.length, true);
    lv.setUint32(22, input.bytes.length, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const cd = new Uint8Array(46 + name.length);
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(8, 0x800, true);
    cv.setUint16(10, stored ? 0 : 8, true);
    cv.setUint16(12, DOS_TIME, true);
    cv.setUint16(14, DOS_DATE, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, body.length, true);
    cv.setUint32(24, input.bytes.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    cd.set(name, 46);
    parts.push(local, body);
    central.push(cd);
    offset += local.length + body.length;
  }
  const cdSize = central.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, inputs.length, true);
  ev.setUint16(10, inputs.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  const all = [...parts, ...central, end];
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of all) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
