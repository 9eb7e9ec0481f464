// The phone app for field capture (/m/): its own page, small enough to keep on the phone, opened
// offline from the service worker's cache once it has been opened online.
import '../../zod-jitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { PhoneApp } from './PhoneApp';
import '../../global.css';
import './phone.css';

const container = document.getElementById('root');
if (!container) throw new Error('#root missing');
createRoot(container).render(
  <StrictMode>
    <PhoneApp />
  </StrictMode>,
);

if ('serviceWorker' in navigator) {
  // Precaches the app (vite.config.ts); a new release takes over at the next start.
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/m/sw.js', { scope: '/m/' }).catch(() => {
      // no service worker (private mode, an old browser): the app still works online
    });
  });
}
