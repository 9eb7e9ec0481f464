// tsx bench/list-plans.ts DB_FILE [analyze]: on a copy of a SQLite database (e.g. one kept by
// `npm run soak -- --keep`), the plan and bare time of each list query the server runs (city,
// district, street, community, deeper pages) and of the valid count; with `analyze`, again after
// ANALYZE (how the plans change once sqlite_stat1 exists). Investigation aid of issue 13.
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { listQuery } from '../src/server/registration/store.js';
import { validCount } from '../src/server/registration/counts.js';
const file = process.argv[2]!;
const db = new SQLite(file);
const k = new Kysely<any>({ dialect: new SqliteDialect({ database: db }) });
const u = (code: string) => db.prepare('select id, path from org_unit where code = ?').get(code) as { id: number; path: string };
const xb = u('320411'), st = u('320411002'), cm = u('320411002001');
const top = (db.prepare('select max(id) m from registration').get() as { m: number }).m;
console.log('rows', (db.prepare('select count(*) n from registration').get() as any).n, 'stat1', db.prepare("select count(*) n from sqlite_master where name='sqlite_stat1'").get());
const cases: Array<[string, any]> = [
  ['city', { unitPath: '/', limit: 50 }],
  ['district', { unitPath: xb.path, districtId: xb.id, limit: 50 }],
  ['street', { unitPath: st.path, limit: 50 }],
  ['community', { unitPath: cm.path, limit: 50 }],
  ['deep', { unitPath: '/', before: Math.floor(top / 2), limit: 50 }],
  ['district deep', { unitPath: xb.path, districtId: xb.id, before: Math.floor(top / 2), limit: 50 }],
];
const time = async (fn: () => unknown, n = 20) => { const t: number[] = []; for (let i = 0; i < n; i++) { const s = process.hrtime.bigint(); await fn(); t.push(Number(process.hrtime.bigint() - s) / 1e6); } t.sort((a, b) => a - b); return `p50 ${t[n >> 1]!.toFixed(2)} max ${t[n - 1]!.toFixed(2)} ms`; };
for (const [name, f] of cases) {
  const c = (await listQuery(k as any, f)).compile();
  const plan = (db.prepare('explain query plan ' + c.sql).all(...(c.parameters as any[])) as any[]).map((r) => r.detail).join(' | ');
  console.log(name, await time(() => db.prepare(c.sql).all(...(c.parameters as any[]))), '\n   ', plan.slice(0, 400));
}
console.log('validCount district', await time(() => validCount(k as any, xb.path), 5));
console.log('validCount community', await time(() => validCount(k as any, cm.path), 5));
{
  const c = (await listQuery(k as any, { unitPath: st.path, limit: 50 })).compile();
  console.log('street communities', (db.prepare("select count(*) n from org_unit where level='community' and path like ?").get(st.path + '%') as any).n, 'sql length', c.sql.length);
  console.log('  prepare only', await time(() => db.prepare(c.sql)));
  const stmt = db.prepare(c.sql);
  console.log('  run only', await time(() => stmt.all(...(c.parameters as any[]))));
  const per = db.prepare("select org_path, count(*) n from registration where org_path like ? group by 1").all(st.path + '%');
  console.log('  rows per community', JSON.stringify(per).slice(0, 300));
}
if (process.argv[3] === 'analyze') {
  const s = process.hrtime.bigint(); db.exec('analyze'); console.log('ANALYZE took', Number(process.hrtime.bigint() - s) / 1e6, 'ms');
  for (const [name, f] of cases) {
    const c = (await listQuery(k as any, f)).compile();
    const plan = (db.prepare('explain query plan ' + c.sql).all(...(c.parameters as any[])) as any[]).map((r) => r.detail).join(' | ');
    console.log(name, await time(() => db.prepare(c.sql).all(...(c.parameters as any[]))), '\n   ', plan.slice(0, 300));
  }
}
