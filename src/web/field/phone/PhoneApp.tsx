// The phone app's frame: login, the pages of a surveyor's day (task list, community, person form,
// outbox), the connection and session banners, and the bottom navigation.
import { CloudUploadOutlined, LogoutOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Badge, Button, Form, Input, Result, Spin, Tag } from 'antd';
import { useState, type ReactNode } from 'react';
import { BrowserRouter, NavLink, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { ApiError, errorMessage } from '../../api/client';
import { AntdRoot } from '../../common/AntdRoot';
import { CommunityPage } from './CommunityPage';
import { OutboxItemPage } from './OutboxItemPage';
import { OutboxPage } from './OutboxPage';
import { PersonEditPage } from './PersonEditPage';
import { PersonFormPage } from './PersonFormPage';
import { PhoneProvider, usePhone } from './PhoneContext';
import { TaskListPage } from './TaskListPage';

export function PhoneApp() {
  return (
    <AntdRoot>
      <BrowserRouter basename="/m">
        <PhoneProvider>
          <Gate />
        </PhoneProvider>
      </BrowserRouter>
    </AntdRoot>
  );
}

function Gate() {
  const { booting, user, session } = usePhone();
  const [relogin, setRelogin] = useState(false);
  if (booting) {
    return (
      <div style={{ display: 'flex', justifyContent: 'center', alignItems: 'center', height: '100vh' }}>
        <Spin size="large" />
      </div>
    );
  }
  if (!user) return <LoginScreen />;
  if (relogin && session === 'expired') return <LoginScreen username={user.username} onCancel={() => setRelogin(false)} />;
  if (user.mustChangePassword && session !== 'unknown') {
    return (
      <Shell title="参保采集">
        <Result status="warning" title="请先修改密码" subTitle="首次登录或密码已重置，须先修改密码才能使用。修改后回到本页继续。" extra={<a href="/password">修改密码</a>} />
      </Shell>
    );
  }
  if (user.role !== 'surveyor') {
    return (
      <Shell title="参保采集">
        <Result status="info" title="入户采集供调查员使用" subTitle="您的账号不是调查员，请在电脑上使用全民参保登记考核系统。" extra={<a href="/">打开系统首页</a>} />
      </Shell>
    );
  }
  return (
    <Routes>
      <Route path="/" element={<Shell title="我的任务" onRelogin={() => setRelogin(true)}><TaskListPage /></Shell>} />
      <Route path="/c/:orgUnitId" element={<Shell title="社区/村" back onRelogin={() => setRelogin(true)}><CommunityPage /></Shell>} />
      <Route path="/c/:orgUnitId/new" element={<Shell title="入户登记" back onRelogin={() => setRelogin(true)}><PersonFormPage /></Shell>} />
      <Route path="/c/:orgUnitId/p/:registrationId" element={<Shell title="修改已登记人员" back onRelogin={() => setRelogin(true)}><PersonEditPage /></Shell>} />
      <Route path="/outbox" element={<Shell title="待上传" onRelogin={() => setRelogin(true)}><OutboxPage /></Shell>} />
      <Route path="/outbox/:clientId" element={<Shell title="本机记录" back onRelogin={() => setRelogin(true)}><OutboxItemPage /></Shell>} />
      <Route path="*" element={<Shell title="参保采集"><Result status="404" title="页面不存在" extra={<NavLink to="/">返回任务</NavLink>} /></Shell>} />
    </Routes>
  );
}

function Shell({ title, back, children, onRelogin }: { title: string; back?: boolean; children: ReactNode; onRelogin?: () => void }) {
  const { user, online, session, counts, logout } = usePhone();
  const { modal, message } = AntApp.useApp();
  const navigate = useNavigate();
  const location = useLocation();

  const askLogout = () => {
    const unsent = counts.unsent;
    modal.confirm({
      title: unsent > 0 ? `还有 ${unsent} 条记录未上传` : '退出登录？',
      content:
        unsent > 0
          ? '退出后这些记录仍保留在本机，不会删除；下次用本账号登录后继续上传。已下载的任务数据将从本机清除。'
          : '退出后本机缓存的任务数据将被清除，离线时需要重新登录才能使用。',
      okText: '退出登录',
      okButtonProps: { danger: unsent > 0 },
      cancelText: '取消',
      onOk: async () => {
        await logout();
        void message.success('已退出登录');
        navigate('/', { replace: true });
      },
    });
  };

  return (
    <div className="phone-app">
      <header className="phone-top">
        {back && (
          <Button type="text" size="small" onClick={() => navigate(-1)} aria-label="返回">
            ‹ 返回
          </Button>
        )}
        <h1>{title}</h1>
        <Tag color={online ? 'success' : 'default'} style={{ marginInlineEnd: 0 }} data-testid="connection">
          {online ? '在线' : '离线'}
        </Tag>
        {user && (
          <Button type="text" size="small" icon={<LogoutOutlined />} onClick={askLogout} aria-label={`退出登录（${user.displayName}）`} data-testid="logout" />
        )}
      </header>
      {session === 'expired' && onRelogin && (
        <Alert
          type="warning"
          banner
          title="登录已失效：可继续离线登记，记录保存在本机，重新登录后上传。"
          action={
            <Button size="small" type="primary" onClick={onRelogin} data-testid="relogin">
              重新登录
            </Button>
          }
        />
      )}
      {!online && <Alert type="info" banner title="离线：记录保存在本机，网络恢复后自动上传。" data-testid="offline-banner" />}
      <main className="phone-body">{children}</main>
      {user?.role === 'surveyor' && (
        <nav className="phone-nav" aria-label="主导航">
          <NavLink to="/" end className={({ isActive }) => (isActive || location.pathname.startsWith('/c/') ? 'active' : '')}>
            <UnorderedListOutlined />
            我的任务
          </NavLink>
          <NavLink to="/outbox" className={({ isActive }) => (isActive ? 'active' : '')} data-testid="nav-outbox">
            <Badge count={counts.unsent} size="small" offset={[10, 0]}>
              <CloudUploadOutlined />
            </Badge>
            待上传
          </NavLink>
        </nav>
      )}
    </div>
  );
}

type LoginValues = { username: string; password: string; totp?: string };

function LoginScreen({ username, onCancel }: { username?: string; onCancel?: () => void }) {
  const { login, online } = usePhone();
  const [form] = Form.useForm<LoginValues>();
  const [busy, setBusy] = useState(false);
  const [needTotp, setNeedTotp] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (v: LoginValues) => {
    setBusy(true);
    setError(null);
    try {
      await login(v.username.trim(), v.password, needTotp && v.totp ? v.totp : undefined);
      onCancel?.();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'TOTP_REQUIRED') {
        setNeedTotp(true);
        setError('请输入动态验证码');
      } else setError(err instanceof ApiError && err.code === 'NETWORK' ? '无法连接服务器：首次使用和重新登录需要网络' : errorMessage(err));
      form.setFieldValue('password', '');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="phone-app" style={{ background: '#fff', paddingBottom: 0 }}>
      <header className="phone-top">
        <h1>全民参保登记 · 入户采集</h1>
      </header>
      <main className="phone-body" style={{ paddingTop: 32 }}>
        {!online && <Alert type="warning" showIcon title="当前离线：登录需要网络。" />}
        {error && <Alert type="error" showIcon title={error} data-testid="login-error" />}
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ username: username ?? '' }} requiredMark={false}>
          <Form.Item label="用户名" name="username" htmlFor="m-username" rules={[{ required: true, message: '请输入用户名' }]}>
            <Input id="m-username" size="large" autoComplete="username" autoCapitalize="off" />
          </Form.Item>
          <Form.Item label="密码" name="password" htmlFor="m-password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password id="m-password" size="large" autoComplete="current-password" />
          </Form.Item>
          {needTotp && (
            <Form.Item label="动态验证码" name="totp" htmlFor="m-totp" rules={[{ required: true, pattern: /^\d{6}$/, message: '请输入 6 位数字' }]}>
              <Input id="m-totp" size="large" inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" size="large" block loading={busy} data-testid="login-submit">
            登录
          </Button>
          {onCancel && (
            <Button type="link" block onClick={onCancel} style={{ marginTop: 8 }}>
              暂不登录，继续离线登记
            </Button>
          )}
        </Form>
      </main>
    </div>
  );
}
