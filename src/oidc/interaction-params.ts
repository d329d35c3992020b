/**
 * What the provider's configuration, its login policy and its interaction routes all read: the
 * tenant an app asked for, the interaction URL, and the lifetimes of the login steps. A leaf
 * module, so that the policy (tenant-check.ts) and the routes (interactions.ts) need not import
 * each other through provider.ts.
 */
import { isTenantId } from '../shared/identifiers.js';

export const AUTHORIZATION_CODE_TTL_S = 60; // RFC 6749 §4.1.2 recommends at most 10 minutes; apps redeem at once
export const INTERACTION_TTL_S = 10 * 60; // a KooGallery login, password reset included

/** The tenant the app asked for: `tenant=ID`, or `login_hint=tenant:ID`. */
export function tenantHint(params: Record<string, unknown>): string | null {
  const direct = typeof params.tenant === 'string' ? params.tenant : null;
  const hint = typeof params.login_hint === 'string' && params.login_hint.startsWith('tenant:') ? params.login_hint.slice(7) : null;
  const value = direct ?? hint;
  return value && isTenantId(value) ? value : null;
}

export const interactionPath = (uid: string) => `/oidc/interaction/${uid}`;

/** oidc-provider's interaction uids: nanoid, URL-safe. */
export const INTERACTION_UID = /[A-Za-z0-9_-]{1,64}/;

/**
 * The uid a URL names when it is exactly one of this provider's interaction URLs
 * (`{PUBLIC_URL}/oidc/interaction/{uid}`, nothing after), else null: what a login may return to,
 * and where the bridge looks up the interaction waiting for it.
 */
export function interactionUidIn(publicUrl: string): (url: string) => string | null {
  const prefix = `${publicUrl}${interactionPath('')}`;
  const uidOnly = new RegExp(`^${INTERACTION_UID.source}$`);
  return (url) => {
    if (!url.startsWith(prefix)) return null;
    const uid = url.slice(prefix.length);
    return uidOnly.test(uid) ? uid : null;
  };
}
