import { Result, Spin } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useLocation, useParams } from 'react-router-dom';
import { api, ApiError, errorMessage } from '../api/client';
import { RegistrationEditor, type NextPersonState } from './RegistrationEditor';
import type { RegistrationDetail } from './types';

/** /registrations/new — a fresh form; after "保存并录入同户下一人" it arrives with the household prefilled. */
export function RegistrationNewPage() {
  const location = useLocation();
  const state = location.state as NextPersonState | null;
  // Each navigation here (also from this page to itself) starts a new form.
  return <RegistrationEditor key={location.key} mode="new" prefill={state?.prefill} saved={state?.saved} />;
}

/** /registrations/:id/edit */
export function RegistrationEditPage() {
  const params = useParams();
  const id = Number(params.id);
  const [record, setRecord] = useState<RegistrationDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (!Number.isInteger(id) || id <= 0) return;
    let alive = true;
    setRecord(null);
    setError(null);
    api.get<RegistrationDetail>(`/api/registrations/${id}`).then(
      (r) => {
        if (alive) setRecord(r);
      },
      (err: unknown) => {
        if (alive) setError(err);
      },
    );
    return () => {
      alive = false;
    };
  }, [id, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);

  if (!Number.isInteger(id) || id <= 0 || (error instanceof ApiError && error.status === 404)) {
    return <Result status="404" title="404" subTitle="登记记录不存在或已删除。" />;
  }
  if (error) return <Result status="error" title="加载失败" subTitle={errorMessage(error)} />;
  if (!record) return <Spin style={{ display: 'block', margin: '48px auto' }} />;
  if (record.masked) return <Result status="403" title="403" subTitle="您的角色只能查看脱敏信息，不能修改登记记录。" />;
  return <RegistrationEditor key={`${record.id}.${record.version}.${tick}`} mode="edit" record={record} onReload={reload} />;
}
