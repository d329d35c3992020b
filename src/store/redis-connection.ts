/**
 * One ioredis client (standalone, Sentinel or Cluster) tuned to fail fast and heal by itself.
 *
 * - No offline queue and no replay: a command issued while Redis is down must fail now, not run
 *   minutes later after the caller has already answered "failed" (ioredis's defaults would queue it
 *   and resend unanswered commands after reconnecting).
 * - Instead, a call waits for the connection to be ready for at most the command timeout, so the
 *   first calls after start-up or a short blip still succeed.
 * - Reconnects forever with a short capped back-off, so service resumes about a second after Redis
 *   comes back.
 * Errors leave as KbError('store_unavailable') with a short reason from which the URL's password is
 * scrubbed; raw ioredis errors are never passed on (a failed AUTH carries the password in its args).
 */
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { KbError } from '../shared/errors.js';
import type { RedisTarget } from './redis-url.js';

export interface StoreLogger {
  warn(obj: object, msg: string): void;
  info?(obj: object, msg: string): void;
}

export interface ConnectionOptions {
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  logger?: StoreLogger | undefined;
}

export interface Connection {
  readonly client: Redis | Cluster;
  /** Resolves once the client can take commands; rejects (store_unavailable) after `ms`. */
  ready(ms: number): Promise<void>;
  /** Maps anything an ioredis call threw to a KbError without credentials. */
  toStoreError(err: unknown): KbError;
  close(): Promise<void>;
}

/** A reason already fit to show (scrubbed, short). */
export class Unavailable extends Error {}

// Back-off between reconnect attempts: quick at first, then once a second so recovery is prompt
// while a long outage costs one cheap connection attempt per second.
const backoff = (times: number) => Math.min(50 * 2 ** Math.min(times, 5), 1_000);

// Reply errors that mean "the store cannot serve now" rather than "this call is wrong".
const UNAVAILABLE_REPLY = /^(LOADING|CLUSTERDOWN|MASTERDOWN|READONLY|TRYAGAIN|BUSY|NOAUTH|WRONGPASS|NOPERM|OOM|MISCONF)\b/;

// How long close() waits for QUIT before dropping the socket.
const QUIT_GRACE_MS = 1_000;

export function openConnection(target: RedisTarget, opts: ConnectionOptions): Connection {
  const { connectTimeoutMs, commandTimeoutMs, logger } = opts;
  const secrets = [target.password].filter((s): s is string => !!s).flatMap((s) => [s, encodeURIComponent(s)]);

  const scrub = (text: string): string => {
    let out = text;
    for (const s of secrets) out = out.split(s).join('***');
    out = out.replace(/\b[a-z+]+:\/\/\S+/gi, '<url>').replace(/\s+/g, ' ').trim();
    return out.length > 160 ? `${out.slice(0, 157)}...` : out;
  };

  const nodeOptions = {
    connectTimeout: connectTimeoutMs,
    commandTimeout: commandTimeoutMs,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
  } satisfies RedisOptions;

  const client: Redis | Cluster =
    target.kind === 'cluster'
      ? new Cluster(target.nodes, {
          ...target.options,
          enableOfflineQueue: false,
          clusterRetryStrategy: backoff,
          slotsRefreshTimeout: connectTimeoutMs,
          redisOptions: { ...target.options.redisOptions, ...nodeOptions },
        })
      : new Redis({ ...target.options, ...nodeOptions, enableOfflineQueue: false, retryStrategy: backoff, sentinelRetryStrategy: backoff });

  let closed = false;
  let lastError: string | undefined;
  let loggedOutage = false;
  const waiters = new Set<{ resolve(): void; reject(err: Error): void }>();

  const onError = (err: unknown) => {
    const reason = scrub(err instanceof Error ? err.message : String(err));
    if (reason === lastError || closed) return;
    lastError = reason;
    loggedOutage = true;
    logger?.warn({ reason }, 'store connection problem; retrying in the background');
  };
  client.on('error', onError);
  client.on('node error', onError);
  // A server that goes away may close the socket before any command or connect attempt fails:
  // say so too, so an outage is always in the log.
  client.on('close', () => onError(new Error('connection closed by the server')));
  client.on('ready', () => {
    if (loggedOutage) logger?.info?.({}, 'store connection ready again');
    lastError = undefined;
    loggedOutage = false;
    for (const w of waiters) w.resolve();
    waiters.clear();
  });

  const notConnected = () => new Unavailable(lastError ? `not connected (${lastError})` : 'not connected');

  function describe(err: Error): string {
    const msg = err.message ?? '';
    if (err.name === 'MaxRetriesPerRequestError' || /enableOfflineQueue|Connection is closed|isn't ready/i.test(msg)) {
      return lastError ? `connection lost (${lastError})` : 'connection lost';
    }
    if (/Command timed out/i.test(msg)) return `no answer within ${commandTimeoutMs} ms`;
    return scrub(msg) || 'unknown error';
  }

  return {
    client,

    ready(ms) {
      if (closed) return Promise.reject(new Unavailable('the store is closed'));
      if (client.status === 'ready') return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const waiter = {
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
          reject: (err: Error) => {
            clearTimeout(timer);
            reject(err);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(notConnected());
        }, ms);
        waiters.add(waiter);
      });
    },

    toStoreError(err) {
      if (err instanceof KbError) return err;
      if (err instanceof Unavailable) return new KbError('store_unavailable', `store unavailable: ${err.message}`);
      if (err instanceof Error && err.name === 'ReplyError' && !UNAVAILABLE_REPLY.test(err.message)) {
        // The server refused this call (WRONGTYPE, CROSSSLOT, a script error): a bug, not an outage.
        return new KbError('internal', scrub(err.message));
      }
      const reason = err instanceof Error ? describe(err) : scrub(String(err));
      return new KbError('store_unavailable', `store unavailable: ${reason}`);
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const w of waiters) w.reject(new Unavailable('the store is closed'));
      waiters.clear();
      if (client.status === 'ready') {
        let timer: NodeJS.Timeout | undefined;
        const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, QUIT_GRACE_MS)));
        await Promise.race([client.quit().catch(() => undefined), grace]);
        clearTimeout(timer);
      }
      client.disconnect();
    },
  };
}
