// The zip guard's rules one by one, on hand-built archives: what the directory declares is checked
// before inflating, what really inflates is counted while inflating, DOCTYPE is found anywhere.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { DoctypeScanner, ZipArchive, type ZipLimits } from './zip-guard.js';
import { deflatedRepeat, tempPath, writeZip, zipBytes } from './testing/import-files.js';

const LIMITS: ZipLimits = { maxInflatedBytes: 1024 * 1024, maxRatio: 200, maxEntries: 100 };

async function inflateAll(file: string, limits = LIMITS): Promise<number> {
  const zip = await ZipArchive.open(file, limits);
  let n = 0;
  for (const name of zip.entries.keys()) for await (const chunk of zip.read(name)) n += chunk.length;
  return n;
}

describe('zip guard', () => {
  it('reads an honest archive, stored and deflated, to its exact inflated size', async () => {
    const file = writeZip([
      { name: 'a.xml', data: '<a>一</a>' },
      { name: 'b.xml', data: '<b>' + 'x'.repeat(5000) + '</b>', deflate: true },
    ]);
    expect(await inflateAll(file)).toBe(Buffer.byteLength('<a>一</a>') + 5007);
  });

  it('an entry that inflates beyond its declared size is cut off, and one that inflates short of it is refused', async () => {
    const longer = writeZip([{ name: 's.xml', data: '', body: deflatedRepeat('<s>', Buffer.alloc(64 * 1024, 'a'), 4, '</s>'), declaredSize: 1000 }]);
    await expect(inflateAll(longer)).rejects.toMatchObject({ status: 400, message: expect.stringContaining('实际大小与其目录记录不符') });
    const shorter = writeZip([{ name: 's.xml', data: '<s/>', deflate: true, declaredSize: 10 }]);
    await expect(inflateAll(shorter)).rejects.toMatchObject({ status: 400, message: expect.stringContaining('实际大小与其目录记录不符') });
  });

  it('declared sizes over the cap, suspicious ratios, ZIP64, overlapping entries and a missing directory are refused before inflating', async () => {
    const big = writeZip([{ name: 'a.xml', data: 'y'.repeat(600 * 1024) }, { name: 'b.xml', data: 'z'.repeat(600 * 1024) }]);
    await expect(ZipArchive.open(big, LIMITS)).rejects.toMatchObject({ message: expect.stringContaining('解压后过大') });
    const ratio = writeZip([{ name: 'a.xml', data: 'a'.repeat(500_000), deflate: true }]);
    await expect(ZipArchive.open(ratio, LIMITS)).rejects.toMatchObject({ message: expect.stringContaining('压缩比异常') });
    const z64 = writeZip([{ name: 'a.xml', data: '<a/>' }], 'z.xlsx', { zip64: true });
    await expect(ZipArchive.open(z64, LIMITS)).rejects.toMatchObject({ message: expect.stringContaining('ZIP64') });
    // Two directory entries pointing at the same bytes (the non-recursive zip bomb).
    const bytes = zipBytes([{ name: 'a.xml', data: '<a>' + 'q'.repeat(100) + '</a>' }, { name: 'b.xml', data: '<b/>' }]);
    const dirStart = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const second = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), dirStart + 4);
    bytes.writeUInt32LE(0, second + 42);
    const overlap = tempPath('overlap.xlsx');
    fs.writeFileSync(overlap, bytes);
    await expect(ZipArchive.open(overlap, LIMITS)).rejects.toMatchObject({ message: expect.stringContaining('重叠') });
    const noDir = tempPath('nodir.xlsx');
    fs.writeFileSync(noDir, bytes.subarray(0, dirStart));
    await expect(ZipArchive.open(noDir, LIMITS)).rejects.toMatchObject({ message: expect.stringContaining('文件已损坏') });
  });

  it('finds a DOCTYPE in any case, also when it is split between two chunks', () => {
    const split = new DoctypeScanner();
    split.push(Buffer.from('<?xml version="1.0"?><!-- comment --><!DOC'));
    expect(() => split.push(Buffer.from('type x []><x/>'))).toThrow(/DOCTYPE/);
    const clean = new DoctypeScanner();
    clean.push(Buffer.from('<x><![CDATA[<!DOC]]>'));
    expect(() => clean.push(Buffer.from('TYPO</x>'))).not.toThrow();
  });
});
