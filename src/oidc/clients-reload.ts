/**
 * OIDC_CLIENTS_FILE read again while the process runs: when the file changes (fs.watch on its
 * folder, so editors that write a new file and rename it, and Kubernetes ConfigMaps that swap a
 * symlink, are seen too; debounced, as editors write in several steps) and on SIGHUP (main.ts).
 *
 * A new file is validated whole — the same validator as at start, then oidc-provider's own client
 * schema — before it replaces anything: a bad file is refused with one log line naming the
 * problem, and the clients in use stay. A good one applies to the next request.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from '../shared/logger.js';
import type { ClientRegistry } from './client-registry.js';
import { loadClients, type OidcClientConfig } from './clients.js';

// Editors save in several writes and renames within a few milliseconds; 250 ms takes them as one.
export const CLIENTS_RELOAD_DEBOUNCE_MS = 250;

export type ReloadOutcome = 'applied' | 'unchanged' | 'refused';

export interface ClientsReloadDeps {
  file: string;
  /** False when OIDC_CLIENTS_FILE is the default: a missing file then means no clients. */
  required: boolean;
  registry: ClientRegistry;
  /** oidc-provider's own judgement of each client; throws naming the client. */
  validate: (clients: OidcClientConfig[]) => Promise<void>;
  logger: Pick<Logger, 'info' | 'warn' | 'debug'>;
  /** The text the clients in use were read from (null: none, the default file was absent). */
  loadedText: string | null;
  readFile?: (path: string) => string;
  debounceMs?: number;
}

export interface ClientsReload {
  reload(trigger: string): Promise<ReloadOutcome>;
  close(): void;
}

export function watchClientsFile(deps: ClientsReloadDeps): ClientsReload {
  const readFile = deps.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  let loadedText = deps.loadedText;
  let chain: Promise<unknown> = Promise.resolve();

  async function reloadNow(trigger: string): Promise<ReloadOutcome> {
    let text: string | null;
    try {
      text = readFile(deps.file);
    } catch (err) {
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      if (!(missing && !deps.required)) {
        deps.logger.warn({ trigger }, `OpenID clients not reloaded, the previous ones stay: OIDC_CLIENTS_FILE: ${missing ? `${deps.file} does not exist` : `cannot read ${deps.file}`}`);
        return 'refused';
      }
      text = null; // the default file went away: no clients, as at start
    }
    if (text === loadedText) return 'unchanged';
    try {
      const clients = text === null ? [] : loadClients(deps.file, () => text);
      await deps.validate(clients);
      deps.registry.replace(clients);
      loadedText = text;
      deps.logger.info({ trigger, clients: deps.registry.ids() }, `OpenID clients reloaded from ${deps.file}`);
      return 'applied';
    } catch (err) {
      deps.logger.warn({ trigger }, `OpenID clients not reloaded, the previous ones stay: ${(err as Error).message}`);
      return 'refused';
    }
  }

  // One reload at a time, in order.
  const reload = (trigger: string): Promise<ReloadOutcome> => {
    const run = chain.then(() => reloadNow(trigger));
    chain = run.catch(() => undefined);
    return run;
  };

  let timer: NodeJS.Timeout | null = null;
  let watcher: FSWatcher | null = null;
  const name = basename(deps.file);
  try {
    watcher = watch(dirname(deps.file), { persistent: false }, (_event, changed) => {
      // A ConfigMap swaps its `..data` link, not the file's own name: any change in the folder counts.
      if (changed !== null && changed !== name && !String(changed).startsWith('..')) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void reload('file change'), deps.debounceMs ?? CLIENTS_RELOAD_DEBOUNCE_MS);
      timer.unref();
    });
    watcher.on('error', (err) => deps.logger.warn({ err: err.message }, `stopped watching ${deps.file}; SIGHUP still reloads the OpenID clients`));
  } catch (err) {
    deps.logger.debug({ err: (err as Error).message }, `cannot watch ${deps.file}; SIGHUP reloads the OpenID clients`);
  }

  return {
    reload,
    close() {
      if (timer) clearTimeout(timer);
      watcher?.close();
    },
  };
}
