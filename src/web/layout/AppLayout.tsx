import { DownOutlined, KeyOutlined, LaptopOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Button, Dropdown, Grid, Layout, Menu, Space, Typography, theme, type MenuProps } from 'antd';
import { useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { ROLE_LABELS } from '../../shared/roles';
import { useAuth, useUser } from '../auth/AuthContext';
import { navItemsFor, selectedNavKey } from './menu';

const { Header, Sider, Content } = Layout;

export function AppLayout() {
  const user = useUser();
  const { logout } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  const { token } = theme.useToken();
  // Phones (surveyors): the menu folds away completely and the page uses the whole width.
  const narrow = Grid.useBreakpoint().md === false;

  // While the password must be changed nothing else is reachable: no menu.
  const items = user.mustChangePassword ? [] : navItemsFor(user.role);
  const selected = selectedNavKey(location.pathname);

  const userMenu: MenuProps['items'] = [
    { key: 'password', icon: <KeyOutlined />, label: '修改密码' },
    ...(user.mustChangePassword ? [] : [{ key: 'sessions', icon: <LaptopOutlined />, label: '登录设备与安全' }]),
    { type: 'divider' as const },
    { key: 'logout', icon: <LogoutOutlined />, label: '退出登录' },
  ];

  const onUserMenu: MenuProps['onClick'] = ({ key }) => {
    if (key === 'password') navigate('/password');
    else if (key === 'sessions') navigate('/sessions');
    else if (key === 'logout') {
      void logout().finally(() => navigate('/login', { replace: true }));
    }
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        width={208}
        breakpoint="lg"
        collapsedWidth={narrow ? 0 : 80}
        trigger={narrow ? null : undefined}
        style={narrow ? { position: 'fixed', top: 64, bottom: 0, left: 0, zIndex: 100 } : undefined}
      >
        <div
          style={{
            height: 64,
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'center',
            color: '#fff',
            fontWeight: 600,
            fontSize: collapsed ? 14 : 16,
            whiteSpace: 'nowrap',
            overflow: 'hidden',
          }}
        >
          {collapsed ? '参保' : '全民参保登记'}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={selected ? [selected] : []}
          items={items.map((i) => ({ key: i.key, icon: i.icon, label: i.label }))}
          onClick={({ key }) => {
            const item = items.find((i) => i.key === key);
            if (item) navigate(item.path);
            if (narrow) setCollapsed(true);
          }}
        />
      </Sider>
      <Layout>
        <Header
          style={{
            background: token.colorBgContainer,
            padding: narrow ? '0 12px' : '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
          }}
        >
          <Space size={4}>
            {narrow && (
              <Button type="text" icon={<MenuOutlined />} aria-label="导航" onClick={() => setCollapsed((c) => !c)} />
            )}
            <Typography.Title level={4} style={{ margin: 0, whiteSpace: 'nowrap', fontSize: narrow ? 16 : undefined }}>
              {narrow ? '全民参保登记' : '全民参保登记考核系统'}
            </Typography.Title>
          </Space>
          <Dropdown menu={{ items: userMenu, onClick: onUserMenu }} trigger={['click']} placement="bottomRight">
            <a
              data-testid="user-menu"
              role="button"
              tabIndex={0}
              onClick={(e) => e.preventDefault()}
              style={{ color: 'inherit' }}
              aria-haspopup="menu"
            >
              <Space>
                <Avatar size="small" icon={<UserOutlined />} />
                <span>{user.displayName}</span>
                {!narrow && (
                  <Typography.Text type="secondary">
                    {user.orgUnit.name} · {ROLE_LABELS[user.role]}
                  </Typography.Text>
                )}
                <DownOutlined />
              </Space>
            </a>
          </Dropdown>
        </Header>
        <Content style={{ margin: narrow ? 8 : 24 }}>
          <Outlet />
        </Content>
      </Layout>
    </Layout>
  );
}
