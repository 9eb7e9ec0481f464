// The app's Ant Design theme (issue 14, accessibility): every text at least WCAG AA contrast (4.5:1)
// on white and on the grey page background. Ant Design's defaults put secondary text, statistic
// titles and placeholders at 45 % / 25 % black (3.3:1 / 1.6:1) and its primary blue at 4.1:1, which
// fails for link text and for white text on selected menu items and primary buttons.
import type { ThemeConfig } from 'antd';
import { useSyncExternalStore } from 'react';

/** Blue 7 of Ant Design's palette: 5.9:1 on white, and white on it. */
export const PRIMARY = '#0958d9';
/** Secondary text (descriptions, statistic titles, hints): 60 % black, 5.7:1 on white, 5.2:1 on #f5f5f5. */
export const TEXT_SECONDARY = 'rgba(0, 0, 0, 0.6)';
/** Placeholders: 56 % black, 4.9:1 on white. */
const TEXT_PLACEHOLDER = 'rgba(0, 0, 0, 0.56)';

export const appTheme: ThemeConfig = {
  token: {
    colorPrimary: PRIMARY,
    colorLink: PRIMARY,
    colorInfo: PRIMARY,
    colorTextTertiary: TEXT_SECONDARY,
    colorTextDescription: TEXT_SECONDARY,
    colorTextPlaceholder: TEXT_PLACEHOLDER,
    colorTextLabel: 'rgba(0, 0, 0, 0.7)',
    // The status colours stay Ant Design's (they also make the tags' and alerts' backgrounds);
    // their text uses are darkened: tags in global.css, danger buttons and validation messages here.
  },
  components: {
    // Red 7: 5.6:1 on white (Ant Design's red 6, #ff4d4f, is 3.3:1).
    Button: { colorError: '#cf1322', colorErrorHover: '#a8071a', colorErrorActive: '#820014' },
    Form: { colorError: '#cf1322' },
  },
};

/**
 * The theme as the user's system asks for it. With 「减少动态效果」 (prefers-reduced-motion: reduce)
 * Ant Design's own styles drop their keyframe animations, and this theme turns its motion token off
 * too, so its transitions take no time: dialogs, lists and messages appear and go at once. It follows
 * the setting when it changes while a page is open.
 */
export function useAppTheme(): ThemeConfig {
  const reduced = useSyncExternalStore(subscribeReducedMotion, prefersReducedMotion, () => false);
  return reduced ? reducedMotionTheme : appTheme;
}

const reducedMotionTheme: ThemeConfig = { ...appTheme, token: { ...appTheme.token, motion: false } };
const REDUCED_MOTION = '(prefers-reduced-motion: reduce)';

function prefersReducedMotion(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia(REDUCED_MOTION).matches;
}

function subscribeReducedMotion(onChange: () => void): () => void {
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return () => {};
  const query = window.matchMedia(REDUCED_MOTION);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}
