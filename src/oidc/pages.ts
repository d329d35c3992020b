/**
 * The provider's own pages in the bridge's look and languages: errors (never a stack, never internal
 * detail; the OAuth error for the administrator in small print), the RP-initiated logout
 * confirmation, and the page after logout.
 */
import type { KoaContextWithOIDC } from 'oidc-provider';
import { adminDetails, escapeHtml, sendPage } from '../http/pages.js';
import { languageOf, t, th } from '../http/i18n.js';

type Ctx = KoaContextWithOIDC;

export async function oidcErrorPage(ctx: Ctx, out: { error: string; error_description?: string }): Promise<void> {
  const lang = languageOf(ctx);
  sendPage(ctx, {
    lang,
    status: ctx.status >= 400 ? ctx.status : 400,
    title: t(lang, 'oidcError.title'),
    html: `<h1>${th(lang, 'oidcError.title')}</h1><p>${th(lang, 'oidcError.text')}</p>${adminDetails(lang, [out.error_description ? `${out.error}: ${out.error_description}` : out.error])}`,
  });
}

export async function logoutPage(ctx: Ctx, form: string): Promise<void> {
  const lang = languageOf(ctx);
  const client = ctx.oidc.client;
  const name = client?.clientName ?? client?.clientId;
  sendPage(ctx, {
    lang,
    title: t(lang, 'logout.title'),
    // `form` is oidc-provider's hidden form (with its anti-CSRF token); the buttons submit it.
    html:
      `<h1>${name ? th(lang, 'oidcLogout.headingApp', { app: escapeHtml(name) }) : th(lang, 'oidcLogout.heading')}</h1>${form}` +
      `<p class="actions"><button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">${th(lang, 'oidcLogout.yes')}</button>` +
      `<button class="secondary" type="submit" form="op.logoutForm">${th(lang, 'oidcLogout.no')}</button></p>`,
  });
}

export async function postLogoutPage(ctx: Ctx): Promise<void> {
  const lang = languageOf(ctx);
  sendPage(ctx, { lang, title: t(lang, 'loggedOut.title'), html: `<h1>${th(lang, 'loggedOut.heading')}</h1>` });
}
