/**
 * Reads the audit trail and the sync log newest first, filtered, a page at a time.
 *
 * The time window is the stream's own range (ids are times), so it costs nothing; the other
 * filters are applied while scanning. A call examines at most MAX_SCANNED entries: a rare filter
 * over a long trail answers a short (even empty) page with a `nextCursor` to continue from, rather
 * than one slow call. A page ends at the last entry it returned or examined, so nothing is skipped.
 */
import { AUDIT_KINDS, type AuditEvent, type AuditKind, type AuditLog, type AuditQuery, type LogPage, type LogWindow, type SyncLogEntry, type SyncLogQuery } from '../shared/audit-log.js';
import type { StreamEntry, Store } from '../store/types.js';

/** Entries fetched per store round trip. */
const SCAN_BATCH = 250;
/** Most entries one call examines (bounded work per request, documented in the README). */
export const MAX_SCANNED = 5_000;

export interface ReaderOptions {
  store: Store;
  now: () => number;
  keys: { audit: string; sync: string };
  /** Entries older than this are not shown even before a write trims them (0: no bound). */
  retentionMs: { audit: number; sync: number };
}

const iso = (fields: Record<string, string>, id: string) => new Date(Number(fields.at ?? id.split('-')[0])).toISOString();

function auditEvent({ id, fields }: StreamEntry): AuditEvent | null {
  if (!(AUDIT_KINDS as readonly string[]).includes(fields.kind ?? '')) return null;
  const event: AuditEvent = { id, at: iso(fields, id), kind: fields.kind as AuditKind, outcome: fields.outcome ?? '' };
  for (const name of ['tenantId', 'userName', 'clientId', 'sourceIp', 'requestId', 'reason'] as const) {
    if (fields[name] !== undefined) event[name] = fields[name];
  }
  if (fields.detail !== undefined) {
    try {
      event.detail = JSON.parse(fields.detail) as Record<string, unknown>;
    } catch {
      event.detail = { unreadable: true }; // cut at its length bound: shown as such, never guessed at
    }
  }
  return event;
}

function syncEntry({ id, fields }: StreamEntry): SyncLogEntry | null {
  if (fields.interface === undefined || fields.resultCode === undefined) return null;
  const entry: SyncLogEntry = {
    id,
    at: iso(fields, id),
    interface: fields.interface,
    resultCode: fields.resultCode,
    message: fields.message ?? '',
    summary: fields.summary ?? '',
    durationMs: Number(fields.durationMs ?? 0),
  };
  for (const name of ['tenantId', 'instanceId', 'requestId', 'sourceIp'] as const) {
    if (fields[name] !== undefined) entry[name] = fields[name];
  }
  return entry;
}

export function createAuditReader(opts: ReaderOptions): AuditLog {
  async function scan<T>(key: string, retentionMs: number, q: LogWindow, decode: (e: StreamEntry) => T | null, keep: (item: T) => boolean): Promise<LogPage<T>> {
    const oldest = retentionMs > 0 ? opts.now() - retentionMs : undefined;
    const minMs = oldest === undefined ? q.fromMs : Math.max(q.fromMs ?? 0, oldest);
    const items: T[] = [];
    let before = q.cursor;
    let scanned = 0;
    while (scanned < MAX_SCANNED) {
      const count = Math.min(SCAN_BATCH, MAX_SCANNED - scanned);
      const batch = await opts.store.xrevrange(key, {
        count,
        ...(before !== undefined ? { before } : {}),
        ...(q.toMs !== undefined ? { maxMs: q.toMs } : {}),
        ...(minMs !== undefined ? { minMs: Math.max(0, minMs) } : {}),
      });
      for (const entry of batch) {
        scanned += 1;
        const item = decode(entry);
        if (item !== null && keep(item)) items.push(item);
        if (items.length === q.limit) return { items, nextCursor: entry.id };
      }
      if (batch.length < count) return { items, nextCursor: null };
      before = batch.at(-1)!.id;
    }
    return { items, nextCursor: before ?? null };
  }

  const is = (wanted: string | undefined, value: string | undefined) => wanted === undefined || wanted === value;

  return {
    audit: (q: AuditQuery) =>
      scan(opts.keys.audit, opts.retentionMs.audit, q, auditEvent, (e) => is(q.kind, e.kind) && is(q.tenantId, e.tenantId) && is(q.userName, e.userName) && is(q.clientId, e.clientId)),
    syncLog: (q: SyncLogQuery) =>
      scan(opts.keys.sync, opts.retentionMs.sync, q, syncEntry, (e) => is(q.tenantId, e.tenantId) && is(q.instanceId, e.instanceId) && is(q.interface, e.interface) && is(q.resultCode, e.resultCode)),
  };
}
