/**
 * The words of the pages people read, in Simplified Chinese and English: a small catalogue (no
 * framework: two languages, a few dozen sentences) and the choice of language per request.
 *
 * Choice: `?lang=zh-CN|en` when given, else the first language of Accept-Language (by q-value, then
 * order) that we speak — any `zh…` tag is Chinese, any `en…` tag English, `*` the default — else the
 * default, Chinese: the people signing in are employees of Chinese enterprises.
 */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const DEFAULT_LANG: Lang = 'zh-CN';

/** One text in both languages. */
export type Text = Record<Lang, string>;

const tagLang = (tag: string): Lang | null => {
  const t = tag.trim().toLowerCase();
  if (t === 'zh' || t.startsWith('zh-')) return 'zh-CN';
  if (t === 'en' || t.startsWith('en-')) return 'en';
  if (t === '*') return DEFAULT_LANG;
  return null;
};

/** The language of a page for this Accept-Language header and optional `?lang=` override. */
export function chooseLanguage(acceptLanguage: string | undefined, override?: unknown): Lang {
  if (typeof override === 'string') {
    const forced = tagLang(override);
    if (forced && override !== '*') return forced;
  }
  const ranges = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.split(';');
      const q = params.find((p) => /^\s*q\s*=/i.test(p));
      // A q-value that is not a number (RFC 9110: 0 to 1, three decimals at most) counts as refused.
      const weight = q === undefined ? 1 : /^\s*q\s*=\s*([01](\.\d{0,3})?)\s*$/i.test(q) ? Number(q.split('=')[1]) : 0;
      return { lang: tagLang(tag), weight, index };
    })
    .filter((r) => r.lang !== null && r.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return ranges[0]?.lang ?? DEFAULT_LANG;
}

/** Anything with Koa's request getters: the bridge's contexts and oidc-provider's. */
export interface LangSource {
  get(field: string): string;
  query: Record<string, unknown>;
}

export const languageOf = (ctx: LangSource): Lang => chooseLanguage(ctx.get('accept-language') || undefined, ctx.query.lang);

/**
 * The time zone of the times on our pages: the browser does not tell a server its zone, and the
 * people signing in work in China. The zone is always named next to the time.
 */
export const PAGE_TIME_ZONE = 'Asia/Shanghai';

/** "2026年12月1日星期二 18:03（北京时间，UTC+8）" / "Tuesday, 1 December 2026 at 18:03 (China Standard Time, UTC+8)". */
export function formatTime(lang: Lang, epochMs: number): string {
  // en-GB: a 24-hour clock and day-month-year, as people in China read English dates.
  const when = new Intl.DateTimeFormat(lang === 'zh-CN' ? 'zh-CN' : 'en-GB', { dateStyle: 'full', timeStyle: 'short', timeZone: PAGE_TIME_ZONE }).format(epochMs);
  return lang === 'zh-CN' ? `${when}（北京时间，UTC+8）` : `${when} (China Standard Time, UTC+8)`;
}

/** The sentences of the pages; `{name}` marks a value filled in (escaped) by the page. */
export const MESSAGES = {
  'page.signInAgain': { 'zh-CN': '重新登录', en: 'Sign in again' },
  'page.anotherOrganization': { 'zh-CN': '不是这个组织？', en: 'Another organization?' },
  'page.anotherOrganizationLink': { 'zh-CN': '使用其他组织登录', en: 'Sign in with another organization' },
  'page.adminDetails': { 'zh-CN': '供管理员排查的信息：', en: 'Details for your administrator: ' },
  'page.requestId': { 'zh-CN': '请求编号', en: 'request' },
  'page.error': { 'zh-CN': '错误', en: 'Error' },

  'landing.notSignedIn.title': { 'zh-CN': '未登录', en: 'Not signed in' },
  'landing.notSignedIn.heading': { 'zh-CN': '您尚未登录', en: 'You are not signed in' },
  'landing.signIn': { 'zh-CN': '通过 KooGallery 登录', en: 'Sign in with KooGallery' },
  'landing.title': { 'zh-CN': '已登录', en: 'Signed in' },
  'landing.heading': { 'zh-CN': '您已登录：{name}', en: 'Signed in as {name}' },
  'landing.organization': { 'zh-CN': '组织', en: 'Organization' },
  'landing.account': { 'zh-CN': '账号', en: 'Account' },
  'landing.role': { 'zh-CN': '角色', en: 'Role' },
  'landing.department': { 'zh-CN': '部门', en: 'Department' },
  'landing.email': { 'zh-CN': '电子邮箱', en: 'E-mail' },
  'landing.mobile': { 'zh-CN': '手机', en: 'Mobile' },
  'landing.method': { 'zh-CN': '登录方式', en: 'Signed in with' },
  'landing.sessionEnds': { 'zh-CN': '登录最晚有效至', en: 'Session ends at the latest' },
  'landing.signOut': { 'zh-CN': '退出登录', en: 'Sign out' },

  'logout.title': { 'zh-CN': '退出登录', en: 'Sign out' },
  'logout.heading': { 'zh-CN': '要退出登录吗？', en: 'Sign out?' },
  'logout.signedInAs': { 'zh-CN': '您当前的登录身份是 {name}（{organization}）。', en: 'You are signed in as {name} ({organization}).' },
  'logout.confirm': { 'zh-CN': '退出登录', en: 'Sign out' },
  'logout.cancel': { 'zh-CN': '保持登录', en: 'Stay signed in' },
  'loggedOut.title': { 'zh-CN': '已退出登录', en: 'Signed out' },
  'loggedOut.heading': { 'zh-CN': '您已退出登录', en: 'You are signed out' },

  'confirm.title': { 'zh-CN': '确认登录', en: 'Confirm sign-in' },
  'confirm.heading': { 'zh-CN': '以 {name} 的身份继续？', en: 'Continue as {name}?' },
  'confirm.who': { 'zh-CN': '{name}（{account}，{organization}）', en: '{name} ({account}) of {organization}' },
  'confirm.signingInAs': { 'zh-CN': '您正在登录的账号是 {who}。', en: 'You are signing in as {who}.' },
  'confirm.previous': {
    'zh-CN': '此浏览器当前登录的账号是 {who}。继续将在这里退出该账号；取消则保留它。',
    en: 'This browser is signed in as {who}. Continuing signs that account out here; cancelling keeps it.',
  },
  'confirm.app': { 'zh-CN': '等待此次登录的应用将收到这个身份。', en: 'The application waiting for this sign-in will receive this identity.' },
  'confirm.notYou': {
    'zh-CN': '如果这不是您本人，请取消：可能有人正试图让您登录到他们的账号。',
    en: 'If this is not you, cancel: someone may be trying to sign you in to their account.',
  },
  'confirm.continue': { 'zh-CN': '以 {name} 的身份继续', en: 'Continue as {name}' },
  'confirm.cancel': { 'zh-CN': '取消', en: 'Cancel' },

  'consent.title': { 'zh-CN': '授权访问', en: 'Allow access' },
  'consent.heading': { 'zh-CN': '允许 {app} 访问您的账号吗？', en: 'Allow {app} to access your account?' },
  'consent.asks': { 'zh-CN': '它将获得：{scopes}。', en: 'It asks for: {scopes}.' },
  'consent.allow': { 'zh-CN': '允许', en: 'Allow' },
  'consent.deny': { 'zh-CN': '拒绝', en: 'Deny' },
  'scope.profile': { 'zh-CN': '您的姓名、账号和角色', en: 'your name, account and role' },
  'scope.email': { 'zh-CN': '您的电子邮箱', en: 'your e-mail address' },
  'scope.phone': { 'zh-CN': '您的手机号码', en: 'your mobile number' },
  'scope.offline_access': { 'zh-CN': '在您离开后继续访问', en: 'access while you are away' },

  'oidcError.title': { 'zh-CN': '无法处理这次登录请求', en: 'Sign-in request refused' },
  'oidcError.text': {
    'zh-CN': '应用发来的登录请求无法被接受。请回到应用重新登录；如果问题仍然出现，请联系您的管理员。',
    en: 'The application sent a request this service cannot accept. Please go back to the application and sign in again; if it happens again, tell your administrator.',
  },
  'oidcLogout.heading': { 'zh-CN': '要退出登录吗？', en: 'Sign out?' },
  'oidcLogout.headingApp': { 'zh-CN': '要退出 {app} 吗？', en: 'Sign out of {app}?' },
  'oidcLogout.yes': { 'zh-CN': '是，在所有应用中退出', en: 'Yes, sign me out everywhere' },
  'oidcLogout.no': { 'zh-CN': '否，保持登录', en: 'No, stay signed in' },
} as const satisfies Record<string, Text>;

export type MessageKey = keyof typeof MESSAGES;

/** A sentence as plain text, `{name}` replaced by the given values (not escaped: for titles and attributes). */
export function t(lang: Lang, key: MessageKey, values: Record<string, string> = {}): string {
  return MESSAGES[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

const escape = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A sentence as HTML: the sentence escaped, `{name}` replaced by the given HTML (escape values yourself). */
export function th(lang: Lang, key: MessageKey, html: Record<string, string> = {}): string {
  return escape(MESSAGES[key][lang]).replace(/\{(\w+)\}/g, (whole, name: string) => html[name] ?? whole);
}
