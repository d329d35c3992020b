/**
 * The browser face of errors: a readable page with the right status and the request id, never a
 * stack trace, in words for people (http/error-texts.ts) in the browser's language. The KbError's
 * message is for operators: every refusal is logged with its code and message; unexpected errors
 * with their stack.
 */
import type { ErrorCode } from '../shared/errors.js';
import { reportError } from './error-report.js';
import { ERROR_TEXTS, SUBSCRIPTION_TEXTS } from './error-texts.js';
import { languageOf } from './i18n.js';
import type { AppMiddleware } from './state.js';
import { sendErrorPage } from './pages.js';
import { HTTP_STATUS } from './status.js';

// Signing in again at once cannot help either: a rate limit's window must end first.
const NO_RETRY: ReadonlySet<ErrorCode> = new Set(['login_subscription_inactive', 'rate_limited']);

export function htmlErrors(): AppMiddleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (thrown) {
      const err = reportError(ctx.state.log, thrown, 'browser request', { path: ctx.path });
      const status = HTTP_STATUS[err.code];
      const lang = languageOf(ctx);
      const words = ERROR_TEXTS[err.code];
      const state = err.details?.subscription;
      const text = err.code === 'login_subscription_inactive' && typeof state === 'string' && state in SUBSCRIPTION_TEXTS ? SUBSCRIPTION_TEXTS[state as keyof typeof SUBSCRIPTION_TEXTS] : words.text;
      // Signing in again cannot help while the subscription is not active: no button that loops.
      const retry = (status < 500 || err.code.startsWith('idp_')) && !NO_RETRY.has(err.code);
      sendErrorPage(ctx, lang, { status, code: err.code, title: words.title[lang], text: text[lang], ...(retry ? { action: { href: '/sso/login', label: 'page.signInAgain' as const } } : {}) });
    }
  };
}
