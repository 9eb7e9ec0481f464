// canbao import FILE --org CODE [--mode all|valid] [--user USERNAME] [--overwrite-names] [--sheet NAME]: the same import as the web
// app, acting as the named user (their role and scope apply), with progress on stderr.
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Role } from '../shared/roles.js';
import { prepare } from '../server/bootstrap.js';
import { getOrgUnitByCode } from '../server/orgs/store.js';
import { scopeFor, type AuthInfo } from '../server/auth/access.js';
import { importFile } from '../server/registration/import/service.js';
import { AppError } from '../server/errors.js';

export async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { org: { type: 'string' }, mode: { type: 'string', default: 'all' }, user: { type: 'string', default: 'admin' }, 'overwrite-names': { type: 'boolean', default: false }, sheet: { type: 'string' } },
  });
  const file = positionals[0];
  if (!file || !values.org || (values.mode !== 'all' && values.mode !== 'valid')) {
    console.error('用法: canbao import FILE --org 单位代码 [--mode all|valid] [--user 用户名] [--overwrite-names] [--sheet 工作表]');
    return 2;
  }
  const { ctx, handle } = await prepare();
  try {
    const user = await ctx.db.selectFrom('app_user').selectAll().where('username', '=', values.user!.toLowerCase()).executeTakeFirst();
    if (!user) {
      console.error(`用户不存在: ${values.user}`);
      return 2;
    }
    const orgUnit = await ctx.db.selectFrom('org_unit').selectAll().where('id', '=', user.org_unit_id).executeTakeFirstOrThrow();
    const target = await getOrgUnitByCode(ctx.db, values.org);
    if (!target) {
      console.error(`单位代码不存在: ${values.org}`);
      return 2;
    }
    const role = user.role as Role;
    const auth = {
      user,
      orgUnit,
      session: null,
      role,
      scope: scopeFor(role, orgUnit.path),
      actor: { userId: Number(user.id), username: `${user.username} (cli)`, orgUnitId: Number(orgUnit.id), ip: null },
    } as unknown as AuthInfo;
    const report = await importFile(ctx, auth, {
      path: path.resolve(file),
      fileName: path.basename(file),
      orgUnitId: Number(target.id),
      mode: values.mode,
      overwriteNames: values['overwrite-names'] === true,
      ...(values.sheet ? { sheet: values.sheet } : {}),
      onProgress: (rows) => process.stderr.write(`\r已读取 ${rows} 行`),
    });
    process.stderr.write('\n');
    console.log(
      `${report.committed ? '导入完成' : '未导入（全部成功才导入，但有问题行）'}：共 ${report.total} 行，新增 ${report.imported}，更新 ${report.updated}，未变 ${report.unchanged}，问题行 ${report.rejected}（批次 ${report.batchId}）`,
    );
    if (report.sheet) console.log(`已读取工作表“${report.sheet.name}”${report.sheet.candidates.length > 1 ? `（含登记表表头的工作表：${report.sheet.candidates.join('、')}，可用 --sheet 选择）` : ''}`);
    for (const r of report.rejects.slice(0, 20)) console.log(`  第 ${r.row} 行${r.column ? `（${r.column}列）` : ''}：${r.message}`);
    if (report.rejects.length > 20) console.log(`  ……共 ${report.rejects.length} 条，完整清单可在网页下载`);
    return report.committed ? 0 : 3;
  } catch (err) {
    if (err instanceof AppError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  } finally {
    await handle.destroy();
  }
}
