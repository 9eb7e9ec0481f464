// HTTP: the org tree, limited to the caller's subtree; the city admin adds and renames units.
import type { FastifyInstance } from 'fastify';
import { idParam, orgUnit, orgUnitCreate, orgUnitList, orgUnitUpdate } from '../../shared/api.js';
import { ORG_LEVEL_LABELS, type OrgLevel } from '../../shared/roles.js';
import { tableWorkbook } from '../export/table-workbook.js';
import { sendDownload } from '../export/send.js';
import type { AppCtx } from '../context.js';
import { zapp, stdErrors } from '../http.js';
import { requireAuth } from '../auth/access.js';
import { audited } from '../audit/audited.js';
import { conflict, invalidInput, notFound } from '../errors.js';
import { isUniqueViolation } from '../db/dialect.js';
import { nowIso, todayShanghai } from '../clock.js';
import { getOrgUnit, inScope, insertOrgUnit, listOrgUnits, toOrgUnit } from './store.js';

/** Which levels may sit under which (SPEC: city → districts → streets → communities; 市社保 under the city). */
const CHILD_LEVELS: Record<OrgLevel, OrgLevel[]> = {
  city: ['agency', 'district'],
  agency: [],
  district: ['street'],
  street: ['community'],
  community: [],
};

export async function orgRoutes(app: FastifyInstance, { ctx }: { ctx: AppCtx }) {
  const r = zapp(app);

  r.get('/api/orgs', {
    config: { access: { roles: 'any' } },
    schema: { tags: ['orgs'], summary: '组织机构（本人可见范围）', response: { 200: orgUnitList, ...stdErrors } },
    handler: async (req) => {
      const auth = requireAuth(req);
      return { items: (await listOrgUnits(ctx.db, auth.scope)).map(toOrgUnit) };
    },
  });

  r.get('/api/orgs.xlsx', {
    config: { access: { roles: 'any' } },
    schema: { tags: ['orgs'], summary: '组织机构 .xlsx（本人可见范围，含上级单位与层级）' },
    handler: async (req, reply) => {
      const auth = requireAuth(req);
      const units = await listOrgUnits(ctx.db, auth.scope);
      const byId = new Map(units.map((u) => [Number(u.id), u]));
      // The full name from the top of what the caller sees: 新北区 / 三井街道 / 龙虎塘社区.
      const fullName = (u: (typeof units)[number]) => {
        const names: string[] = [];
        for (let cur: (typeof units)[number] | undefined = u; cur; cur = cur.parent_id === null ? undefined : byId.get(Number(cur.parent_id))) names.unshift(cur.name);
        return names.join(' / ');
      };
      const file = await tableWorkbook(`组织机构-${todayShanghai()}`, [
        {
          name: '组织机构',
          columns: [{ header: '代码', width: 16 }, { header: '名称', width: 22 }, { header: '层级' }, { header: '上级单位', width: 22 }, { header: '上级代码', width: 16 }, { header: '全称', width: 48 }],
          rows: units.map((u) => {
            const parent = u.parent_id === null ? undefined : byId.get(Number(u.parent_id));
            return [u.code, u.name, ORG_LEVEL_LABELS[u.level as OrgLevel], parent?.name ?? '', parent?.code ?? '', fullName(u)];
          }),
        },
      ]);
      return sendDownload(reply, 'xlsx', file, 'orgs');
    },
  });

  r.get('/api/orgs/:id', {
    config: { access: { roles: 'any' } },
    schema: { tags: ['orgs'], summary: '组织机构详情', params: idParam, response: { 200: orgUnit, ...stdErrors } },
    handler: async (req) => {
      const auth = requireAuth(req);
      const unit = await getOrgUnit(ctx.db, req.params.id);
      if (!unit || !inScope(auth.scope, unit.path)) throw notFound('单位不存在');
      return toOrgUnit(unit);
    },
  });

  r.post('/api/orgs', {
    config: { access: { roles: ['city_admin'] } },
    schema: { tags: ['orgs'], summary: '新增单位', body: orgUnitCreate, response: { 200: orgUnit, ...stdErrors } },
    handler: async (req) => {
      const auth = requireAuth(req);
      const body = req.body;
      return audited(ctx, auth.actor, 'org.create', async (trx) => {
        const parent = await getOrgUnit(trx, body.parentId);
        if (!parent) throw notFound('上级单位不存在');
        if (!CHILD_LEVELS[parent.level as OrgLevel].includes(body.level)) {
          throw invalidInput(`“${parent.name}”下不能新增该级别的单位`);
        }
        try {
          const created = await insertOrgUnit(trx, { ...body, parent, createdAt: nowIso() });
          const result = toOrgUnit(created);
          return { result, objectType: 'org_unit', objectId: result.id, after: result };
        } catch (err) {
          if (isUniqueViolation(err)) throw conflict(`单位代码 ${body.code} 已存在`);
          throw err;
        }
      });
    },
  });

  r.patch('/api/orgs/:id', {
    config: { access: { roles: ['city_admin'] } },
    schema: { tags: ['orgs'], summary: '修改单位名称', params: idParam, body: orgUnitUpdate, response: { 200: orgUnit, ...stdErrors } },
    handler: async (req) => {
      const auth = requireAuth(req);
      return audited(ctx, auth.actor, 'org.update', async (trx) => {
        const before = await getOrgUnit(trx, req.params.id);
        if (!before) throw notFound('单位不存在');
        await trx.updateTable('org_unit').set({ name: req.body.name }).where('id', '=', before.id).execute();
        const result = toOrgUnit({ ...before, name: req.body.name });
        return { result, objectType: 'org_unit', objectId: result.id, before: toOrgUnit(before), after: result };
      });
    },
  });
}
