/**
 * Validation shared by both backends, so that they accept and refuse exactly the same batches.
 *
 * Redis itself would run the other commands of a MULTI when one fails with WRONGTYPE, which breaks
 * "all or nothing". Both backends therefore check every op against a simple type model *before*
 * writing anything (the Redis backend does it inside its Lua script, see redis-scripts.ts, with the
 * same rules and the same error text as `checkTypes` here).
 *
 * The model is deliberately simple: `set` makes a key a string, `del` makes it absent, a non-empty
 * `hset`/`sadd`/`zadd` makes it a hash/set/zset, and removals never change the type (even when they
 * would empty the key). So a batch like [hdel every field of k, sadd k] is refused by both
 * backends, although plain Redis would accept it; no caller needs that.
 */
import { KbError } from '../shared/errors.js';
import type { ScoreGuard, VersionedWrite, WriteOp } from './types.js';

export type KeyType = 'none' | 'string' | 'hash' | 'set' | 'zset' | (string & {});

/** One type-checked step: `need` is the type the key must have (or be absent), `becomes` its type after. */
export interface TypeStep {
  label: string;
  key: string;
  need: KeyType | null;
  becomes: KeyType | null;
}

export const OP_NEEDS: Record<WriteOp['op'], KeyType | null> = {
  set: null,
  del: null,
  pexpire: null,
  hset: 'hash',
  hdel: 'hash',
  sadd: 'set',
  srem: 'set',
  zadd: 'zset',
  zaddScore: 'zset',
  zrem: 'zset',
};

const invalid = (why: string) => new KbError('internal', `store: ${why}`);

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((m) => typeof m === 'string');

/** Redis keeps scores as doubles; NaN is refused by Redis and ±inf by us (a time is finite). */
const isScore = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A positive whole number of milliseconds: what SET PX / PEXPIRE accept without deleting the key. */
export function assertTtl(ttlMs: unknown, where: string): asserts ttlMs is number {
  if (typeof ttlMs !== 'number' || !Number.isSafeInteger(ttlMs) || ttlMs < 1) {
    throw invalid(`${where}: ttlMs must be a whole number of milliseconds >= 1`);
  }
}

/** Refuses malformed ops up front (a float TTL, a non-string member) so neither backend half-applies them. */
export function assertWellFormed(ops: readonly WriteOp[], labelPrefix = 'op'): void {
  if (!Array.isArray(ops)) throw invalid('ops must be an array');
  ops.forEach((op, i) => {
    const where = `${labelPrefix} #${i + 1} (${String(op?.op)})`;
    if (typeof op?.key !== 'string') throw invalid(`${where}: key must be a string`);
    switch (op.op) {
      case 'set':
        if (typeof op.value !== 'string') throw invalid(`${where}: value must be a string`);
        if (op.ttlMs !== undefined) assertTtl(op.ttlMs, where);
        return;
      case 'del':
        return;
      case 'pexpire':
        assertTtl(op.ttlMs, where);
        return;
      case 'hset':
        if (typeof op.values !== 'object' || op.values === null || !Object.values(op.values).every((v) => typeof v === 'string')) {
          throw invalid(`${where}: values must map fields to strings`);
        }
        return;
      case 'hdel':
        if (!isStringArray(op.fields)) throw invalid(`${where}: fields must be strings`);
        return;
      case 'sadd':
      case 'srem':
      case 'zadd':
      case 'zrem':
        if (!isStringArray(op.members)) throw invalid(`${where}: members must be strings`);
        return;
      case 'zaddScore':
        if (!Array.isArray(op.members) || !op.members.every((m: { member?: unknown; score?: unknown } | null) => typeof m?.member === 'string' && isScore(m.score))) {
          throw invalid(`${where}: members must be {member: string, score: finite number}`);
        }
        return;
      default:
        throw invalid(`${where}: unknown op`);
    }
  });
}

export function assertVersionedWrite(write: VersionedWrite): void {
  for (const name of ['dataKey', 'indexKey', 'versionKey'] as const) {
    if (typeof write?.[name] !== 'string') throw invalid(`applyVersioned: ${name} must be a string`);
  }
  if (!Array.isArray(write.entries)) throw invalid('applyVersioned: entries must be an array');
  write.entries.forEach((e, i) => {
    if (typeof e?.field !== 'string' || typeof e.version !== 'string' || (e.value !== null && typeof e.value !== 'string')) {
      throw invalid(`applyVersioned: entry #${i + 1} needs a string field, a string version and a string or null value`);
    }
  });
}

/** Does this op create or keep a value of its type? Empty adds are no-ops in both backends. */
function becomes(op: WriteOp): KeyType | null {
  switch (op.op) {
    case 'set':
      return 'string';
    case 'del':
      return 'none';
    case 'hset':
      return Object.keys(op.values).length > 0 ? 'hash' : null;
    case 'sadd':
    case 'zadd':
    case 'zaddScore':
      return op.members.length > 0 ? OP_NEEDS[op.op] : null;
    default:
      return null;
  }
}

export function stepsOfOps(ops: readonly WriteOp[], labelPrefix = 'op'): TypeStep[] {
  return ops.map((op, i) => ({ label: `${labelPrefix} #${i + 1} (${op.op})`, key: op.key, need: OP_NEEDS[op.op], becomes: becomes(op) }));
}

/** The versioned write touches its three keys as a hash, a zset and a hash, then runs `extra`. */
export function stepsOfVersioned(write: VersionedWrite, extra: readonly WriteOp[]): TypeStep[] {
  return [
    { label: 'dataKey', key: write.dataKey, need: 'hash', becomes: 'hash' },
    { label: 'indexKey', key: write.indexKey, need: 'zset', becomes: 'zset' },
    { label: 'versionKey', key: write.versionKey, need: 'hash', becomes: 'hash' },
    ...stepsOfOps(extra, 'extra op'),
  ];
}

export const wrongTypeMessage = (step: TypeStep, found: KeyType) =>
  `WRONGTYPE ${step.label} needs a ${step.need ?? 'value'} but ${step.key} holds a ${found}`;

/** Walks the steps with the type model; throws before anything is written. */
export function checkTypes(steps: readonly TypeStep[], typeOf: (key: string) => KeyType): void {
  const seen = new Map<string, KeyType>();
  for (const step of steps) {
    const current = seen.get(step.key) ?? typeOf(step.key);
    if (step.need !== null && current !== 'none' && current !== step.need) {
      throw new KbError('internal', wrongTypeMessage(step, current));
    }
    seen.set(step.key, step.becomes ?? current);
  }
}

/** Redis's own text for a read against a key of another type; both backends use it. */
export const WRONGTYPE_READ = 'WRONGTYPE Operation against a key holding the wrong kind of value';

export function assertLimit(limit: unknown, where = 'zrangeByLex'): asserts limit is number {
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 0) {
    throw invalid(`${where}: limit must be a whole number >= 0`);
  }
}

/** A range bound may be ±Infinity ("everything"), never NaN. */
export function assertMax(max: unknown, where: string): asserts max is number {
  if (typeof max !== 'number' || Number.isNaN(max)) throw invalid(`${where}: max must be a number`);
}

export function assertScore(score: unknown, where: string): asserts score is number {
  if (!isScore(score)) throw invalid(`${where}: score must be a finite number`);
}

export function assertGuard(guard: ScoreGuard): void {
  if (typeof guard?.key !== 'string' || typeof guard.member !== 'string') throw invalid('execIfScore: the guard needs a string key and member');
  if (guard.score !== null) assertScore(guard.score, 'execIfScore guard');
}
