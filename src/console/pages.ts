/**
 * The console's two server-rendered pages: the sign-in form and the frame the front-end fills in.
 * No inline script or style (the CSP below forbids both): one style sheet, one module script, and
 * the CSRF token in a <meta> element the script reads. Every value is escaped.
 */
import { escapeHtml } from '../http/pages.js';
import type { Lang } from '../http/i18n.js';
import type { AppContext } from '../http/state.js';
import { ct, type ConsoleTextKey } from './texts.js';

export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const LANG_NAMES: Record<Lang, string> = { 'zh-CN': '中文', en: 'English' };

const head = (lang: Lang, extra = '') =>
  `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
  `<title>${escapeHtml(ct(lang, 'title'))}</title><link rel="icon" href="/admin/assets/favicon.svg"><link rel="stylesheet" href="/admin/assets/console.css">${extra}</head>`;

const languageLinks = (lang: Lang, path: string) =>
  (['zh-CN', 'en'] as const)
    .map((l) => (l === lang ? `<a class="current" aria-current="true" href="${path}?lang=${l}" data-lang="${l}">${LANG_NAMES[l]}</a>` : `<a href="${path}?lang=${l}" data-lang="${l}" lang="${l}">${LANG_NAMES[l]}</a>`))
    .join(' · ');

function send(ctx: AppContext, lang: Lang, status: number, html: string): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Content-Security-Policy', CONSOLE_CSP);
  ctx.set('Content-Language', lang);
  ctx.set('Vary', 'Accept-Language');
  ctx.body = html;
}

export interface SignInPage {
  notice?: { key: ConsoleTextKey; kind: 'error' | 'ok' };
  /** Whether the form is shown (not when the console is off). */
  form?: boolean;
}

export function sendSignInPage(ctx: AppContext, lang: Lang, status: number, page: SignInPage): void {
  const notice = page.notice ? `<p class="notice ${page.notice.kind}" role="${page.notice.kind === 'error' ? 'alert' : 'status'}">${escapeHtml(ct(lang, page.notice.key))}</p>` : '';
  const form =
    page.form === false
      ? ''
      : `<p>${escapeHtml(ct(lang, 'signInIntro'))}</p><form method="post" action="/admin/sign-in?lang=${lang}">` +
        `<label for="token">${escapeHtml(ct(lang, 'tokenLabel'))}</label>` +
        `<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>` +
        `<button type="submit">${escapeHtml(ct(lang, 'signIn'))}</button></form>`;
  const body =
    `<body><div class="signin"><h1>${escapeHtml(ct(lang, 'signInHeading'))}</h1>${notice}${form}` +
    `<p class="langs">${escapeHtml(ct(lang, 'language'))}: ${languageLinks(lang, '/admin/sign-in')}</p></div></body></html>`;
  send(ctx, lang, status, head(lang) + body);
}

/** The frame of the signed-in console: header (language, sign-out), navigation and view filled by /admin/assets/console/src/main.js. */
export function sendConsoleShell(ctx: AppContext, lang: Lang, csrf: string): void {
  const extra = `<meta name="koobridge-csrf" content="${escapeHtml(csrf)}"><script type="module" src="/admin/assets/console/src/main.js"></script>`;
  const body =
    `<body><header class="bar"><span class="brand">${escapeHtml(ct(lang, 'title'))}</span>` +
    `<span class="lang" id="languages">${escapeHtml(ct(lang, 'language'))}: ${languageLinks(lang, '/admin')}</span>` +
    `<form method="post" action="/admin/sign-out?lang=${lang}"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}">` +
    `<button type="submit" id="sign-out">${escapeHtml(ct(lang, 'signOut'))}</button></form></header>` +
    `<div class="layout"><nav class="side" id="nav" aria-label="console"></nav><main id="app"><p class="muted">${escapeHtml(ct(lang, 'loading'))}</p>` +
    `<noscript><p class="notice error">${escapeHtml(ct(lang, 'noScript'))}</p></noscript></main></div></body></html>`;
  send(ctx, lang, 200, head(lang, extra) + body);
}

