// canbao audit verify-archive FILE [--key-file PATH]: checks a JSON archive of the audit log
// offline (no database needed): the file's signature, every entry's hash and MAC, the chain between
// them. The key is CANBAO_AUDIT_KEY, --key-file, or DATA_DIR/audit.key (never created here).
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.js';
import { decodeKey, loadAuditKey } from '../server/audit/key.js';
import { verifyAuditArchive } from '../server/audit/archive.js';

const USAGE = '用法: canbao audit verify-archive FILE [--key-file PATH]';

export async function auditCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'verify-archive') {
    console.error(USAGE);
    return 2;
  }
  const { values, positionals } = parseArgs({ args: rest, options: { 'key-file': { type: 'string' } }, allowPositionals: true });
  const file = positionals[0];
  if (!file || !fs.existsSync(file)) {
    console.error(USAGE);
    return 2;
  }
  const keyFile = values['key-file'];
  const key = keyFile ? decodeKey(fs.readFileSync(keyFile, 'utf8'), keyFile) : loadAuditKey(loadConfig(), { create: false });
  const r = verifyAuditArchive(fs.readFileSync(file, 'utf8'), key);
  if (r.ok) {
    console.log(`归档完整：${r.entries} 条记录，签名、哈希链与校验码均正确。`);
    return 0;
  }
  console.error(`归档校验失败（${r.entries} 条记录）：`);
  for (const p of r.problems) console.error(`  - ${p}`);
  return 1;
}
