// Connects the API client's central handlers to React: routing, the auth state and the re-auth modal.
import { App } from 'antd';
import { useEffect } from 'react';
import { useNavigate } from 'react-router-dom';
import { setApiHandlers } from '../api/client';
import { useAuth } from './AuthContext';
import { requestReauth } from './ReauthProvider';

export function ApiBridge() {
  const navigate = useNavigate();
  const { clear } = useAuth();
  const { message } = App.useApp();

  useEffect(() => {
    setApiHandlers({
      onUnauthenticated: () => {
        const wasLoggedIn = clear();
        if (wasLoggedIn) void message.warning({ content: '会话已过期，请重新登录', key: 'session-expired' });
        if (window.location.pathname !== '/login') {
          navigate('/login', { replace: true, state: { from: window.location.pathname + window.location.search } });
        }
      },
      onPasswordChangeRequired: () => {
        if (window.location.pathname !== '/password') navigate('/password', { replace: true });
      },
      requestReauth,
    });
  }, [navigate, clear, message]);

  return null;
}
