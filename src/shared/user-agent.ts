// A browser's User-Agent string as people name their device: "Chrome 120 · Windows 10/11",
// "微信 8.0 · iOS 17.1 (iPhone)". Only the browsers and systems seen in Chinese offices and on
// surveyors' phones are named; anything else keeps a short generic name (the full string is shown on hover).

type Rule = { name: string; re: RegExp };

// Order matters: browsers built on Chromium also say "Chrome", and Chrome also says "Safari".
const BROWSERS: Rule[] = [
  { name: '微信', re: /MicroMessenger\/([\d.]+)/ },
  { name: '企业微信', re: /wxwork\/([\d.]+)/ },
  { name: '钉钉', re: /DingTalk\/([\d.]+)/ },
  { name: 'QQ浏览器', re: /QQBrowser\/([\d.]+)/ },
  { name: 'UC浏览器', re: /UCBrowser\/([\d.]+)/ },
  { name: '360浏览器', re: /QIHU 360(?:SE|EE)|360SE|360EE()/ },
  { name: '搜狗浏览器', re: /MetaSr ?([\d.]+)?|SE 2\.X MetaSr()/ },
  { name: '华为浏览器', re: /HuaweiBrowser\/([\d.]+)/ },
  { name: '小米浏览器', re: /MiuiBrowser\/([\d.]+)/ },
  { name: 'Edge', re: /Edg(?:e|A|iOS)?\/([\d.]+)/ },
  { name: 'Opera', re: /OPR\/([\d.]+)/ },
  { name: 'Firefox', re: /(?:Firefox|FxiOS)\/([\d.]+)/ },
  { name: 'Chrome（无界面）', re: /HeadlessChrome\/([\d.]+)/ },
  { name: 'Chrome', re: /(?:Chrome|CriOS)\/([\d.]+)/ },
  { name: 'Safari', re: /Version\/([\d.]+).*Safari\// },
  { name: 'Internet Explorer', re: /(?:MSIE |Trident\/.*rv:)([\d.]+)/ },
];

const WINDOWS: Record<string, string> = { '10.0': '10/11', '6.3': '8.1', '6.2': '8', '6.1': '7', '6.0': 'Vista', '5.1': 'XP' };

function system(ua: string): string | null {
  let m = /HarmonyOS(?:[ /]([\d.]+))?/.exec(ua) ?? /OpenHarmony(?:[ /]([\d.]+))?/.exec(ua);
  if (m) return `鸿蒙 ${m[1] ?? ''}`.trim();
  m = /Windows NT ([\d.]+)/.exec(ua);
  if (m) return `Windows ${WINDOWS[m[1]!] ?? m[1]}`;
  m = /(iPhone|iPad|iPod).*? OS ([\d_]+)/.exec(ua);
  if (m) return `iOS ${m[2]!.replace(/_/g, '.')}（${m[1]}）`;
  m = /Android ([\d.]+)/.exec(ua);
  if (m) return `Android ${m[1]}`;
  m = /Mac OS X ([\d_.]+)/.exec(ua);
  if (m) return `macOS ${m[1]!.replace(/_/g, '.')}`;
  if (/CrOS/.test(ua)) return 'ChromeOS';
  if (/UOS|Deepin/i.test(ua)) return '统信 UOS';
  if (/Kylin/i.test(ua)) return '麒麟';
  if (/Linux/.test(ua)) return 'Linux';
  return null;
}

/** The major version (and the minor one for Safari and WeChat, whose majors change rarely). */
function version(name: string, v: string | undefined): string {
  if (!v) return '';
  const parts = v.split('.');
  return ['Safari', '微信', '企业微信', '钉钉'].includes(name) ? parts.slice(0, 2).join('.') : parts[0]!;
}

/** "Chrome 120 · Windows 10/11"; null for an empty string; "未知浏览器" when nothing is recognised. */
export function describeUserAgent(ua: string | null | undefined): string | null {
  if (!ua || !ua.trim()) return null;
  const browser = BROWSERS.find((b) => b.re.test(ua));
  const b = browser ? `${browser.name} ${version(browser.name, browser.re.exec(ua)?.[1])}`.trim() : /curl|wget|python|node|axios|okhttp/i.test(ua) ? '程序访问' : '未知浏览器';
  const os = system(ua);
  return os ? `${b} · ${os}` : b;
}
