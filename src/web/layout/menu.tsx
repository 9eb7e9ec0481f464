import { ApartmentOutlined, AuditOutlined, QuestionCircleOutlined, BarChartOutlined, FormOutlined, MoneyCollectOutlined, TrophyOutlined, FundProjectionScreenOutlined, HomeOutlined, ProfileOutlined, TeamOutlined, UserSwitchOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { Role } from '../api/types';

export type NavItem = { key: string; path: string; label: string; icon: ReactNode; roles?: readonly Role[] };

import { ASSESSMENT_ROLES, CITY_ADMIN_ONLY, FIELD_ASSIGNERS, USER_ADMIN_ROLES } from '../auth/roleGroups';

export const NAV_ITEMS: NavItem[] = [
  { key: 'home', path: '/', label: '首页', icon: <HomeOutlined /> },
  { key: 'registrations', path: '/registrations', label: '登记记录', icon: <FormOutlined /> },
  { key: 'statistics', path: '/statistics', label: '统计分析', icon: <BarChartOutlined /> },
  { key: 'orgs', path: '/orgs', label: '组织机构', icon: <ApartmentOutlined /> },
  { key: 'users', path: '/users', label: '用户管理', icon: <TeamOutlined />, roles: USER_ADMIN_ROLES },
  { key: 'field-assignments', path: '/field/assignments', label: '调查员分配', icon: <UserSwitchOutlined />, roles: FIELD_ASSIGNERS },
  { key: 'campaigns', path: '/campaigns', label: '考核批次', icon: <ProfileOutlined />, roles: ASSESSMENT_ROLES },
  { key: 'assessments', path: '/assessments', label: '考核评估', icon: <FundProjectionScreenOutlined />, roles: ASSESSMENT_ROLES },
  { key: 'fees', path: '/fees', label: '考核费用', icon: <MoneyCollectOutlined />, roles: ASSESSMENT_ROLES },
  { key: 'awards', path: '/awards', label: '先进个人', icon: <TrophyOutlined />, roles: ASSESSMENT_ROLES },
  { key: 'audit', path: '/audit', label: '审计日志', icon: <AuditOutlined />, roles: CITY_ADMIN_ONLY },
  { key: 'help', path: '/help', label: '帮助', icon: <QuestionCircleOutlined /> },
];

export function navItemsFor(role: Role): NavItem[] {
  return NAV_ITEMS.filter((i) => !i.roles || i.roles.includes(role));
}

/** The menu key of a path: the nav item with the longest matching prefix. */
export function selectedNavKey(pathname: string): string | undefined {
  let best: NavItem | undefined;
  for (const item of NAV_ITEMS) {
    const match = item.path === '/' ? pathname === '/' : pathname === item.path || pathname.startsWith(item.path + '/');
    if (match && (!best || item.path.length > best.path.length)) best = item;
  }
  return best?.key;
}
