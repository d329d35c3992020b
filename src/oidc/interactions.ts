/**
 * The provider's login and consent steps, glued to the bridge's KooGallery login.
 *
 * login: an existing bridge session of an allowed tenant completes the step at once (no new
 * upstream login); otherwise the browser goes through /sso/login (to the hinted tenant's IdP, or
 * the unified login page) and comes back here. `prompt=login` (and a stale max_age) require a
 * bridge session created after this interaction sent the browser to log in.
 * consent: first-party clients never get here (their grant is made in loadExistingGrant);
 * others see a small consent page.
 */
import Router from '@koa/router';
import { z } from 'zod';
import type Provider from 'oidc-provider';
import { KbError } from '../shared/errors.js';
import { guarded } from '../http/guard.js';
import type { AppContext, AppMiddleware, AppState } from '../http/state.js';
import { readSmallForm } from '../http/raw-body.js';
import { readCookie, type CookieNames } from '../http/cookies.js';
import { htmlErrors } from '../http/html-errors.js';
import { escapeHtml, sendPage } from '../http/pages.js';
import { languageOf, MESSAGES, t, th, type Lang, type MessageKey } from '../http/i18n.js';
import type { SessionStore } from '../sessions/session-store.js';
import type { UpstreamRefresh } from '../sessions/upstream-refresh.js';
import type { Keys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import { accountIdOf } from './account.js';
import { tenantAllowed, type ClientPolicy } from './client-policy.js';
import { INTERACTION_TTL_S, INTERACTION_UID, interactionPath, tenantHint } from './interaction-params.js';

export interface InteractionDeps {
  /** The provider in use now (it is rebuilt when the signing keys change). */
  provider: () => Provider;
  sessions: SessionStore;
  refresh: UpstreamRefresh;
  policies: Map<string, ClientPolicy>;
  store: Store;
  keys: Keys;
  cookies: CookieNames;
  publicUrl: string;
  now: () => number;
}


const interactionParams = z.object({ uid: z.string().regex(new RegExp(`^${INTERACTION_UID.source}$`), 'is not an interaction id') });

export function interactionRoutes(deps: InteractionDeps): Router<AppState> {
  const router = new Router<AppState>();
  router.use(htmlErrors(), providerErrorsAsPages());
  const startedKey = (uid: string) => deps.keys.oidcLoginStarted(uid);

  async function finish(ctx: AppContext, result: Parameters<Provider['interactionFinished']>[2], merge: boolean): Promise<void> {
    await deps.provider().interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: merge });
    ctx.respond = false; // oidc-provider has written the redirect
  }

  router.get('/oidc/interaction/:uid', guarded({ params: interactionParams }, async (ctx, { params }) => {
    const details = await deps.provider().interactionDetails(ctx.req, ctx.res);
    if (details.uid !== params.uid) throw new KbError('login_state_invalid', 'this sign-in belongs to another browser tab; start again from the application');
    const clientId = String(details.params.client_id);
    const policy = deps.policies.get(clientId);

    if (details.prompt.name === 'login') {
      const hint = tenantHint(details.params) ?? (policy?.allowedTenants?.length === 1 ? policy.allowedTenants[0]! : null);
      const startedRaw = await deps.store.get(startedKey(details.uid));
      const started = startedRaw === null ? null : Number(startedRaw);
      let bridge = await deps.sessions.get(readCookie(ctx, deps.cookies.session));
      if (bridge) bridge = await deps.refresh.ensureFresh(bridge);
      const freshLogin = bridge !== null && started !== null && bridge.createdAt >= started;
      const forced = details.prompt.reasons.includes('login_prompt') || details.prompt.reasons.includes('max_age');
      // A login made for this very interaction is used whatever tenant the user chose at KooGallery.
      const usable = bridge !== null && (freshLogin || (!forced && (hint === null || bridge.tenantId === hint)));
      if (!usable || !bridge) {
        await deps.store.exec([{ op: 'set', key: startedKey(details.uid), value: String(deps.now()), ttlMs: INTERACTION_TTL_S * 1000 }]);
        const query = new URLSearchParams({ ...(hint ? { tenant: hint } : {}), return_to: `${deps.publicUrl}${interactionPath(details.uid)}` });
        ctx.redirect(`/sso/login?${query.toString()}`);
        return;
      }
      if (!tenantAllowed(policy, bridge.tenantId)) {
        await finish(ctx, { error: 'access_denied', error_description: `organization ${bridge.tenantId} may not use this application` }, false);
        return;
      }
      await finish(ctx, { login: { accountId: accountIdOf(bridge.tenantId, bridge.userName), ts: Math.floor(bridge.createdAt / 1000), amr: [bridge.method] } }, false);
      return;
    }

    if (details.prompt.name === 'consent' && policy?.firstParty) {
      // First-party apps are never asked (prompt=consent included, which offline_access needs).
      await finish(ctx, { consent: { grantId: await grantMissing(details) } }, true);
      return;
    }

    if (details.prompt.name === 'consent') {
      const client = await deps.provider().Client.find(clientId);
      const scopes = ((details.prompt.details.missingOIDCScope as string[] | undefined) ?? []).filter((s) => s !== 'openid');
      const lang = languageOf(ctx);
      sendPage(ctx, {
        lang,
        title: t(lang, 'consent.title'),
        html:
          `<h1>${th(lang, 'consent.heading', { app: escapeHtml(client?.clientName ?? clientId) })}</h1>` +
          (scopes.length ? `<p>${th(lang, 'consent.asks', { scopes: scopes.map((s) => escapeHtml(scopeWords(lang, s))).join(lang === 'zh-CN' ? '、' : ', ') })}</p>` : '') +
          `<form method="post" action="${escapeHtml(interactionPath(details.uid))}/consent"><p class="actions"><button type="submit" name="decision" value="allow">${th(lang, 'consent.allow')}</button>` +
          `<button class="secondary" type="submit" name="decision" value="deny">${th(lang, 'consent.deny')}</button></p></form>`,
      });
      return;
    }
    throw new KbError('invalid_parameter', `unsupported interaction step ${JSON.stringify(details.prompt.name)}`);
  }));

  router.post('/oidc/interaction/:uid/consent', guarded({ params: interactionParams }, async (ctx, { params }) => {
    const details = await deps.provider().interactionDetails(ctx.req, ctx.res);
    if (details.uid !== params.uid || details.prompt.name !== 'consent') throw new KbError('login_state_invalid', 'this consent step is over; start again from the application');
    const form = await readSmallForm(ctx.req);
    if (form.get('decision') !== 'allow') {
      await finish(ctx, { error: 'access_denied', error_description: 'the user denied the request' }, false);
      return;
    }
    await finish(ctx, { consent: { grantId: await grantMissing(details) } }, true);
  }));

  /** Extends the interaction's grant (or a new one) with what the consent step found missing. */
  async function grantMissing(details: Awaited<ReturnType<Provider['interactionDetails']>>): Promise<string> {
    const { Grant } = deps.provider();
    const accountId = details.session!.accountId;
    const clientId = String(details.params.client_id);
    const grant = (details.grantId ? await Grant.find(details.grantId) : undefined) ?? new Grant({ accountId, clientId });
    const missing = details.prompt.details;
    if (Array.isArray(missing.missingOIDCScope)) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (Array.isArray(missing.missingOIDCClaims)) grant.addOIDCClaims(missing.missingOIDCClaims as string[]);
    return grant.save();
  }

  return router;
}

/** A scope in words for people; a scope we have no words for is shown as it is spelt. */
function scopeWords(lang: Lang, scope: string): string {
  const key = `scope.${scope}`;
  return key in MESSAGES ? t(lang, key as MessageKey) : scope;
}

/** oidc-provider's own errors here (an interaction cookie missing or expired) become readable pages. */
function providerErrorsAsPages(): AppMiddleware {
  return async (_ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (err instanceof KbError) throw err;
      const e = err as { statusCode?: number; error?: string };
      if (e.statusCode && e.statusCode < 500) throw new KbError('login_state_invalid', 'this sign-in has expired or belongs to another browser; start again from the application', { cause: err });
      throw err;
    }
  };
}

