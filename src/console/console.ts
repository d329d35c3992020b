/**
 * The operators' console room: cookie sessions signed in with ADMIN_TOKEN, the pages and files at
 * /admin, and the door it opens into the admin API (`auth`, handed to admin/ by app.ts).
 */
import type { Clock } from '../shared/clock.js';
import type { Observations } from '../shared/observations.js';
import type { Keys } from '../store/keys.js';
import type { SecretBox } from '../store/secret-box.js';
import type { Store } from '../store/types.js';
import { createAssets } from './assets.js';
import { consoleAuth } from './console-auth.js';
import { createConsoleSessions } from './console-session.js';
import { consoleRoutes } from './routes.js';

export interface ConsoleDeps {
  adminToken: string | null;
  publicUrl: string;
  secretBox: SecretBox;
  store: Store;
  keys: Keys;
  clock: Clock;
  observations: Observations;
  /** Where the built front-end is (dist/console-ui by default). */
  assetsDir?: string;
}

export function createConsole(deps: ConsoleDeps) {
  const sessions =
    deps.adminToken === null
      ? null
      : createConsoleSessions({ secretBox: deps.secretBox, store: deps.store, keys: deps.keys, clock: deps.clock, adminToken: deps.adminToken, secure: deps.publicUrl.startsWith('https:') });
  return {
    sessions,
    /** For the admin API: the console's cookie as a second way in (null when the API is off). */
    auth: sessions === null ? null : consoleAuth(sessions, deps.publicUrl),
    routes: consoleRoutes({ sessions, adminToken: deps.adminToken, publicUrl: deps.publicUrl, assets: createAssets(deps.assetsDir), observations: deps.observations }),
  };
}
