// 参保情况: the eight insurance types as rows (status, 参保地, 参保年月). On a phone each type is a
// small block; on a desktop a compact table.
import { Button, Col, Grid, Row, Typography } from 'antd';
import { INSURANCE_TYPES, INSURED_STATUSES } from '../../shared/codes/index';
import { insurancePlaceKey, insuranceSinceKey, insuranceStatusKey, type RegistrationKey } from '../../shared/registration';
import { FieldControl, type FieldCtl } from './fields';

function Message({ ctl, keys }: { ctl: FieldCtl; keys: RegistrationKey[] }) {
  const messages = keys.map((k) => ctl.errorOf(k)).filter((m): m is string => !!m);
  if (!messages.length) return null;
  return (
    <div className="ant-form-item-explain-error" role="alert" style={{ fontSize: 13, color: '#cf1322', marginTop: 2 }}>
      {messages.join('；')}
    </div>
  );
}

export function InsuranceTable({ ctl }: { ctl: FieldCtl }) {
  const screens = Grid.useBreakpoint();
  const wide = !!screens.md;

  const setAll = (status: string) => {
    for (const t of INSURANCE_TYPES) {
      ctl.set(insuranceStatusKey(t.code), status);
      ctl.touch(insuranceStatusKey(t.code));
    }
  };

  return (
    <div data-testid="insurance-table">
      {!ctl.readOnly && (
        <div style={{ marginBottom: 8, display: 'flex', gap: 8, flexWrap: 'wrap', alignItems: 'center' }}>
          <Typography.Text type="secondary">参保地、参保年月在参保状态为正常参保、暂停或终止时填写。</Typography.Text>
          <Button size="small" onClick={() => setAll('0')} tabIndex={-1}>
            全部设为未参保
          </Button>
        </div>
      )}
      {wide && (
        <Row gutter={8} style={{ fontWeight: 500, padding: '6px 0', borderBottom: '1px solid #f0f0f0', background: '#fafafa' }}>
          <Col span={7} style={{ paddingLeft: 12 }}>
            险种
          </Col>
          <Col span={5}>参保状态</Col>
          <Col span={8}>参保地</Col>
          <Col span={4}>参保年月</Col>
        </Row>
      )}
      {INSURANCE_TYPES.map((t) => {
        const statusKey = insuranceStatusKey(t.code);
        const placeKey = insurancePlaceKey(t.code);
        const sinceKey = insuranceSinceKey(t.code);
        const status = ctl.values[statusKey];
        const insured = INSURED_STATUSES.has(status);
        // Place and month only matter for the insured; kept editable when a value is already there.
        const placeOff = !insured && !ctl.values[placeKey];
        const sinceOff = !insured && !ctl.values[sinceKey];
        return (
          <Row
            key={t.code}
            gutter={[8, 4]}
            align="middle"
            style={{ padding: '6px 0', borderBottom: '1px solid #f0f0f0' }}
            data-testid={`ins-${t.code}`}
          >
            <Col xs={24} md={7} style={{ paddingLeft: wide ? 12 : undefined }}>
              <Typography.Text strong={!wide}>{t.label}</Typography.Text>
            </Col>
            <Col xs={24} md={5}>
              <FieldControl k={statusKey} ctl={ctl} size="small" ariaLabel={`${t.label}参保状态`} placeholder="未填" />
            </Col>
            {(wide || !placeOff || !sinceOff) && (
              <Col xs={14} md={8}>
                <FieldControl k={placeKey} ctl={ctl} size="small" disabled={placeOff} ariaLabel={`${t.label}参保地`} placeholder={placeOff ? '—' : '参保地（必填）'} />
              </Col>
            )}
            {(wide || !placeOff || !sinceOff) && (
              <Col xs={10} md={4}>
                <FieldControl k={sinceKey} ctl={ctl} size="small" disabled={sinceOff} ariaLabel={`${t.label}参保年月`} placeholder={sinceOff ? '—' : 'YYYY-MM'} />
              </Col>
            )}
            {[statusKey, placeKey, sinceKey].some((k) => ctl.errorOf(k)) && (
              <Col xs={24} md={{ span: 17, offset: 7 }}>
                <Message ctl={ctl} keys={[statusKey, placeKey, sinceKey]} />
              </Col>
            )}
          </Row>
        );
      })}
    </div>
  );
}
