// 登记记录: the records of a unit's subtree with page numbers, the total for the filters, sorting
// (姓名, 社区/村, 录入时间), column settings and ticked rows' bulk actions, with the unit's valid count
// above. Filters, page and order live in the URL so that coming back from a record keeps them; a
// statistics cell opens the list with its filters (listFilters.ts), shown as closable tags.
import { DownloadOutlined, FileExcelOutlined, ImportOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, DatePicker, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { isCityRole } from '../../shared/roles';
import { CODE_TABLES } from '../../shared/codes/index';
import { CodeSelect } from './CodeSelect';
import { api, withQuery } from '../api/client';
import { useUser } from '../auth/AuthContext';
import { OrgTreeSelect } from '../common/OrgTreeSelect';
import { useNotifyError } from '../common/useNotifyError';
import { useOrgs } from '../common/useOrgs';
import { canWriteRegistrations } from './labels';
import { filterTags, urlFilter, withoutFilters, type ListFilters } from './listFilters';
import type { Registration, RegistrationPage } from './types';
import { MAX_LIST_OFFSET, REGISTRATION_SORTS, type RegistrationCount, type RegistrationSort } from '../../shared/api-registration';
import { ColumnSettings, registrationColumns, sortFromTable, useShownColumns } from './listColumns';
import { BulkActions, MAX_SELECTED } from './BulkActions';
import { ValidCountCard } from './ValidCountCard';
import { useTrackedExport } from '../common/useTrackedExport';

const PAGE_SIZES = [20, 50, 100, 200];

type ValidFilter = 'all' | 'true' | 'false';
type DupFilter = 'all' | 'true' | 'false';

export function RegistrationsPage() {
  const me = useUser();
  const navigate = useNavigate();
  const notifyError = useNotifyError();
  const { index } = useOrgs();
  const [params, setParams] = useSearchParams();

  // The user's scope: the city for city roles, else their own unit.
  const scopeId = useMemo(() => {
    if (isCityRole(me.role)) return index.roots.find((r) => r.level === 'city')?.id ?? index.roots[0]?.id;
    return me.orgUnit.id;
  }, [me.role, me.orgUnit.id, index]);

  const orgParam = Number(urlFilter(params, 'org'));
  const orgUnitId = Number.isInteger(orgParam) && orgParam > 0 ? orgParam : scopeId;
  const valid = (params.get('valid') ?? 'all') as ValidFilter;
  const dup = (urlFilter(params, 'dup') || 'all') as DupFilter;
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
  const insType = params.get('insType') ?? '';
  const insStatus = params.get('insStatus') ?? '';
  const personCategory = urlFilter(params, 'category');
  const enteredFrom = urlFilter(params, 'from');
  const enteredTo = urlFilter(params, 'to');
  const surveyor = params.get('surveyor') ?? '';
  // The filters of a statistics cell (their URL names are the API's).
  const sex = params.get('sex') ?? '';
  const hukouType = params.get('hukouType') ?? '';
  const uninsuredReason = params.get('uninsuredReason') ?? '';
  const willingness = params.get('willingness') ?? '';
  const birthYearFrom = params.get('birthYearFrom') ?? '';
  const birthYearTo = params.get('birthYearTo') ?? '';
  const birthUnknown = params.get('birthUnknown') === 'true' ? 'true' : '';
  const errorField = params.get('errorField') ?? '';
  const pageParam = Number(params.get('page') ?? '1');
  const page = Number.isInteger(pageParam) && pageParam > 0 ? pageParam : 1;
  const sizeParam = Number(params.get('size') ?? '50');
  const pageSize = PAGE_SIZES.includes(sizeParam) ? sizeParam : 50;
  const sortParam = params.get('sort') ?? '';
  const sort: RegistrationSort = (REGISTRATION_SORTS as readonly string[]).includes(sortParam) ? (sortParam as RegistrationSort) : '-enteredAt';
  const [surveyorText, setSurveyorText] = useState(surveyor);
  const [moreFilters, setMoreFilters] = useState(Boolean(insType || personCategory || enteredFrom || enteredTo || surveyor));

  const setFilter = (key: string, value: string | undefined) => {
    setParams(
      (prev) => {
        const next = withoutFilters(prev, [key, 'page']);
        if (value !== undefined && value !== '' && value !== 'all') next.set(key, value);
        return next;
      },
      { replace: true },
    );
  };
  const removeFilters = (keys: readonly string[]) => {
    if (keys.includes('surveyor')) setSurveyorText('');
    setParams((prev) => withoutFilters(prev, [...keys, 'page']), { replace: true });
  };
  /** Page, page size and order: each a history entry, so 后退 goes back a page. */
  const setPaging = (next: { page: number; size: number; sort: RegistrationSort }) => {
    setParams((prev) => {
      const p = withoutFilters(prev, ['page', 'size', 'sort']);
      if (next.page > 1) p.set('page', String(next.page));
      if (next.size !== 50) p.set('size', String(next.size));
      if (next.sort !== '-enteredAt') p.set('sort', next.sort);
      return p;
    });
  };

  const [items, setItems] = useState<Registration[]>([]);
  const [count, setCount] = useState<RegistrationCount | null>(null);
  const [loading, setLoading] = useState(true);
  const [refreshKey, setRefreshKey] = useState(0);
  const requestId = useRef(0);
  const countId = useRef(0);
  // Ticked rows, kept across pages of the same filters (by id, with the row for its version and state).
  const [selected, setSelected] = useState<Map<number, Registration>>(new Map());
  const [shownColumns, setShownColumns] = useShownColumns();

  const filterQuery = useMemo(
    () => ({
      orgUnitId: orgParam > 0 ? orgParam : undefined,
      valid: valid === 'all' ? undefined : valid,
      duplicate: dup === 'all' ? undefined : dup,
      q: q || undefined,
      insType: insType && insStatus ? insType : undefined,
      insStatus: insType && insStatus ? insStatus : undefined,
      personCategory: personCategory || undefined,
      enteredFrom: enteredFrom || undefined,
      enteredTo: enteredTo || undefined,
      surveyor: surveyor || undefined,
      sex: sex || undefined,
      hukouType: hukouType || undefined,
      uninsuredReason: uninsuredReason || undefined,
      willingness: willingness || undefined,
      birthYearFrom: birthYearFrom || undefined,
      birthYearTo: birthYearTo || undefined,
      birthUnknown: birthUnknown || undefined,
      errorField: errorField || undefined,
    }),
    [orgParam, valid, dup, q, insType, insStatus, personCategory, enteredFrom, enteredTo, surveyor, sex, hukouType, uninsuredReason, willingness, birthYearFrom, birthYearTo, birthUnknown, errorField],
  );
  const listFilters: ListFilters = { insType, insStatus, personCategory, enteredFrom, enteredTo, surveyor, sex, hukouType, uninsuredReason, willingness, birthYearFrom, birthYearTo, birthUnknown, errorField };
  const tags = filterTags(listFilters);
  const filtered = Boolean(q || valid !== 'all' || dup !== 'all' || tags.length > 0);

  const load = useCallback(async () => {
    const my = ++requestId.current;
    setLoading(true);
    try {
      const r = await api.get<RegistrationPage>('/api/registrations', { ...filterQuery, page, limit: pageSize, sort: sort === '-enteredAt' ? undefined : sort });
      if (my !== requestId.current) return;
      setItems(r.items);
    } catch (err) {
      if (my === requestId.current) notifyError(err);
    } finally {
      if (my === requestId.current) setLoading(false);
    }
  }, [filterQuery, page, pageSize, sort, notifyError]);

  // The total depends on the filters only: not asked again when paging or sorting.
  const loadCount = useCallback(async () => {
    const my = ++countId.current;
    setCount(null);
    try {
      const c = await api.get<RegistrationCount>('/api/registrations/count', filterQuery);
      if (my === countId.current) setCount(c);
    } catch (err) {
      if (my === countId.current) notifyError(err);
    }
  }, [filterQuery, notifyError]);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    void loadCount();
    setSelected(new Map());
  }, [loadCount]);

  const refresh = () => {
    setRefreshKey((k) => k + 1);
    void load();
    void loadCount();
  };

  const columns = registrationColumns(shownColumns, sort);
  // Page numbers reach MAX_LIST_OFFSET rows deep; past it the filters narrow or the export serves.
  const reachable = count ? Math.min(count.total, MAX_LIST_OFFSET + pageSize) : items.length + (page - 1) * pageSize;
  const totalText = (n: number) =>
    count === null ? '正在统计…' : count.kind === 'exact' ? `共 ${n.toLocaleString('zh-CN')} 条` : count.kind === 'atLeast' ? `${count.total.toLocaleString('zh-CN')} 条以上` : `约 ${count.total.toLocaleString('zh-CN')} 条（按统计表估算）`;

  // The list's filters, the search term included: the export takes the same.
  const exportUrl = (format: 'xlsx' | 'csv') => withQuery('/api/registrations/export', { ...filterQuery, format });
  const trackedExport = useTrackedExport(); // issue 14: the export's progress while the browser downloads it

  const unitName = orgUnitId !== undefined ? (index.byId.get(orgUnitId)?.name ?? (orgUnitId === me.orgUnit.id ? me.orgUnit.name : '')) : '';

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <ValidCountCard orgUnitId={orgUnitId} unitName={unitName} refreshKey={refreshKey} />
      <Card
        title="登记记录"
        extra={
          <Space wrap>
            <Tooltip title="按当前的全部筛选条件导出人员明细数据表，导出记入审计日志">
              <Space.Compact>
                <Button icon={<FileExcelOutlined />} {...trackedExport(exportUrl('xlsx'))} download data-testid="export-xlsx">
                  导出明细
                </Button>
                <Button icon={<DownloadOutlined />} {...trackedExport(exportUrl('csv'))} download data-testid="export-csv">
                  导出 CSV
                </Button>
              </Space.Compact>
            </Tooltip>
            {canWriteRegistrations(me.role) && (
              <Button href="/registrations/form/blank" target="_blank" rel="noopener" data-testid="print-blank-form">
                打印空白登记表
              </Button>
            )}
            {canWriteRegistrations(me.role) && (
              <Button icon={<ImportOutlined />} onClick={() => navigate('/registrations/import')} data-testid="import-registrations">
                批量导入
              </Button>
            )}
            {canWriteRegistrations(me.role) && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/registrations/new')} data-testid="new-registration">
                新增登记
              </Button>
            )}
          </Space>
        }
      >
        <Space wrap style={{ marginBottom: 16 }}>
          <OrgTreeSelect
            id="reg-filter-org"
            aria-label="单位"
            value={orgUnitId}
            onChange={(v) => setFilter('org', v === undefined || v === scopeId ? undefined : String(v))}
            placeholder="全部单位"
            style={{ width: 240 }}
          />
          <Select<ValidFilter>
            aria-label="校验状态"
            value={valid}
            onChange={(v) => setFilter('valid', v)}
            style={{ width: 130 }}
            options={[
              { value: 'all', label: '全部状态' },
              { value: 'true', label: '有效' },
              { value: 'false', label: '无效' },
            ]}
          />
          <Select<DupFilter>
            aria-label="重复"
            value={dup}
            onChange={(v) => setFilter('dup', v)}
            style={{ width: 140 }}
            options={[
              { value: 'all', label: '全部记录' },
              { value: 'true', label: '重复记录' },
              { value: 'false', label: '计入的记录' },
            ]}
          />
          <Input.Search
            aria-label="搜索登记记录"
            placeholder="姓名或身份证号"
            allowClear
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(v) => setFilter('q', v.trim())}
            style={{ width: 240 }}
            enterButton="查询"
            maxLength={40}
          />
          <Button onClick={() => setMoreFilters((v) => !v)} data-testid="more-filters">
            {moreFilters ? '收起筛选' : '更多筛选'}
          </Button>
          <Button icon={<ReloadOutlined />} onClick={refresh}>
            刷新
          </Button>
          <ColumnSettings shown={shownColumns} onChange={setShownColumns} />
        </Space>
        {moreFilters && (
          <Space wrap style={{ marginBottom: 16 }} data-testid="filters-more">
            <Space.Compact>
              <Select
                aria-label="险种"
                value={insType || undefined}
                onChange={(v?: string) => setFilter('insType', v)}
                allowClear
                placeholder="险种"
                style={{ width: 200 }}
                options={CODE_TABLES.insuranceType.entries.map((e) => ({ value: e.code, label: e.label }))}
              />
              <Select
                aria-label="参保状态"
                value={insStatus || undefined}
                onChange={(v?: string) => setFilter('insStatus', v)}
                allowClear
                disabled={!insType}
                placeholder="参保状态"
                style={{ width: 120 }}
                options={[...CODE_TABLES.insuranceStatus.entries.map((e) => ({ value: e.code, label: e.label })), { value: 'none', label: '未填' }]}
              />
            </Space.Compact>
            <CodeSelect table="personCategory" aria-label="个人身份" value={personCategory === 'none' ? '' : personCategory} onChange={(v) => setFilter('category', v)} placeholder="个人身份" style={{ width: 200 }} />
            <DatePicker.RangePicker
              aria-label="录入日期"
              placeholder={['录入日期从', '至']}
              value={[enteredFrom ? dayjs(enteredFrom) : null, enteredTo ? dayjs(enteredTo) : null]}
              onChange={(range) => {
                setParams(
                  (prev) => {
                    const next = withoutFilters(prev, ['from', 'to', 'page']);
                    const [from, to] = range ?? [null, null];
                    if (from) next.set('from', from.format('YYYY-MM-DD'));
                    if (to) next.set('to', to.format('YYYY-MM-DD'));
                    return next;
                  },
                  { replace: true },
                );
              }}
              allowEmpty={[true, true]}
            />
            <Input.Search
              aria-label="采集人"
              placeholder="采集人"
              allowClear
              value={surveyorText}
              onChange={(e) => setSurveyorText(e.target.value)}
              onSearch={(v) => setFilter('surveyor', v.trim())}
              style={{ width: 160 }}
              maxLength={30}
            />
          </Space>
        )}
        {tags.length > 0 && (
          <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 6, marginBottom: 12 }} data-testid="filter-tags">
            <Typography.Text type="secondary">筛选条件：</Typography.Text>
            {tags.map((t) => (
              <Tag key={t.id} color="blue" closable onClose={() => removeFilters(t.keys)} data-testid={`filter-tag-${t.id}`} style={{ marginInlineEnd: 0 }}>
                {t.text}
              </Tag>
            ))}
            {tags.length > 1 && (
              <Button type="link" size="small" onClick={() => removeFilters(tags.flatMap((t) => t.keys))}>
                清除这些条件
              </Button>
            )}
          </div>
        )}
        <BulkActions selected={[...selected.values()]} canWrite={canWriteRegistrations(me.role)} onClear={() => setSelected(new Map())} onDeleted={() => { setSelected(new Map()); refresh(); }} />
        <div data-testid="registrations-table">
          <Table<Registration>
            rowKey="id"
            size="middle"
            loading={loading}
            dataSource={items}
            columns={columns}
            rowSelection={{
              selectedRowKeys: [...selected.keys()],
              preserveSelectedRowKeys: true,
              getCheckboxProps: (r) => ({ 'aria-label': `选择 ${r.record.name ?? r.id}`, disabled: !selected.has(r.id) && selected.size >= MAX_SELECTED }),
              onChange: (_keys, _rows, info) => {
                // The page's rows as ticked now; rows ticked on other pages stay.
                setSelected((prev) => {
                  const next = new Map(prev);
                  const keys = new Set(_keys.map(Number));
                  for (const r of items) {
                    if (keys.has(r.id)) next.set(r.id, r);
                    else next.delete(r.id);
                  }
                  if (info.type === 'none') next.clear();
                  return next;
                });
              },
            }}
            pagination={{
              current: page,
              pageSize,
              total: reachable,
              pageSizeOptions: PAGE_SIZES,
              showSizeChanger: true,
              showQuickJumper: true,
              showTotal: () => totalText(count?.total ?? 0),
              locale: { items_per_page: '条/页', jump_to: '跳至', page: '页' },
            }}
            onChange={(pagination, _filters, sorter, extra) => {
              const s = Array.isArray(sorter) ? sorter[0] : sorter;
              const nextSort = extra.action === 'sort' ? sortFromTable(s?.columnKey, s?.order) : sort;
              const nextSize = pagination.pageSize ?? pageSize;
              setPaging({ page: extra.action === 'paginate' && nextSize === pageSize ? (pagination.current ?? 1) : 1, size: nextSize, sort: nextSort });
            }}
            scroll={{ x: 900 }}
            onRow={(r) => ({ onClick: () => navigate(`/registrations/${r.id}`), style: { cursor: 'pointer' } })}
            locale={{ emptyText: filtered ? '没有符合条件的登记记录' : '暂无登记记录' }}
          />
        </div>
        <Typography.Text type="secondary" style={{ display: 'block', marginTop: 4 }} data-testid="list-footnote">
          {count && count.total > MAX_LIST_OFFSET ? `页码可翻阅前 ${MAX_LIST_OFFSET.toLocaleString('zh-CN')} 条，更多记录请缩小筛选范围或导出明细。` : ''}
          {count?.kind === 'estimate' ? '多个条件同时筛选时，总数按统计表估算，页码可能略多或略少。' : ''}
          身份证号和电话按个人信息保护要求脱敏显示，出生日期只显示年份。
        </Typography.Text>
      </Card>
    </Space>
  );
}
