/**
 * The few HTML pages a browser sees: errors, the landing page, logout. Plain HTML with one inline
 * style block (allowed by a hash-less 'unsafe-inline' style CSP for these pages only), every
 * dynamic value escaped, in the language the browser asks for (http/i18n.ts).
 */
import type { ErrorCode } from '../shared/errors.js';
import { languageOf, t, th, type Lang, type LangSource, type MessageKey } from './i18n.js';
import type { AppContext } from './state.js';

const escapeHtml = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

// Primary (filled blue) confirms; secondary (white, grey outline) cancels or denies: never alike.
const STYLE = `body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2328;line-height:1.55}
h1{font-size:1.4rem}p.meta{color:#6e7781;font-size:.85rem}.nowrap{white-space:nowrap}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin:1.5rem 0}
a.button,button{display:inline-block;padding:.55rem 1.1rem;border:1px solid #1f6feb;border-radius:6px;background:#1f6feb;color:#fff;text-decoration:none;font:inherit;font-weight:600;cursor:pointer}
a.button.secondary,button.secondary{background:#fff;color:#1f2328;border-color:#8c959f;font-weight:400}
dl{display:grid;grid-template-columns:max-content auto;gap:.3rem 1rem}dt{color:#6e7781}`;

export interface PageOptions {
  title: string;
  /** Pre-escaped HTML body. */
  html: string;
  status?: number;
  /** The page's language; by default the request's (languageOf). */
  lang?: Lang;
}

// No form-action: the logout and consent forms end in redirects to other origins (the tenant IdP,
// the app), which browsers block under form-action 'self'.
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

export const pageHtml = (title: string, html: string, lang: Lang = 'en'): string =>
  `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)} · koobridge</title><style>${STYLE}</style></head><body>${html}</body></html>`;

/** Anything with Koa's request getters and response setters: the bridge's contexts and oidc-provider's. */
type PageContext = Pick<AppContext, 'status' | 'type' | 'set' | 'body'> & LangSource;

export function sendPage(ctx: PageContext, { title, html, status = 200, lang = languageOf(ctx) }: PageOptions): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Content-Security-Policy', PAGE_CSP);
  ctx.set('Content-Language', lang);
  ctx.set('Vary', 'Accept-Language');
  ctx.body = pageHtml(title, html, lang);
}

/** `<a class="button">` (primary) or `<a class="button secondary">`. */
export const linkButton = (href: string, label: string, kind: 'primary' | 'secondary' = 'primary'): string =>
  `<a class="button${kind === 'secondary' ? ' secondary' : ''}" href="${escapeHtml(href)}">${escapeHtml(label)}</a>`;

/** The small line for operators: the code, the status and the request id — never the log message. Short parts do not break (a request id stays whole). */
export const adminDetails = (lang: Lang, parts: string[]): string =>
  `<p class="meta">${th(lang, 'page.adminDetails')}${parts.map((p) => (p.length <= 48 ? `<span class="nowrap">${escapeHtml(p)}</span>` : escapeHtml(p))).join(' · ')}</p>`;

export interface ErrorPage {
  status: number;
  code: ErrorCode;
  title: string;
  text: string;
  action?: { href: string; label: MessageKey };
}

export function sendErrorPage(ctx: AppContext, lang: Lang, { status, code, title, text, action }: ErrorPage): void {
  sendPage(ctx, {
    status,
    lang,
    title,
    html:
      `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>` +
      (action ? `<p class="actions">${linkButton(action.href, t(lang, action.label))}</p>` : '') +
      adminDetails(lang, [code, `${t(lang, 'page.error')} ${status}`, `${t(lang, 'page.requestId')} ${ctx.state.requestId}`]),
  });
}

export function definitionList(rows: [string, unknown][]): string {
  return `<dl>${rows
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`)
    .join('')}</dl>`;
}

export { escapeHtml };
