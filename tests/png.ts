/**
 * Synthetic PNGs for tests, fixtures and the image benchmark, written with node:zlib (no image library):
 * 8-bit greyscale, like a radiograph — smooth shading, a few bright ellipses and film grain, so they
 * compress like a photograph rather than like flat colour or pure noise. Deterministic per seed.
 */
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A `width`×`height` greyscale PNG; `grain` is the film grain's amplitude (0 = none, 12 ≈ a scanned film). */
export function syntheticPng(width: number, height: number, seed = 1, grain = 12): Buffer {
  let state = (seed * 2654435761) >>> 0 || 1;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
  const blobs = Array.from({ length: 5 }, () => ({ x: random() * width, y: random() * height, rx: (0.08 + random() * 0.2) * width, ry: (0.08 + random() * 0.2) * height, v: 40 + random() * 80 }));
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width + 1);
    raw[row] = 1; // filter "Sub": each byte minus its left neighbour
    let left = 0;
    for (let x = 0; x < width; x++) {
      let v = 70 + 40 * Math.sin((x / width) * 3 + seed) * Math.cos((y / height) * 2.5);
      for (const b of blobs) {
        const d = ((x - b.x) / b.rx) ** 2 + ((y - b.y) / b.ry) ** 2;
        if (d < 1) v += b.v * (1 - d);
      }
      v += (random() - 0.5) * 2 * grain;
      const px = Math.max(0, Math.min(255, Math.round(v)));
      raw[row + 1 + x] = (px - left) & 0xff;
      left = px;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** Width and height from a PNG's IHDR, or null when the bytes are not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 24 || b.readUInt32BE(0) !== 0x89504e47 || b.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}
