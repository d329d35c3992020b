/**
 * The operators' console at /admin: sign-in (the admin token, posted once), the page frame, its
 * files, sign-out. Its data comes from the admin JSON API (/admin/api), which accepts the console's
 * cookie (console-auth.ts). Pages are answered here, errors included, under the console's CSP.
 */
import { sameSecret } from '../shared/hash.js';
import { KbError } from '../shared/errors.js';
import type { Observations } from '../shared/observations.js';
import { postSource } from '../http/fetch-site.js';
import { languageOf, type Lang } from '../http/i18n.js';
import { readSmallForm } from '../http/raw-body.js';
import { originOf, type AppContext, type AppMiddleware } from '../http/state.js';
import type { Assets } from './assets.js';
import type { ConsoleSessions } from './console-session.js';
import { checkConsoleRequest } from './csrf.js';
import { CONSOLE_CSP, sendConsoleShell, sendSignInPage } from './pages.js';

export interface ConsoleRouteDeps {
  /** Null when ADMIN_TOKEN is not set: the console says it is off. */
  sessions: ConsoleSessions | null;
  adminToken: string | null;
  publicUrl: string;
  assets: Assets;
  observations: Observations;
}

const NOTICES = { expired: 'expired', 'signed-out': 'signedOut' } as const;
const ASSETS = '/admin/assets/';

export function consoleRoutes(deps: ConsoleRouteDeps): AppMiddleware {
  const seeOther = (ctx: AppContext, to: string) => {
    ctx.redirect(to);
    ctx.status = 303;
  };

  async function page(ctx: AppContext, lang: Lang, sessions: ConsoleSessions): Promise<void> {
    const session = await sessions.read(ctx);
    if (session === 'none') return seeOther(ctx, `/admin/sign-in?lang=${lang}`);
    if (session === 'invalid') {
      sessions.clear(ctx);
      return seeOther(ctx, `/admin/sign-in?m=expired&lang=${lang}`);
    }
    sendConsoleShell(ctx, lang, session.csrf);
  }

  async function signIn(ctx: AppContext, lang: Lang, sessions: ConsoleSessions, token: string): Promise<void> {
    // Login CSRF: only this site's own form may sign a browser in.
    if (postSource(ctx, deps.publicUrl) === 'other-site') throw new KbError('cross_origin_refused', 'the console sign-in form must be posted from this site');
    const sent = (await readSmallForm(ctx.req)).get('token') ?? '';
    if (!sameSecret(sent.trim(), token)) {
      ctx.state.log.info('admin console sign-in refused: wrong token');
      deps.observations.emit({ kind: 'admin_action', action: 'console_sign_in', outcome: 'refused', reason: 'unauthorized', ...originOf(ctx) });
      return sendSignInPage(ctx, lang, 401, { notice: { key: 'wrongToken', kind: 'error' } });
    }
    sessions.issue(ctx);
    ctx.state.log.info('admin console signed in');
    deps.observations.emit({ kind: 'admin_action', action: 'console_sign_in', outcome: 'success', ...originOf(ctx) });
    seeOther(ctx, `/admin?lang=${lang}`);
  }

  async function signOut(ctx: AppContext, lang: Lang, sessions: ConsoleSessions): Promise<void> {
    const session = await sessions.read(ctx);
    if (typeof session === 'object') {
      checkConsoleRequest(ctx, deps.publicUrl, session.csrf, (await readSmallForm(ctx.req)).get('csrf') ?? undefined);
      await sessions.end(ctx, session);
      deps.observations.emit({ kind: 'admin_action', action: 'console_sign_out', outcome: 'success', ...originOf(ctx) });
    } else sessions.clear(ctx);
    seeOther(ctx, `/admin/sign-in?m=signed-out&lang=${lang}`);
  }

  async function handle(ctx: AppContext, lang: Lang): Promise<boolean> {
    const { path, method } = ctx;
    if (path.startsWith(ASSETS) && (method === 'GET' || method === 'HEAD')) {
      const asset = await deps.assets.get(path.slice(ASSETS.length));
      ctx.type = asset.type;
      ctx.body = asset.body;
      return true;
    }
    const route = `${method} ${path}`;
    if (!['GET /admin', 'GET /admin/', 'GET /admin/sign-in', 'POST /admin/sign-in', 'POST /admin/sign-out'].includes(route)) return false;
    const { sessions, adminToken } = deps;
    if (sessions === null || adminToken === null) {
      sendSignInPage(ctx, lang, 503, { notice: { key: 'disabled', kind: 'error' }, form: false });
      return true;
    }
    if (route === 'GET /admin' || route === 'GET /admin/') await page(ctx, lang, sessions);
    else if (route === 'POST /admin/sign-in') await signIn(ctx, lang, sessions, adminToken);
    else if (route === 'POST /admin/sign-out') await signOut(ctx, lang, sessions);
    else {
      const m = String(ctx.query.m ?? '');
      const notice = m in NOTICES ? NOTICES[m as keyof typeof NOTICES] : null;
      if (typeof (await sessions.read(ctx)) === 'object') seeOther(ctx, `/admin?lang=${lang}`);
      else sendSignInPage(ctx, lang, 200, notice ? { notice: { key: notice, kind: notice === 'expired' ? 'error' : 'ok' } } : {});
    }
    return true;
  }

  return async (ctx, next) => {
    if ((ctx.path !== '/admin' && !ctx.path.startsWith('/admin/')) || ctx.path.startsWith('/admin/api/')) return next();
    const lang = languageOf(ctx);
    // Every console answer, redirects and refusals included, under the console's policy.
    ctx.set('Content-Security-Policy', CONSOLE_CSP);
    try {
      if (!(await handle(ctx, lang))) await next();
    } catch (err) {
      if (!(err instanceof KbError)) throw err;
      ctx.state.log.info({ errorCode: err.code, err: err.message }, 'admin console request refused');
      if (err.code === 'cross_origin_refused') return sendSignInPage(ctx, lang, 403, { notice: { key: 'crossSite', kind: 'error' }, form: false });
      throw err;
    }
  };
}
