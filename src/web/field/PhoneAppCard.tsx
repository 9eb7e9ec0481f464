// On a surveyor's home page: where the phone app is (a QR code of /m/ on this server) and how to
// keep it on the phone's home screen.
import { MobileOutlined } from '@ant-design/icons';
import { Button, Card, Space, Typography } from 'antd';
import QRCode from 'qrcode';
import { useEffect, useState, type CSSProperties } from 'react';

export function PhoneAppCard({ style }: { style?: CSSProperties }) {
  const url = `${window.location.origin}/m/`;
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    QRCode.toDataURL(url, { margin: 1, width: 160, errorCorrectionLevel: 'M' }).then(
      (d) => alive && setQr(d),
      () => alive && setQr(null),
    );
    return () => {
      alive = false;
    };
  }, [url]);
  return (
    <Card title={<><MobileOutlined /> 手机入户采集</>} style={style} data-testid="phone-app-card">
      <Space align="start" size="large" wrap>
        {qr && <img src={qr} width={160} height={160} alt={`手机入户采集地址二维码：${url}`} />}
        <div style={{ maxWidth: 420 }}>
          <Typography.Paragraph>
            用手机扫描二维码或在手机浏览器中打开 <Typography.Text copyable code>{url}</Typography.Text>，用本账号登录。
          </Typography.Paragraph>
          <Typography.Paragraph>
            登录一次后，在浏览器菜单中选择“添加到主屏幕”，之后没有网络也能打开：入户登记的记录保存在手机上，网络恢复后自动上传。
          </Typography.Paragraph>
          <Button href="/m/" icon={<MobileOutlined />}>
            在本机打开
          </Button>
        </div>
      </Space>
    </Card>
  );
}
