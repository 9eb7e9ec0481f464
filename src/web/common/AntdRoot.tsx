// The Ant Design frame shared by the desktop app and the phone app: Chinese for antd and dayjs, the
// theme as the user's system asks for it (useAppTheme), no space put between the two characters of
// a button's label, and antd's App so that pages reach modal and message through App.useApp().
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import type { ReactNode } from 'react';
import { useAppTheme } from '../theme';

dayjs.locale('zh-cn');

export function AntdRoot({ children }: { children: ReactNode }) {
  const theme = useAppTheme();
  return (
    <ConfigProvider locale={zhCN} theme={theme} button={{ autoInsertSpace: false }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}
