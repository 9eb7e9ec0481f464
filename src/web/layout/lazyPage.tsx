// A page fetched when first opened (its own bundle), shown with a spinner meanwhile. When its bundle
// cannot be fetched (the network dropped, or a new release replaced the files since this tab was
// opened) the page says so and offers a reload instead of going blank.
import { Button, Result, Spin } from 'antd';
import { lazy, Suspense, type ComponentType } from 'react';

function LoadFailed() {
  return (
    <Result
      status="warning"
      title="页面加载失败"
      subTitle="网络中断或系统已更新，请刷新页面后重试"
      extra={
        <Button type="primary" onClick={() => window.location.reload()}>
          刷新页面
        </Button>
      }
    />
  );
}

function PageLoading() {
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spin size="large" tip="正在加载…">
        <div style={{ minHeight: 80 }} />
      </Spin>
    </div>
  );
}

export function lazyPage<M extends Record<string, unknown>, K extends keyof M>(load: () => Promise<M>, name: K): ComponentType {
  const Page = lazy(
    (): Promise<{ default: ComponentType }> =>
      load().then(
        (m) => ({ default: m[name] as ComponentType }),
        () => ({ default: LoadFailed }),
      ),
  );
  return function LazyPage() {
    return (
      <Suspense fallback={<PageLoading />}>
        <Page />
      </Suspense>
    );
  };
}
