/**
 * Validation and range bounds of the stream calls (xadd, xrevrange), shared by both backends so
 * they accept and refuse the same arguments and read the same entries.
 */
import { KbError } from '../shared/errors.js';
import type { StreamRange } from './types.js';

const invalid = (why: string) => new KbError('internal', `store: ${why}`);

/** A stream id as Redis writes it: `<ms>-<seq>`, both whole numbers. */
const STREAM_ID = /^(\d{1,16})-(\d{1,19})$/;

export interface StreamId {
  ms: number;
  seq: bigint;
}

export function parseStreamId(id: string): StreamId | null {
  const m = STREAM_ID.exec(id);
  if (!m) return null;
  const ms = Number(m[1]);
  return Number.isSafeInteger(ms) ? { ms, seq: BigInt(m[2]!) } : null;
}

export const compareStreamIds = (a: StreamId, b: StreamId): number => a.ms - b.ms || (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0);

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export function assertStreamFields(fields: unknown): asserts fields is Record<string, string> {
  if (typeof fields !== 'object' || fields === null) throw invalid('xadd: fields must map names to strings');
  const values = Object.values(fields);
  if (values.length === 0 || !values.every((v) => typeof v === 'string')) throw invalid('xadd: fields must map at least one name to a string');
}

export function assertMinId(minIdMs: unknown): void {
  if (minIdMs !== undefined && !isTime(minIdMs)) throw invalid('xadd: minIdMs must be a whole number of ms >= 0');
}

/**
 * The range's bounds, checked: `end` is the newest id allowed (exclusive when it came from
 * `before`), `start` the oldest (inclusive); undefined means open. `empty` when nothing can match.
 */
export interface StreamBounds {
  end?: { id: StreamId; exclusive: boolean };
  start?: StreamId;
}

const MAX_SEQ = 18_446_744_073_709_551_615n; // what Redis reads `<ms>` as, used as an end bound

export function boundsOf(range: StreamRange): StreamBounds {
  if (typeof range?.count !== 'number' || !Number.isSafeInteger(range.count) || range.count < 0) throw invalid('xrevrange: count must be a whole number >= 0');
  if (range.maxMs !== undefined && !isTime(range.maxMs)) throw invalid('xrevrange: maxMs must be a whole number of ms >= 0');
  if (range.minMs !== undefined && !isTime(range.minMs)) throw invalid('xrevrange: minMs must be a whole number of ms >= 0');
  let end: StreamBounds['end'];
  if (range.before !== undefined) {
    const id = typeof range.before === 'string' ? parseStreamId(range.before) : null;
    if (!id) throw invalid('xrevrange: before must be a stream id <ms>-<seq>');
    end = { id, exclusive: true };
  }
  if (range.maxMs !== undefined) {
    const byTime = { ms: range.maxMs, seq: MAX_SEQ };
    // The tighter of the two upper bounds wins.
    if (!end || compareStreamIds(byTime, end.id) < 0) end = { id: byTime, exclusive: false };
  }
  return { ...(end ? { end } : {}), ...(range.minMs !== undefined ? { start: { ms: range.minMs, seq: 0n } } : {}) };
}

/** The bounds as XREVRANGE arguments. */
export function redisRangeArgs(bounds: StreamBounds): [end: string, start: string] {
  const end = bounds.end ? `${bounds.end.exclusive ? '(' : ''}${bounds.end.id.ms}-${bounds.end.id.seq}` : '+';
  const start = bounds.start ? `${bounds.start.ms}-${bounds.start.seq}` : '-';
  return [end, start];
}
