/** The refusals several login steps share, worded once. */
import { KbError } from '../shared/errors.js';

export const unknownTenant = (tenantId: string) => new KbError('login_tenant_unknown', `organization ${JSON.stringify(tenantId)} is not known to this application`);

export const startedForAnotherTenant = () => new KbError('login_tenant_mismatch', 'the sign-in came back for another organization than the one it was started for');

export const noCredentials = (tenantId: string) =>
  new KbError('login_no_credentials', `organization ${JSON.stringify(tenantId)} has no app credentials yet; KooGallery sends them when the app is bound`);

export const noSignInAddress = (tenantId: string) =>
  new KbError('login_no_credentials', `organization ${JSON.stringify(tenantId)} has no sign-in address yet; KooGallery sends it with the organization`);
