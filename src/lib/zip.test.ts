import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { crc32, readZip, writeZip, ZipError } from '@/lib/zip';

const enc = new TextEncoder();

test('crc32 of a known string', () => {
  expect(crc32(enc.encode('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
});

test('what writeZip writes, readZip reads back: deflated text, stored binary, UTF-8 names', async () => {
  const random = new Uint8Array(5000).map((_, i) => (i * 7919 + ((i * i) % 251)) & 0xff);
  const files = [
    { name: 'imsmanifest.xml', bytes: enc.encode('<manifest>'.repeat(500)) },
    { name: 'items/q1/ECG strip ü.png', bytes: random },
    { name: 'empty.txt', bytes: new Uint8Array() },
  ];
  const zip = await writeZip(files);
  expect(zip.length).toBeLessThan(5000 + 5000);
  const read = await readZip(zip);
  expect([...read.keys()]).toEqual(files.map((f) => f.name));
  for (const f of files) expect(read.get(f.name)).toEqual(f.bytes);
});

/** Info-ZIP's `unzip`, where the machine has it (a check against another implementation; not required). */
function hasUnzip(): boolean {
  try {
    execFileSync('unzip', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test.runIf(hasUnzip())('Info-ZIP can list and test what writeZip writes', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'zip-'));
  const file = path.join(dir, 'out.zip');
  writeFileSync(file, await writeZip([{ name: 'a/b.txt', bytes: enc.encode('hello '.repeat(100)) }]));
  expect(execFileSync('unzip', ['-t', file], { encoding: 'utf8' })).toMatch(/No errors detected/);
});

test('an archive written by Info-ZIP (zip -r, committed) reads, with its directory entry left out', async () => {
  const read = await readZip(new Uint8Array(readFileSync(path.join(import.meta.dirname, '../../tests/fixtures/lms/info-zip-dir.zip'))));
  expect([...read.keys()].sort()).toEqual(['sub/y.txt', 'x.txt']);
  expect(new TextDecoder().decode(read.get('x.txt'))).toBe('x'.repeat(10_000));
  expect(new TextDecoder().decode(read.get('sub/y.txt'))).toBe('why');
});

/** A one-entry archive whose header claims `declaredSize` for `content` deflated. */
async function lyingZip(content: Uint8Array, declaredSize: number): Promise<Uint8Array> {
  const zip = await writeZip([{ name: 'bomb.bin', bytes: content }]);
  const view = new DataView(zip.buffer);
  const cd = zip.length - 22 - (46 + 'bomb.bin'.length);
  view.setUint32(cd + 24, declaredSize, true);
  view.setUint32(22, declaredSize, true);
  return zip;
}

test('a zip bomb that lies about its size is stopped as soon as it inflates past what it declared', async () => {
  const zeros = new Uint8Array(20 * 1024 * 1024);
  const bomb = await lyingZip(zeros, 1000);
  expect(bomb.length).toBeLessThan(100_000);
  await expect(readZip(bomb)).rejects.toThrow(new ZipError('bomb.bin inflates past the size it declares (1000 bytes).'));
});

test('declared sizes past the limits are refused before inflating', async () => {
  const zip = await writeZip([
    { name: 'a.txt', bytes: enc.encode('a'.repeat(3000)) },
    { name: 'b.txt', bytes: enc.encode('b'.repeat(3000)) },
  ]);
  await expect(readZip(zip, { maxEntries: 10, maxEntryBytes: 2000, maxTotalBytes: 10_000 })).rejects.toThrow(/a.txt is 3000 bytes uncompressed; the limit is 2000/);
  await expect(readZip(zip, { maxEntries: 10, maxEntryBytes: 5000, maxTotalBytes: 5000 })).rejects.toThrow(/more than 5000 bytes uncompressed/);
  await expect(readZip(zip, { maxEntries: 1, maxEntryBytes: 5000, maxTotalBytes: 10_000 })).rejects.toThrow(/2 entries; the limit is 1/);
});

test('not a zip, a damaged entry and a bad checksum are clear errors', async () => {
  await expect(readZip(enc.encode('<quiz></quiz>'))).rejects.toThrow(/not a ZIP file/);
  const zip = await writeZip([{ name: 'a.txt', bytes: enc.encode('hello hello hello hello hello') }]);
  const corrupt = zip.slice();
  const at = 30 + 'a.txt'.length + 2;
  corrupt[at] = (corrupt[at] ?? 0) ^ 0xff;
  await expect(readZip(corrupt)).rejects.toThrow(/The ZIP is damaged \(a.txt (does not inflate|fails its checksum)\)/);
  const badCrc = zip.slice();
  new DataView(badCrc.buffer).setUint32(zip.length - 22 - (46 + 5) + 16, 1, true);
  await expect(readZip(badCrc)).rejects.toThrow(/a.txt fails its checksum/);
});
