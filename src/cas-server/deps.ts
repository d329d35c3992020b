/** What the CAS server room is built from: its settings and its collaborators (wired in app.ts). */
import type { CookieNames } from '../http/cookies.js';
import type { SessionStore } from '../sessions/session-store.js';
import type { UpstreamLogoutUrl } from '../sessions/types.js';
import type { UpstreamRefresh } from '../sessions/upstream-refresh.js';
import type { JobQueue } from '../shared/jobs.js';
import type { Logger } from '../shared/logger.js';
import type { Observations } from '../shared/observations.js';
import type { Keys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import type { LogoutRecords } from './logouts.js';
import type { CasService } from './services.js';
import type { Tickets } from './tickets.js';

export interface CasDeps {
  publicUrl: string;
  services: readonly CasService[];
  tickets: Tickets;
  logouts: LogoutRecords;
  sessions: SessionStore;
  refresh: UpstreamRefresh;
  upstreamLogoutUrl: UpstreamLogoutUrl;
  jobs: JobQueue;
  store: Store;
  keys: Keys;
  cookies: CookieNames;
  observations: Observations;
  logger: Logger;
  now: () => number;
}
