/** The refusals several login steps share, worded once. */
import type { SubscriptionState } from '../directory/subscription.js';
import { KbError } from '../shared/errors.js';

export const unknownTenant = (tenantId: string) => new KbError('login_tenant_unknown', `organization ${JSON.stringify(tenantId)} is not known to this application`);

export const startedForAnotherTenant = () => new KbError('login_tenant_mismatch', 'the sign-in came back for another organization than the one it was started for');

const INACTIVE: Record<Exclude<SubscriptionState, 'active'>, string> = {
  frozen: 'your organization’s subscription to this application is frozen; ask your administrator to renew it on KooGallery',
  ended: 'your organization’s subscription to this application has ended; ask your administrator to buy it again on KooGallery',
  pending: 'your organization’s subscription to this application is still being set up; please try again in a few minutes',
  none: 'your organization has no subscription to this application; ask your administrator to buy it on KooGallery',
};

/** Null while the subscription lets the tenant sign in, else the refusal that says why in plain words. */
export const inactiveSubscription = (state: SubscriptionState): KbError | null =>
  state === 'active' ? null : new KbError('login_subscription_inactive', INACTIVE[state], { details: { subscription: state } });

export const noCredentials = (tenantId: string) =>
  new KbError('login_no_credentials', `organization ${JSON.stringify(tenantId)} has no app credentials yet; KooGallery sends them when the app is bound`);

export const noSignInAddress = (tenantId: string) =>
  new KbError('login_no_credentials', `organization ${JSON.stringify(tenantId)} has no sign-in address yet; KooGallery sends it with the organization`);
