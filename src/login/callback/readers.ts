/**
 * How each protocol's login is started and its callback read: validated once with zod at the edge, then turned
 * into the fields of a CallbackAttempt. The only protocol-specific part of a callback besides the
 * connector itself: which parameters carry the proof, and which return URL the proof belongs to.
 */
import type { Connectors } from '../../connectors/connector.js';
import type { AppContext } from '../../http/state.js';
import type { LoginProtocol } from '../../shared/identity.js';
import type { LoginSettings } from '../deps.js';
import { validate } from '../../http/guard.js';
import { casQuery, callbackQuery } from '../query.js';
import { callbackUrl, casServiceUrl, serviceUrlOf } from '../urls.js';
import { UNCHECKED, type CallbackAttempt } from './attempt.js';
import type { PreLogin } from '../prelogin.js';

type Fields = Pick<CallbackAttempt, 'tenantId' | 'proof' | 'proofField' | 'state' | 'upstreamError'>;

export interface CallbackReader {
  /** Whether a login the bridge starts binds its callback with an OAuth2 state (CAS has none). */
  bindsWithState: boolean;
  /** Where the IdP must send the browser back, for a login the bridge starts for a tenant. */
  startReturnUrl(settings: LoginSettings, tenantId: string): string;
  read(ctx: AppContext): Fields;
  /** Whether this callback is the one the browser's pre-login record was started for. */
  matchesStart(settings: LoginSettings, ctx: AppContext, pre: PreLogin): boolean;
  /** The return URL to hand the connector; `startedHere` when the browser's pre-login carried a state. */
  returnUrl(settings: LoginSettings, ctx: AppContext, startedHere: boolean): string | undefined;
}

export const CALLBACK_READERS: Record<LoginProtocol, CallbackReader> = {
  oauth2: {
    bindsWithState: true,
    startReturnUrl: (settings) => callbackUrl(settings),
    read(ctx) {
      const q = validate(callbackQuery, ctx.query);
      return { tenantId: q.tenant ?? q.tenant_id, proof: q.code, proofField: 'code', state: q.state, upstreamError: q.error };
    },
    // Bound by state (or, after the unified login, by nothing more than the record): see bind-to-browser.ts.
    matchesStart: () => true,
    // redirect_uri goes back to the token endpoint only when we sent one to /authorize.
    returnUrl: (settings, _ctx, startedHere) => (startedHere ? callbackUrl(settings) : undefined),
  },
  cas: {
    bindsWithState: false,
    startReturnUrl: (settings, tenantId) => casServiceUrl(settings, tenantId),
    read(ctx) {
      const q = validate(casQuery, ctx.query);
      return { tenantId: q.tenant, proof: q.ticket, proofField: 'ticket', state: undefined, upstreamError: undefined };
    },
    // The ticket belongs to the service it came back to: ours only if that is the one we sent to CAS login.
    matchesStart: (settings, ctx, pre) => pre.tenantId === null || serviceUrlOf(settings.publicUrl, ctx.path, ctx.querystring) === casServiceUrl(settings, pre.tenantId),
    returnUrl: (settings, ctx) => serviceUrlOf(settings.publicUrl, ctx.path, ctx.querystring),
  },
};

export function newAttempt(protocol: LoginProtocol, connectors: Connectors, ctx: AppContext): CallbackAttempt {
  return {
    protocol,
    connector: connectors[protocol],
    ...CALLBACK_READERS[protocol].read(ctx),
    ...UNCHECKED,
  };
}
