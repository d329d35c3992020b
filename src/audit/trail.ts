/**
 * The audit room's one entry point: a listener for the observation bus that turns each fact into
 * an audit event or a sync-log entry, logs audit events as one structured line each, and queues
 * the store write (never awaited by the request); plus the reader the admin API serves.
 *
 * A retention of 0 switches a stream off entirely: nothing is queued, stored or logged for it.
 */
import type { Clock } from '../shared/clock.js';
import type { AuditLog } from '../shared/audit-log.js';
import type { Logger } from '../shared/logger.js';
import type { Observation } from '../shared/observations.js';
import type { Keys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import { entryOf } from './entries.js';
import { createAuditReader } from './reader.js';
import { createWriter, type WriterOptions, type WriterStats } from './writer.js';

export interface AuditTrailDeps {
  store: Store;
  keys: Pick<Keys, 'auditLog' | 'syncLog'>;
  logger: Logger;
  clock: Clock;
  /** AUDIT_RETENTION in ms; 0 turns the audit trail off. */
  retentionMs: number;
  /** SYNC_LOG_RETENTION in ms; 0 turns the sync log off. */
  syncLogRetentionMs: number;
  /** Queue and batch sizes (tests make them small). */
  writer?: Pick<WriterOptions, 'maxQueue' | 'batchSize' | 'retryMs' | 'closeTimeoutMs'>;
}

export interface AuditTrail {
  /** Register on the observation bus: `observations.on(trail.record)`. */
  record(observation: Observation): void;
  log: AuditLog;
  /** Resolves once what was queued so far is written. */
  flush(): Promise<void>;
  /** Writes what is queued (bounded wait) and stops: call before the store closes. */
  close(): Promise<void>;
  stats(): WriterStats;
}

export function createAuditTrail(deps: AuditTrailDeps): AuditTrail {
  const now = () => deps.clock.now();
  const keyOf = { audit: deps.keys.auditLog(), sync: deps.keys.syncLog() };
  const retentionMs = { audit: deps.retentionMs, sync: deps.syncLogRetentionMs };
  const writer = createWriter({ store: deps.store, logger: deps.logger, now, keyOf, retentionMs, ...deps.writer });
  return {
    record(observation) {
      const entry = entryOf(observation, now());
      if (entry === null || retentionMs[entry.stream] === 0) return;
      if (entry.stream === 'audit') {
        const { detail, at, ...fields } = entry.fields;
        deps.logger.info({ audit: { ...fields, at: new Date(Number(at)).toISOString(), ...(detail ? { detail: readable(detail) } : {}) } }, `audit: ${fields.kind} ${fields.outcome}`);
      }
      writer.push(entry);
    },
    log: createAuditReader({ store: deps.store, now, keys: keyOf, retentionMs }),
    flush: () => writer.flush(),
    close: () => writer.close(),
    stats: () => writer.stats(),
  };
}

/** The detail for the log line; one cut at its length bound is logged as the text it is. */
function readable(detail: string): unknown {
  try {
    return JSON.parse(detail);
  } catch {
    return detail;
  }
}
