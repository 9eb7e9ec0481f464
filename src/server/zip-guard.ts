// A zip archive (.xlsx and the other Office Open XML files) opened defensively: the directory is
// checked before anything is inflated (entry count, declared sizes and ratios, ZIP64, encryption,
// entries that overlap or point outside the file), and while an entry is inflated the bytes that
// really come out are counted: an entry that inflates beyond the size its directory declares (a
// zip that lies about its size) is cut off at once, as is the archive's total beyond the cap. An
// XML part that declares a DOCTYPE is refused wherever the DOCTYPE stands in it (entity expansion,
// external entities). Every refusal is an invalid-input error with a Chinese message.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { invalidInput } from './errors.js';

export type ZipLimits = {
  /** The sum of the entries' inflated sizes. */
  maxInflatedBytes: number;
  /** Inflated size / compressed size of one entry (real documents stay far below 100). */
  maxRatio: number;
  maxEntries: number;
};

export type ZipEntry = { name: string; nameLength: number; method: number; compressedSize: number; size: number; localOffset: number };

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const corrupt = (what = '') => invalidInput(`文件已损坏或不是有效的 Office 文件${what}，请用 Excel/Word 等原程序打开后重新保存再上传`);
const zip64 = () => invalidInput('不支持 ZIP64 格式的压缩文件（超大或由特殊工具生成），请用 Excel/Word 等原程序打开后“另存为”再上传');
const lies = () => invalidInput('文件解压后的实际大小与其目录记录不符，疑似恶意文件，已拒绝');
const tooBig = () => invalidInput('文件解压后过大，请拆分后再上传');

/** Finds "<!DOCTYPE" (any case) in a stream of chunks, across chunk boundaries. */
export class DoctypeScanner {
  private tail = Buffer.alloc(0);

  /** Throws when the bytes seen so far contain a DOCTYPE declaration. */
  push(chunk: Buffer): void {
    const buf = this.tail.length ? Buffer.concat([this.tail, chunk]) : chunk;
    for (let i = buf.indexOf('<!'); i >= 0 && i + 9 <= buf.length; i = buf.indexOf('<!', i + 2)) {
      if (buf.toString('latin1', i + 2, i + 9).toUpperCase() === 'DOCTYPE') {
        throw invalidInput('文件包含不允许的 XML 声明（DOCTYPE），疑似恶意文件，已拒绝');
      }
    }
    this.tail = Buffer.from(buf.subarray(Math.max(0, buf.length - 8)));
  }
}

export class ZipArchive {
  private inflated = 0;

  private constructor(
    private readonly path: string,
    private readonly limits: ZipLimits,
    readonly entries: Map<string, ZipEntry>,
  ) {}

  /** Reads and checks the central directory; nothing is inflated yet. */
  static async open(path: string, limits: ZipLimits): Promise<ZipArchive> {
    const fh = await fs.promises.open(path, 'r');
    try {
      const size = (await fh.stat()).size;
      const read = async (pos: number, len: number): Promise<Buffer> => {
        if (pos < 0 || len < 0 || pos + len > size) throw corrupt('（目录指向文件之外）');
        const buf = Buffer.alloc(len);
        const { bytesRead } = await fh.read(buf, 0, len, pos);
        if (bytesRead !== len) throw corrupt();
        return buf;
      };
      if (size < 22) throw corrupt();
      const tailStart = Math.max(0, size - 22 - 0xffff);
      const tail = await read(tailStart, size - tailStart);
      let eocd = -1;
      for (let i = tail.length - 22; i >= 0; i--) {
        if (tail.readUInt32LE(i) === EOCD && i + 22 + tail.readUInt16LE(i + 20) === tail.length) {
          eocd = i;
          break;
        }
      }
      if (eocd < 0) throw corrupt('（找不到压缩目录，文件可能不完整）');
      if (eocd >= 20 && tail.readUInt32LE(eocd - 20) === ZIP64_LOCATOR) throw zip64();
      const count = tail.readUInt16LE(eocd + 10);
      const dirSize = tail.readUInt32LE(eocd + 12);
      const dirOffset = tail.readUInt32LE(eocd + 16);
      if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) throw zip64();
      if (tail.readUInt16LE(eocd + 4) !== 0 || tail.readUInt16LE(eocd + 8) !== count) throw corrupt('（分卷压缩文件）');
      if (count === 0) throw corrupt('（压缩包是空的）');
      if (count > limits.maxEntries) throw corrupt('（包含的文件过多）');
      if (dirOffset + dirSize > tailStart + eocd) throw corrupt('（目录指向文件之外）');
      const dir = await read(dirOffset, dirSize);
      const entries = new Map<string, ZipEntry>();
      let declared = 0;
      let p = 0;
      for (let i = 0; i < count; i++) {
        if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL) throw corrupt();
        const flags = dir.readUInt16LE(p + 8);
        const method = dir.readUInt16LE(p + 10);
        const compressedSize = dir.readUInt32LE(p + 20);
        const entrySize = dir.readUInt32LE(p + 24);
        const nameLen = dir.readUInt16LE(p + 28);
        const localOffset = dir.readUInt32LE(p + 42);
        if (compressedSize === 0xffffffff || entrySize === 0xffffffff || localOffset === 0xffffffff) throw zip64();
        if (flags & 0x41) throw invalidInput('文件已加密，请取消密码保护后再上传');
        if (method !== 0 && method !== 8) throw corrupt('（使用了不支持的压缩方式）');
        if (p + 46 + nameLen > dir.length) throw corrupt();
        const name = dir.toString('utf8', p + 46, p + 46 + nameLen);
        if (entries.has(name)) throw corrupt('（包含重名的部件）');
        if (method === 0 && compressedSize !== entrySize) throw lies();
        if (entrySize > 0 && entrySize / Math.max(compressedSize, 1) > limits.maxRatio) throw invalidInput('文件压缩比异常，疑似恶意文件，已拒绝');
        declared += entrySize;
        entries.set(name, { name, nameLength: nameLen, method, compressedSize, size: entrySize, localOffset });
        p += 46 + nameLen + dir.readUInt16LE(p + 30) + dir.readUInt16LE(p + 32);
      }
      if (declared > limits.maxInflatedBytes) throw tooBig();
      // Entries may not share bytes (overlapping entries are the classic non-recursive zip bomb)
      // nor reach into the directory.
      const byOffset = [...entries.values()].sort((a, b) => a.localOffset - b.localOffset);
      for (let i = 0; i < byOffset.length; i++) {
        const e = byOffset[i]!;
        const end = e.localOffset + 30 + e.nameLength + e.compressedSize;
        const next = i + 1 < byOffset.length ? byOffset[i + 1]!.localOffset : dirOffset;
        if (end > next) throw corrupt('（部件相互重叠）');
      }
      return new ZipArchive(path, limits, entries);
    } finally {
      await fh.close();
    }
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /**
   * The inflated bytes of one entry, counted as they come: beyond the size the directory declares,
   * or beyond the archive's cap, the inflation stops with an error. XML parts (every part is
   * scanned: a reader may take a part by a looser name) may not declare a DOCTYPE.
   */
  async *read(name: string): AsyncGenerator<Buffer> {
    const e = this.entries.get(name);
    if (!e) throw corrupt(`（缺少 ${name}）`);
    const fh = await fs.promises.open(this.path, 'r');
    let start: number;
    try {
      const local = Buffer.alloc(30);
      const { bytesRead } = await fh.read(local, 0, 30, e.localOffset);
      if (bytesRead !== 30 || local.readUInt32LE(0) !== LOCAL) throw corrupt();
      start = e.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    } finally {
      await fh.close();
    }
    const size = (await fs.promises.stat(this.path)).size;
    if (start + e.compressedSize > size) throw corrupt('（文件不完整）');
    const source = fs.createReadStream(this.path, { start, end: start + e.compressedSize - 1, highWaterMark: 1 << 16 });
    const stream = e.compressedSize === 0 ? null : e.method === 8 ? source.pipe(zlib.createInflateRaw({ chunkSize: 1 << 16 })) : source;
    if (!stream) source.destroy();
    const doctype = new DoctypeScanner();
    let got = 0;
    try {
      if (stream) {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          got += chunk.length;
          this.inflated += chunk.length;
          if (got > e.size) throw lies();
          if (this.inflated > this.limits.maxInflatedBytes) throw tooBig();
          doctype.push(chunk);
          yield chunk;
        }
      }
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith('Z_')) throw corrupt('（压缩数据有误）');
      throw err;
    } finally {
      source.destroy();
      if (stream !== source) stream?.destroy();
    }
    if (got !== e.size) throw lies();
  }
}
