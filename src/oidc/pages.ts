/**
 * The provider's own pages in the bridge's look: errors (never a stack, never internal detail),
 * the RP-initiated logout confirmation, and the page after logout.
 */
import type { KoaContextWithOIDC } from 'oidc-provider';
import { escapeHtml, sendPage } from '../http/pages.js';

type Ctx = KoaContextWithOIDC;

export async function oidcErrorPage(ctx: Ctx, out: { error: string; error_description?: string }): Promise<void> {
  sendPage(ctx, {
    status: ctx.status >= 400 ? ctx.status : 400,
    title: 'Sign-in request refused',
    html: `<h1>Sign-in request refused</h1><p>The application sent a request this service cannot accept.</p><p><code>${escapeHtml(out.error)}</code>${out.error_description ? `: ${escapeHtml(out.error_description)}` : ''}</p>`,
  });
}

export async function logoutPage(ctx: Ctx, form: string): Promise<void> {
  const client = ctx.oidc.client;
  const name = client?.clientName ?? client?.clientId;
  sendPage(ctx, {
    title: 'Sign out',
    // `form` is oidc-provider's hidden form (with its anti-CSRF token); the buttons submit it.
    html: `<h1>Sign out${name ? ` of ${escapeHtml(name)}` : ''}?</h1>${form}<p><button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out everywhere</button></p><p><button type="submit" form="op.logoutForm">No, stay signed in</button></p>`,
  });
}

export async function postLogoutPage(ctx: Ctx): Promise<void> {
  sendPage(ctx, { title: 'Signed out', html: '<h1>You are signed out</h1>' });
}
