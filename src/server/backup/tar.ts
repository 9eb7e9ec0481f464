// A minimal ustar (POSIX tar) writer and reader for backups: regular files only, names of at most
// 100 ASCII bytes, sizes past ustar's 8 GiB field in GNU base-256. Readable by any tar
// (`tar -tvf backup.canbao`). The reader checks every header's checksum and refuses a truncated
// archive (missing data or end blocks) instead of returning what it got.
import fs from 'node:fs';
import { createHash } from 'node:crypto';

const BLOCK = 512;
const CHUNK = 1024 * 1024;
const MAX_OCTAL_SIZE = 0o77777777777; // 11 octal digits

export class TarError extends Error {}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, size: number, mtime: Date): Buffer {
  if (!/^[\x21-\x7e]{1,100}$/.test(name)) throw new TarError(`bad entry name: ${name}`);
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 'ascii');
  h.write(octal(0o644, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  if (size <= MAX_OCTAL_SIZE) h.write(octal(size, 12), 124, 'ascii');
  else {
    // GNU base-256: high bit of the first byte set, big-endian value in the rest.
    h[124] = 0x80;
    let v = BigInt(size);
    for (let i = 135; i > 124; i--) {
      h[i] = Number(v & 0xffn);
      v >>= 8n;
    }
  }
  h.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write('0', 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return h;
}

function parseSize(h: Buffer): number {
  if (h[124]! & 0x80) {
    let v = 0n;
    for (let i = 125; i < 136; i++) v = (v << 8n) | BigInt(h[i]!);
    return Number(v);
  }
  return parseOctal(h.subarray(124, 136));
}

function parseOctal(b: Buffer): number {
  const s = b.toString('ascii').replace(/[\0 ]+$/, '').replace(/^[\0 ]+/, '');
  if (!/^[0-7]*$/.test(s)) throw new TarError('bad number field');
  return s ? parseInt(s, 8) : 0;
}

export type Written = { size: number; sha256: string };

/** Appends entries to a new file; `finish` writes the end blocks and syncs to disk. */
export class TarWriter {
  private pos = 0;
  private constructor(private fh: fs.promises.FileHandle) {}

  static async create(file: string): Promise<TarWriter> {
    return new TarWriter(await fs.promises.open(file, 'wx', 0o600));
  }

  private async write(buf: Buffer): Promise<void> {
    let off = 0;
    while (off < buf.length) {
      const { bytesWritten } = await this.fh.write(buf, off, buf.length - off, this.pos);
      off += bytesWritten;
      this.pos += bytesWritten;
    }
  }

  private async pad(size: number): Promise<void> {
    const rest = size % BLOCK;
    if (rest) await this.write(Buffer.alloc(BLOCK - rest));
  }

  async addBuffer(name: string, data: Buffer): Promise<Written> {
    await this.write(header(name, data.length, new Date()));
    await this.write(data);
    await this.pad(data.length);
    return { size: data.length, sha256: createHash('sha256').update(data).digest('hex') };
  }

  /** Copies a file in, hashing what was written; fails if the file changes size while copied. */
  async addFile(name: string, source: string, onBytes?: (n: number) => void): Promise<Written> {
    const src = await fs.promises.open(source, 'r');
    try {
      const st = await src.stat();
      if (!st.isFile()) throw new TarError(`not a regular file: ${source}`);
      await this.write(header(name, st.size, st.mtime));
      const hash = createHash('sha256');
      const buf = Buffer.alloc(CHUNK);
      let done = 0;
      while (done < st.size) {
        const { bytesRead } = await src.read(buf, 0, Math.min(CHUNK, st.size - done), done);
        if (bytesRead === 0) throw new TarError(`file shrank while being copied: ${source}`);
        const chunk = buf.subarray(0, bytesRead);
        hash.update(chunk);
        await this.write(chunk);
        done += bytesRead;
        onBytes?.(bytesRead);
      }
      await this.pad(st.size);
      return { size: st.size, sha256: hash.digest('hex') };
    } finally {
      await src.close();
    }
  }

  async finish(): Promise<void> {
    await this.write(Buffer.alloc(BLOCK * 2));
    await this.fh.sync();
    await this.fh.close();
  }

  async abort(): Promise<void> {
    await this.fh.close().catch(() => undefined);
  }
}

export type TarEntry = {
  name: string;
  size: number;
  /** Where the entry's bytes start in the archive. */
  offset: number;
  /** The entry's bytes, in chunks; read at most once, before moving to the next entry. */
  chunks(): AsyncGenerator<Buffer>;
};

/** The entries of an archive in order; throws TarError on a damaged or truncated archive. */
export async function* readTar(file: string): AsyncGenerator<TarEntry> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const total = (await fh.stat()).size;
    let pos = 0;
    const block = Buffer.alloc(BLOCK);
    const readBlock = async (at: number) => {
      const { bytesRead } = await fh.read(block, 0, BLOCK, at);
      if (bytesRead !== BLOCK) throw new TarError('archive truncated');
      return block;
    };
    for (;;) {
      const h = await readBlock(pos);
      if (h.every((b) => b === 0)) {
        const next = await readBlock(pos + BLOCK);
        if (!next.every((b) => b === 0)) throw new TarError('damaged end of archive');
        return;
      }
      const stored = parseOctal(h.subarray(148, 156));
      let sum = 0;
      for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
      if (sum !== stored) throw new TarError(`bad header checksum at byte ${pos}`);
      if (h.subarray(257, 262).toString('ascii') !== 'ustar') throw new TarError('not a ustar archive');
      const type = String.fromCharCode(h[156]!);
      if (type !== '0' && type !== '\0') throw new TarError(`unsupported entry type ${JSON.stringify(type)}`);
      const name = h.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
      const size = parseSize(h);
      const start = pos + BLOCK;
      if (start + size > total) throw new TarError('archive truncated');
      let consumed = false;
      yield {
        name,
        size,
        offset: start,
        async *chunks() {
          if (consumed) throw new TarError('entry read twice');
          consumed = true;
          const buf = Buffer.alloc(Math.min(CHUNK, Math.max(size, 1)));
          let done = 0;
          while (done < size) {
            const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, size - done), start + done);
            if (bytesRead === 0) throw new TarError('archive truncated');
            done += bytesRead;
            yield buf.subarray(0, bytesRead);
          }
        },
      };
      pos = start + Math.ceil(size / BLOCK) * BLOCK;
    }
  } finally {
    await fh.close();
  }
}
