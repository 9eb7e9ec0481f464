// `canbao serve` at start-up removes the temporary files a stopped server left in the data
// directory (uploads of residents' data, partial detail tables and evidence copies) and keeps
// everything else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const MAIN = path.resolve('src/cli/main.ts');

describe('canbao serve (sqlite)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canbao-serve-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('removes the temporary files a crashed server left behind at start-up, and nothing else', async () => {
    const sha = 'ab'.padEnd(64, '0');
    const put = (rel: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), '张三,320411199001011234\n');
      return rel;
    };
    const leftovers = [put('uploads/1733390000000-0123456789abcdef.upload'), put('detail-tables/detail-7.xlsx.partial'), put(`evidence/ab/${sha}.4242.partial`)];
    const kept = [put('detail-tables/detail-6.xlsx'), put(`evidence/ab/${sha}`)];
    const port = String(20_000 + Math.floor(Math.random() * 20_000));
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve'], {
      env: { ...process.env, CANBAO_DATA_DIR: dir, CANBAO_ADMIN_PASSWORD: 'Seed#2016pass', DATABASE_URL: '', PORT: port, HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('canbao 已启动')) resolve();
        });
        child.on('exit', (code) => reject(new Error(`serve exited (${code}): ${out}`)));
      });
      expect(out).toContain('已删除上次运行遗留的临时文件 3 个');
      expect(leftovers.filter((f) => fs.existsSync(path.join(dir, f)))).toEqual([]);
      expect(kept.filter((f) => fs.existsSync(path.join(dir, f)))).toEqual(kept);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    }
  }, 60_000);
});
