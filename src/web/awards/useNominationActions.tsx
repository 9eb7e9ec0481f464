// The writes shared by the list and the form page: submit (confirmed, stating the unit's quota) and
// the city's evaluation. Every write sends the version read; a stale one (409 with the current form)
// loads the current form, any other refusal (over the quota, after the deadline) is shown in a dialog.
import { App } from 'antd';
import { useCallback } from 'react';
import { NOMINATION_STATUS_LABELS, type Nomination } from '../../shared/api-awards';
import { api, ApiError } from '../api/client';
import { useNotifyError } from '../common/useNotifyError';
import type { Quota } from './labels';

export type EvaluateResult = 'approved' | 'rejected';

export function useNominationActions({ onChanged, reload }: { onChanged: (n: Nomination) => void; reload: () => void }) {
  const { modal, message } = App.useApp();
  const notifyError = useNotifyError();

  /** Shows why a write was refused; returns nothing (the caller reports "not done"). */
  const refused = useCallback(
    (err: unknown, title: string) => {
      if (err instanceof ApiError && err.code === 'CONFLICT') {
        const current = (err.details as { current?: Nomination } | undefined)?.current;
        if (current) {
          onChanged(current);
          modal.warning({
            title: '推荐表已被他人修改',
            content: `您打开此推荐表后，其他用户已保存或提交了新的内容，您的操作没有执行。已载入最新版本（当前状态：${NOMINATION_STATUS_LABELS[current.status]}），请核对后再操作。`,
            okText: '知道了',
          });
          return;
        }
        // Over the quota, or a version changed meanwhile: the server's message, then the current state.
        modal.error({ title, content: err.message, okText: '知道了' });
        reload();
        return;
      }
      if (err instanceof ApiError && (err.code === 'FORBIDDEN' || err.code === 'INVALID_INPUT')) {
        modal.error({ title, content: err.message, okText: '知道了' });
        return;
      }
      notifyError(err);
    },
    [modal, notifyError, onChanged, reload],
  );

  /**
   * Asks, then submits. `target` runs inside the confirmation (the form page saves a changed form
   * there) and gives the nomination to submit. Resolves true when submitted.
   */
  const submit = useCallback(
    (name: string, quota: Quota | undefined, target: () => Promise<Nomination | null>): Promise<boolean> =>
      new Promise<boolean>((resolve) => {
        const remaining = quota ? quota.quota - quota.used : null;
        modal.confirm({
          title: `提交 ${name} 的推荐表？`,
          content: (
            <div data-testid="submit-confirm">
              <p>提交后推荐表报送市社保经办机构评审，本单位不能再修改。</p>
              {quota && remaining !== null && (
                <p>
                  {quota.orgUnitName}名额 {quota.quota} 名，已推荐 {quota.used} 名，
                  {remaining > 0 ? (
                    <>
                      提交后剩余 <strong>{remaining - 1}</strong> 名。
                    </>
                  ) : (
                    <strong style={{ color: '#cf1322' }}>名额已用完。</strong>
                  )}
                </p>
              )}
            </div>
          ),
          okText: '确认提交',
          cancelText: '取消',
          onCancel: () => resolve(false),
          onOk: async () => {
            try {
              const cur = await target();
              if (!cur) {
                resolve(false);
                return;
              }
              onChanged(await api.post<Nomination>(`/api/nominations/${cur.id}/submit`, { version: cur.version }));
              void message.success(`已提交 ${cur.name} 的推荐表`);
              resolve(true);
            } catch (err) {
              refused(err, '未能提交');
              resolve(false);
            }
          },
        });
      }),
    [message, modal, onChanged, refused],
  );

  /** The city's decision; resolves true when recorded. */
  const evaluate = useCallback(
    async (n: Nomination, result: EvaluateResult, opinion: string): Promise<boolean> => {
      try {
        onChanged(await api.post<Nomination>(`/api/nominations/${n.id}/evaluate`, { result, opinion, version: n.version }));
        void message.success(`已评审：${n.name}（${result === 'approved' ? '通过' : '不通过'}）`);
        return true;
      } catch (err) {
        refused(err, '未能评审');
        return false;
      }
    },
    [message, onChanged, refused],
  );

  return { submit, evaluate, refused };
}
