/**
 * The few HTML pages a browser sees: errors, the landing page, logout. Plain HTML with one inline
 * style block (allowed by a hash-less 'unsafe-inline' style CSP for these pages only), every
 * dynamic value escaped.
 */
import type { AppContext } from './state.js';

const escapeHtml = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2328}
h1{font-size:1.4rem}p.meta{color:#6e7781;font-size:.85rem}a.button,button{display:inline-block;padding:.5rem 1rem;border:1px solid #1f6feb;border-radius:6px;background:#1f6feb;color:#fff;text-decoration:none;font-size:1rem;cursor:pointer}
dl{display:grid;grid-template-columns:max-content auto;gap:.3rem 1rem}dt{color:#6e7781}`;

export interface PageOptions {
  title: string;
  /** Pre-escaped HTML body. */
  html: string;
  status?: number;
}

// No form-action: the logout and consent forms end in redirects to other origins (the tenant IdP,
// the app), which browsers block under form-action 'self'.
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

export const pageHtml = (title: string, html: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)} · koobridge</title><style>${STYLE}</style></head><body>${html}</body></html>`;

/** Anything with Koa's response setters: the bridge's contexts and oidc-provider's. */
type PageContext = Pick<AppContext, 'status' | 'type' | 'set' | 'body'>;

export function sendPage(ctx: PageContext, { title, html, status = 200 }: PageOptions): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Content-Security-Policy', PAGE_CSP);
  ctx.body = pageHtml(title, html);
}

export function sendErrorPage(ctx: AppContext, status: number, title: string, message: string, action?: { href: string; label: string }): void {
  sendPage(ctx, {
    status,
    title,
    html: `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${action ? `<p><a class="button" href="${escapeHtml(action.href)}">${escapeHtml(action.label)}</a></p>` : ''}<p class="meta">Error ${status} · request ${escapeHtml(ctx.state.requestId)}</p>`,
  });
}

export function definitionList(rows: [string, unknown][]): string {
  return `<dl>${rows
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`)
    .join('')}</dl>`;
}

export { escapeHtml };
