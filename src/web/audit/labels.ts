// Chinese names of the audit events and object types the server writes; unknown codes are shown as-is.
export const AUDIT_EVENT_LABELS: Record<string, string> = {
  'auth.login': '登录',
  'auth.logout': '退出登录',
  'auth.password.change': '修改密码',
  'auth.reauth': '再次验证密码',
  'auth.session.end': '结束会话',
  'auth.unlock': '动态验证码解锁登录',
  'auth.totp.setup': '生成动态验证码密钥',
  'auth.totp.enable': '启用动态验证码',
  'auth.totp.disable': '停用动态验证码',
  'system.seed': '初始化数据',
  'user.create': '新建用户',
  'user.update': '修改用户',
  'user.password.reset': '重置密码',
  'user.unlock': '解锁用户',
  'org.create': '新增单位',
  'org.update': '修改单位',
  'campaign.copy': '复制考核批次',
  'campaign.update': '修改考核批次',
  'campaign.status': '变更批次状态',
  'audit.export': '导出审计日志',
  'audit.triggers_restored': '恢复审计日志保护触发器',
  'audit.mac_start': '启用审计日志校验码',
};

export const AUDIT_OBJECT_LABELS: Record<string, string> = {
  user: '用户',
  org_unit: '单位',
  campaign: '考核批次',
  session: '会话',
  system: '系统',
  audit_log: '审计日志',
};

export function eventLabel(code: string): string {
  return AUDIT_EVENT_LABELS[code] ?? code;
}

export function objectLabel(code: string | null): string {
  if (!code) return '—';
  return AUDIT_OBJECT_LABELS[code] ?? code;
}
