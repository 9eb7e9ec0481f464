// before → after of an audit entry: pretty JSON side by side, the changed top-level keys highlighted.
import { Col, Row, Tag, Typography } from 'antd';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function changedKeys(before: unknown, after: unknown): string[] {
  if (!isPlainObject(before) || !isPlainObject(after)) return [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
}

function Pretty({ value, highlight }: { value: unknown; highlight: Set<string> }) {
  if (value === null || value === undefined) return <Typography.Text type="secondary">（无）</Typography.Text>;
  if (!isPlainObject(value)) {
    return <pre style={preStyle}>{JSON.stringify(value, null, 2)}</pre>;
  }
  const entries = Object.entries(value);
  return (
    <pre style={preStyle}>
      {'{\n'}
      {entries.map(([k, v], i) => (
        <span key={k} style={highlight.has(k) ? { background: '#fff1b8', display: 'block' } : { display: 'block' }}>
          {'  '}
          {JSON.stringify(k)}: {JSON.stringify(v, null, 2).replace(/\n/g, '\n  ')}
          {i < entries.length - 1 ? ',' : ''}
        </span>
      ))}
      {'}'}
    </pre>
  );
}

const preStyle: React.CSSProperties = {
  margin: 0,
  padding: 8,
  background: '#fafafa',
  border: '1px solid #f0f0f0',
  borderRadius: 4,
  maxHeight: 400,
  overflow: 'auto',
  fontSize: 12,
  whiteSpace: 'pre-wrap',
  wordBreak: 'break-all',
};

export function JsonDiff({ before, after }: { before: unknown; after: unknown }) {
  const keys = changedKeys(before, after);
  const hl = new Set(keys);
  return (
    <div>
      {keys.length > 0 && (
        <div style={{ marginBottom: 8 }}>
          变更字段：
          {keys.map((k) => (
            <Tag key={k} color="gold">
              {k}
            </Tag>
          ))}
        </div>
      )}
      <Row gutter={16}>
        <Col span={12}>
          <Typography.Text strong>变更前</Typography.Text>
          <Pretty value={before} highlight={hl} />
        </Col>
        <Col span={12}>
          <Typography.Text strong>变更后</Typography.Text>
          <Pretty value={after} highlight={hl} />
        </Col>
      </Row>
    </div>
  );
}
