// canbao user create | reset-password: for the first administrator of a new unit, or a lost password.
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../shared/roles.js';
import { prepare } from '../server/bootstrap.js';
import { getOrgUnitByCode } from '../server/orgs/store.js';
import { createUser, resetPassword } from '../server/users/service.js';
import type { AuthInfo } from '../server/auth/access.js';
import { SYSTEM_ACTOR } from '../server/audit/store.js';

/** The CLI acts as the system with the city's scope; its actions are audited as 'system'. */
function systemAuth(): AuthInfo {
  return { role: 'city_admin', scope: { rootPath: '/', isCity: true }, actor: { ...SYSTEM_ACTOR, username: 'cli' }, user: { id: 0 } } as unknown as AuthInfo;
}

export async function userCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: { username: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, org: { type: 'string' }, phone: { type: 'string' } },
  });
  const { ctx, handle } = await prepare();
  try {
    if (sub === 'create') {
      if (!values.username || !values.name || !values.role || !values.org) {
        console.error('用法: canbao user create --username U --name 姓名 --role 角色 --org 单位代码');
        return 2;
      }
      if (!ROLES.includes(values.role as Role)) {
        console.error(`角色应为: ${ROLES.join(', ')}`);
        return 2;
      }
      const unit = await getOrgUnitByCode(ctx.db, values.org);
      if (!unit) {
        console.error(`单位代码不存在: ${values.org}`);
        return 2;
      }
      const r = await createUser(ctx, systemAuth(), {
        username: values.username,
        displayName: values.name,
        role: values.role as Role,
        orgUnitId: Number(unit.id),
        phone: values.phone,
      });
      console.log(`已创建用户 ${r.user.username}（${r.user.orgUnitName}），初始密码（只显示这一次，首次登录须修改）: ${r.initialPassword}`);
      return 0;
    }
    if (sub === 'reset-password') {
      if (!values.username) {
        console.error('用法: canbao user reset-password --username U');
        return 2;
      }
      const u = await ctx.db.selectFrom('app_user').select('id').where('username', '=', values.username.trim().toLowerCase()).executeTakeFirst();
      if (!u) {
        console.error(`用户不存在: ${values.username}`);
        return 2;
      }
      const r = await resetPassword(ctx, systemAuth(), Number(u.id));
      await ctx.db.deleteFrom('login_throttle').where('username', '=', values.username.trim().toLowerCase()).execute();
      console.log(`已重置，临时密码（只显示这一次，登录后须修改）: ${r.temporaryPassword}`);
      return 0;
    }
    console.error('用法: canbao user create|reset-password ...');
    return 2;
  } finally {
    await handle.destroy();
  }
}
