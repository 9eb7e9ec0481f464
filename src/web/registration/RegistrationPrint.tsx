// The printable 全民参保登记表 pages, outside the app's layout: one person's record
// (/registrations/:id/print, from the detail page's 打印登记表) and the blank form for door-to-door
// surveys (/registrations/form/blank, from the list's 打印空白登记表). The record is read from the
// same endpoint as the detail page, so a role that gets masked data prints masked data.
import { PrinterOutlined } from '@ant-design/icons';
import { Button, Result, Space, Spin } from 'antd';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, ApiError, errorMessage } from '../api/client';
import { ancestorPath } from '../common/orgTree';
import { useOrgs } from '../common/useOrgs';
import { REGISTRATION_FORM_TITLE, RegistrationFormSheet } from './RegistrationFormSheet';
import type { RegistrationDetail } from './types';
import './registration-print.css';

function PrintFrame({ back, hint, children }: { back: ReactNode; hint: string; children: ReactNode }) {
  return (
    <div className="reg-print-page">
      <div className="reg-print-toolbar no-print">
        <Space wrap>
          <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="print-button">
            打印
          </Button>
          {back}
          <span className="hint">{hint}</span>
        </Space>
      </div>
      {children}
    </div>
  );
}

export function BlankRegistrationPrintPage() {
  useEffect(() => {
    document.title = `${REGISTRATION_FORM_TITLE}（空白）`;
  }, []);
  return (
    <PrintFrame back={<Link to="/registrations">返回登记记录</Link>} hint="请使用 A4 纸纵向打印，供入户调查时手工填写。">
      <RegistrationFormSheet values={null} place={null} />
    </PrintFrame>
  );
}

export function RegistrationPrintPage() {
  const params = useParams();
  const id = Number(params.id);
  const valid = Number.isInteger(id) && id > 0;
  const { index } = useOrgs();
  const [r, setR] = useState<RegistrationDetail | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!valid) return;
    let alive = true;
    api.get<RegistrationDetail>(`/api/registrations/${id}`).then(
      (x) => {
        if (!alive) return;
        setR(x);
        document.title = `${REGISTRATION_FORM_TITLE} · ${x.record.name ?? ''}`;
      },
      (err: unknown) => alive && setError(err),
    );
    return () => {
      alive = false;
    };
  }, [id, valid]);

  // 区 · 街道 · 社区 as far as the user's tree shows them (a street's clerk sees no district above).
  const place = useMemo(() => {
    if (!r) return [];
    const names = ancestorPath(index, r.orgUnitId)
      .map((u) => index.byId.get(u))
      .filter((u) => u && u.level !== 'city' && u.level !== 'agency')
      .map((u) => u!.name);
    return names.length > 0 ? names : [r.orgUnitName];
  }, [index, r]);

  if (!valid || (error instanceof ApiError && error.status === 404)) {
    return (
      <Result
        status="404"
        title="404"
        subTitle="登记记录不存在、已删除或不在您的管辖范围内。"
        data-testid="reg-print-not-found"
        extra={<Link to="/registrations">返回登记记录</Link>}
      />
    );
  }
  if (error) return <Result status="error" title="加载失败" subTitle={errorMessage(error)} />;
  if (!r) {
    return (
      <div style={{ display: 'flex', justifyContent: 'center', padding: 80 }}>
        <Spin size="large" />
      </div>
    );
  }
  return (
    <PrintFrame back={<Link to={`/registrations/${r.id}`}>返回登记记录详情</Link>} hint="请使用 A4 纸纵向打印；打印后由被调查人和调查员签字。">
      <RegistrationFormSheet values={r.record} place={place} masked={r.masked} />
    </PrintFrame>
  );
}
