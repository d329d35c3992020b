/** The words of the console's server-rendered pages (sign-in, the page frame), in both languages. */
import type { Lang, Text } from '../http/i18n.js';

export const CONSOLE_TEXTS = {
  title: { 'zh-CN': 'koobridge 管理控制台', en: 'koobridge admin console' },
  signInHeading: { 'zh-CN': '登录管理控制台', en: 'Sign in to the admin console' },
  signInIntro: {
    'zh-CN': '请输入部署时配置的管理令牌（ADMIN_TOKEN）。令牌只发送这一次：之后浏览器只保存一个有时限的加密会话。',
    en: 'Enter the admin token this bridge was configured with (ADMIN_TOKEN). It is sent once: the browser then keeps only a sealed, expiring session.',
  },
  tokenLabel: { 'zh-CN': '管理令牌', en: 'Admin token' },
  signIn: { 'zh-CN': '登录', en: 'Sign in' },
  wrongToken: { 'zh-CN': '令牌不正确，请检查后重试。', en: 'That token is not right. Check it and try again.' },
  expired: { 'zh-CN': '您的控制台会话已过期或已退出，请重新登录。', en: 'Your console session has expired or was signed out. Please sign in again.' },
  signedOut: { 'zh-CN': '您已退出管理控制台。', en: 'You are signed out of the admin console.' },
  disabled: {
    'zh-CN': '管理控制台未启用：请先为本服务配置 ADMIN_TOKEN。',
    en: 'The admin console is off: set ADMIN_TOKEN for this bridge to turn it on.',
  },
  crossSite: { 'zh-CN': '请求被拒绝：它不是从本控制台发出的。', en: 'Request refused: it did not come from this console.' },
  signOut: { 'zh-CN': '退出', en: 'Sign out' },
  language: { 'zh-CN': '语言', en: 'Language' },
  loading: { 'zh-CN': '正在加载…', en: 'Loading…' },
  noScript: { 'zh-CN': '管理控制台需要启用 JavaScript。', en: 'The admin console needs JavaScript.' },
} as const satisfies Record<string, Text>;

export type ConsoleTextKey = keyof typeof CONSOLE_TEXTS;
export const ct = (lang: Lang, key: ConsoleTextKey): string => CONSOLE_TEXTS[key][lang];
