/**
 * One login callback on its way through the pipeline: what the browser brought, and what each
 * check has established so far. Checks read and fill it in order; none goes back to the directory
 * for something an earlier check already read.
 */
import type { Connector, ConnectorResult } from '../../connectors/connector.js';
import type { LoginTarget } from '../../directory/login-target.js';
import type { UserRecord } from '../../directory/records.js';
import type { LoginProtocol } from '../../shared/identity.js';
import type { AppContext } from '../../http/state.js';
import type { LoginDeps } from '../deps.js';
import type { PreLogin } from '../prelogin.js';
import type { SessionRecord } from '../../sessions/types.js';

export interface CallbackAttempt {
  protocol: LoginProtocol;
  connector: Connector;
  /** The tenant the callback names (`tenant`, `tenant_id`), then the one the login was started for. */
  tenantId: string | undefined;
  /** The authorization code or service ticket. */
  proof: string | undefined;
  /** The query parameter the proof came in, for messages. */
  proofField: 'code' | 'ticket';
  /** The OAuth2 state that came back; CAS has none. */
  state: string | undefined;
  /** An `error` the IdP sent instead of a proof. */
  upstreamError: string | undefined;

  // Filled by the checks:
  preLogin: PreLogin | null;
  /**
   * Whether this callback is tied to this browser by a `state` we issued to it (a login we started
   * at the tenant IdP). Unified-login and IdP-initiated callbacks are not: whoever holds a code can
   * send it to this browser.
   */
  boundByState: boolean;
  /** This browser's session before the login; undefined until read. */
  previous: SessionRecord | null | undefined;
  /** Set by a check that answered the browser itself (a confirmation page, an OpenID refusal): the pipeline stops. */
  answered: boolean;
  /** Where the browser goes when done; null → the landing page. */
  returnTo: string | null;
  /** The OpenID client or CAS service the login was started for (this browser's pre-login record), if known. */
  clientId: string | undefined;
  /** The redirect_uri / service the proof was issued for (see ConnectorCallback.returnUrl). */
  returnUrl: string | undefined;
  target: LoginTarget | null;
  result: ConnectorResult | null;
  user: UserRecord | null;
}

/** One named rule of the callback pipeline: reads and fills the attempt, or throws a coded refusal. */
export type CallbackCheck = (deps: LoginDeps, ctx: AppContext, attempt: CallbackAttempt) => void | Promise<void>;

/** What the checks fill in, before the first one runs (`previous` undefined: not read yet). */
export const UNCHECKED: Pick<CallbackAttempt, 'preLogin' | 'boundByState' | 'previous' | 'answered' | 'returnTo' | 'clientId' | 'returnUrl' | 'target' | 'result' | 'user'> = {
  preLogin: null,
  boundByState: false,
  previous: undefined,
  answered: false,
  returnTo: null,
  clientId: undefined,
  returnUrl: undefined,
  target: null,
  result: null,
  user: null,
};
