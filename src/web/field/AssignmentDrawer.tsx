import { Alert, Button, Descriptions, Drawer, Form, Space, TreeSelect, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { MAX_ASSIGNED_COMMUNITIES, type FieldSurveyor } from '../../shared/api-field';
import { api } from '../api/client';
import { useNotifyError } from '../common/useNotifyError';
import { useOrgs } from '../common/useOrgs';
import { communityIds, communityTree } from './communityTree';

/**
 * 分配社区: the communities under the surveyor's own unit as a checkable tree (search by name, arrow
 * keys and Enter to check), the current ones checked. 保存 replaces the surveyor's communities.
 */
export function AssignmentDrawer({
  surveyor,
  onClose,
  onSaved,
}: {
  surveyor: FieldSurveyor | null;
  onClose: () => void;
  onSaved: (s: FieldSurveyor) => void;
}) {
  const { index, loading } = useOrgs();
  const notifyError = useNotifyError();
  const [selected, setSelected] = useState<number[]>([]);
  const [saving, setSaving] = useState(false);

  const tree = useMemo(() => (surveyor ? communityTree(index, surveyor.orgUnitId) : []), [index, surveyor]);
  const inTree = useMemo(() => communityIds(tree), [tree]);
  // Communities assigned before the surveyor moved to another unit: no longer assignable, so they
  // are named here and dropped on save (the server would refuse them).
  const stale = useMemo(() => (surveyor && !loading ? surveyor.communities.filter((c) => !inTree.has(c.orgUnitId)) : []), [surveyor, inTree, loading]);

  useEffect(() => {
    if (surveyor) setSelected(surveyor.communities.map((c) => c.orgUnitId));
  }, [surveyor]);

  // What the tree can show: the stale ones would appear as bare ids.
  const value = useMemo(() => selected.filter((id) => inTree.has(id)), [selected, inTree]);
  const count = value.length;

  const save = async () => {
    if (!surveyor) return;
    setSaving(true);
    try {
      const saved = await api.put<FieldSurveyor>(`/api/field/assignments/${surveyor.userId}`, { orgUnitIds: value });
      onSaved(saved);
    } catch (err) {
      notifyError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      title={surveyor ? `分配社区：${surveyor.displayName}（${surveyor.username}）` : '分配社区'}
      open={surveyor !== null}
      onClose={onClose}
      size={520}
      destroyOnHidden
      footer={
        <Space style={{ float: 'right' }}>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" loading={saving} disabled={loading || count > MAX_ASSIGNED_COMMUNITIES} onClick={() => void save()} data-testid="assignment-save">
            保存
          </Button>
        </Space>
      }
    >
      {surveyor && (
        <>
          <Descriptions size="small" column={1} style={{ marginBottom: 16 }}>
            <Descriptions.Item label="所属单位">{surveyor.orgUnitName}</Descriptions.Item>
          </Descriptions>
          <Form layout="vertical" name="fieldAssignment">
            <Form.Item
              label="负责社区/村"
              htmlFor="assignment-communities"
              extra={`只能选择所属单位（${surveyor.orgUnitName}）范围内的社区/村；可输入名称搜索，方向键移动，回车勾选。已选 ${count} 个，保存后替换原有分配。`}
            >
              <TreeSelect<number[]>
                id="assignment-communities"
                data-testid="assignment-communities"
                value={value}
                // Communities only: Enter or a click on a street must not add the street.
                onChange={(v) => setSelected((v ?? []).filter((id) => inTree.has(id)))}
                treeData={tree}
                treeCheckable
                showCheckedStrategy={TreeSelect.SHOW_CHILD}
                treeDefaultExpandAll
                loading={loading}
                placeholder={loading ? '正在加载…' : tree.length ? '请选择社区/村' : '该单位下没有社区/村'}
                disabled={!loading && !tree.length}
                showSearch={{ treeNodeFilterProp: 'title' }}
                listHeight={360}
                // The open picker points aria-controls/aria-owns at '<id>_list', an element the tree
                // list does not render (antd 6.6): the wrapper carries that id so the reference holds.
                popupRender={(menu) => <div id="assignment-communities_list">{menu}</div>}
                style={{ width: '100%' }}
                allowClear
              />
            </Form.Item>
          </Form>
          {count > MAX_ASSIGNED_COMMUNITIES && <Alert type="error" showIcon title={`一名调查员最多分配 ${MAX_ASSIGNED_COMMUNITIES} 个社区/村`} />}
          {stale.length > 0 && (
            <Alert
              type="warning"
              showIcon
              title="以下社区/村已不在该调查员所属单位范围内，保存后将不再分配给该调查员"
              description={<Typography.Text>{stale.map((c) => c.name).join('、')}</Typography.Text>}
            />
          )}
        </>
      )}
    </Drawer>
  );
}
