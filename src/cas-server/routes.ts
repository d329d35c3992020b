/**
 * The CAS 3.0 server for the merchant's CAS apps, built from its collaborators: the routes, the
 * single-logout job handler for the outbox, the deprovisioning listener, and the test the login
 * room applies to `return_to` (this server's own /cas/login URLs).
 */
import Router from '@koa/router';
import { guarded } from '../http/guard.js';
import { htmlErrors } from '../http/html-errors.js';
import type { AppMiddleware, AppState } from '../http/state.js';
import type { DirectoryEvents } from '../shared/directory-events.js';
import type { JobHandler } from '../shared/jobs.js';
import type { SecretBox } from '../store/secret-box.js';
import type { CasDeps } from './deps.js';
import { singleLogoutOnDeprovisioning } from './deprovision.js';
import { casLogin, isCasReturnUrl, loginQuery, serviceOfReturnUrl } from './login.js';
import { casLogout, logoutQuery } from './logout.js';
import { createLogoutRecords } from './logouts.js';
import type { CasService } from './services.js';
import { enqueueSingleLogouts, SINGLE_LOGOUT_JOB, singleLogoutJob } from './single-logout-job.js';
import { createTickets } from './tickets.js';
import { validationDoor } from './validation-door.js';

export interface CasServerInput extends Omit<CasDeps, 'tickets' | 'logouts'> {
  secretBox: SecretBox;
  events: DirectoryEvents;
  ticketTtlMs: number;
  /** How long a session can live (SESSION_ABSOLUTE_TIMEOUT): what single logout must remember. */
  sessionLifetimeMs: number;
  fetch?: typeof fetch;
}

export interface CasServer {
  routes: Router<AppState>;
  /** Ticket validation, mounted ahead of the page middleware (validation-door.ts). */
  validation: AppMiddleware;
  jobs: Record<string, JobHandler>;
  isReturnAllowed(url: string): boolean;
  /** The id of the registered service a `/cas/login?service=` return URL is for, or undefined. */
  serviceOfReturn(url: string): string | undefined;
  /** A bridge session ended elsewhere (sign-out, replaced by a new login): its services are told. */
  sessionEnded(session: { sidHash: string; tenantId: string; userName: string }): Promise<void>;
  /** Every session of a user ended at once (an operator's revocation): all their services are told. */
  userSessionsEnded(tenantId: string, userName: string): Promise<void>;
  services: readonly CasService[];
}

export function createCasServer(input: CasServerInput): CasServer {
  const { secretBox, events, ticketTtlMs, sessionLifetimeMs, fetch, ...rest } = input;
  const tickets = createTickets({ store: rest.store, keys: rest.keys, secretBox, ttlMs: ticketTtlMs, now: rest.now });
  const logouts = createLogoutRecords({ store: rest.store, keys: rest.keys, secretBox, sessionLifetimeMs });
  const deps: CasDeps = { ...rest, tickets, logouts };
  singleLogoutOnDeprovisioning(events, { logouts, jobs: deps.jobs });

  const router = new Router<AppState>();
  router.get('/cas/login', htmlErrors(), guarded({ query: loginQuery }, (ctx, { query }) => casLogin(deps, ctx, query)));
  router.get('/cas/logout', htmlErrors(), guarded({ query: logoutQuery }, (ctx, { query }) => casLogout(deps, ctx, query)));

  return {
    routes: router,
    validation: validationDoor(deps),
    jobs: { [SINGLE_LOGOUT_JOB]: singleLogoutJob({ services: deps.services, logouts, observations: deps.observations, logger: deps.logger, now: deps.now, ...(fetch ? { fetch } : {}) }) },
    isReturnAllowed: (url) => isCasReturnUrl(deps, url),
    serviceOfReturn: (url) => serviceOfReturnUrl(deps, url)?.id,
    sessionEnded: async (session) => enqueueSingleLogouts(deps.jobs, await logouts.takeSession(session)),
    userSessionsEnded: async (tenantId, userName) => enqueueSingleLogouts(deps.jobs, await logouts.takeUser(tenantId, userName)),
    services: deps.services,
  };
}
