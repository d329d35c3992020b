import Router from '@koa/router';
import type { AppState } from '../http/state.js';
import { runCallback } from './callback/pipeline.js';
import type { LoginDeps } from './deps.js';
import { htmlErrors } from '../http/html-errors.js';
import { confirmPage, confirmSubmit } from './confirm.js';
import { loggedOut, logout, logoutConfirm } from './logout.js';
import { landingPage, sessionJson } from './session-api.js';
import { startLogin } from './start.js';

/** Browser routes (HTML errors) under /sso. */
export function loginRoutes(deps: LoginDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/sso' });
  router.use(htmlErrors());
  router.get('/login', (ctx) => startLogin(deps, ctx));
  router.get('/callback', (ctx) => runCallback(deps, ctx, 'oauth2'));
  router.get('/cas', (ctx) => runCallback(deps, ctx, 'cas'));
  router.get('/confirm', (ctx) => confirmPage(deps, ctx));
  router.post('/confirm', (ctx) => confirmSubmit(deps, ctx));
  router.get('/logout', (ctx) => logoutConfirm(deps, ctx));
  router.post('/logout', (ctx) => logout(deps, ctx));
  router.get('/logged-out', (ctx) => loggedOut(ctx));
  router.get('/me', (ctx) => landingPage(deps, ctx));
  return router;
}

/** JSON routes for apps (JSON errors from the shared middleware); /auth/check has its fast path. */
export function sessionApiRoutes(deps: LoginDeps): Router<AppState> {
  const router = new Router<AppState>();
  router.get('/api/session', (ctx) => sessionJson(deps, ctx));
  return router;
}
