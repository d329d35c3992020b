/**
 * The in-memory keyspace: typed values with Redis expiry rules.
 *
 * A key is expired when `now > expiresAt` (Redis's own test), is removed lazily when touched, and
 * by `sweep()`, which only walks keys that carry a TTL so its cost follows the expiring keys, not
 * the whole keyspace. Collections that become empty are deleted, as Redis does.
 */
import { KbError } from '../shared/errors.js';
import { SortedMembers } from './memory-sorted.js';
import { MemoryStream } from './memory-stream.js';
import { WRONGTYPE_READ, type KeyType } from './ops.js';

export interface TypedValues {
  string: string;
  hash: Map<string, string>;
  set: Set<string>;
  zset: SortedMembers;
  stream: MemoryStream;
}
export type ValueType = keyof TypedValues;

type Entry = { [T in ValueType]: { type: T; data: TypedValues[T]; expiresAt: number | null } }[ValueType];

const EMPTY: { [T in Exclude<ValueType, 'string'>]: () => TypedValues[T] } = {
  hash: () => new Map(),
  set: () => new Set(),
  zset: () => new SortedMembers(),
  stream: () => new MemoryStream(),
};

export class Keyspace {
  private readonly entries = new Map<string, Entry>();
  private readonly expiring = new Set<string>();

  constructor(private readonly now: () => number) {}

  get size(): number {
    return this.entries.size;
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry?.expiresAt != null && this.now() > entry.expiresAt) {
      this.delete(key);
      return undefined;
    }
    return entry;
  }

  typeOf(key: string): KeyType {
    return this.live(key)?.type ?? 'none';
  }

  /** The value when the key holds `type`, undefined when absent; WRONGTYPE otherwise. */
  read<T extends ValueType>(key: string, type: T): TypedValues[T] | undefined {
    const entry = this.live(key);
    if (entry === undefined) return undefined;
    if (entry.type !== type) throw new KbError('internal', WRONGTYPE_READ);
    return entry.data as TypedValues[T];
  }

  /** The collection at `key`, created empty (without TTL) when absent. Callers checked the type. */
  collection<T extends Exclude<ValueType, 'string'>>(key: string, type: T): TypedValues[T] {
    const existing = this.read(key, type);
    if (existing !== undefined) return existing;
    const data = EMPTY[type]() as TypedValues[T];
    this.entries.set(key, { type, data, expiresAt: null } as Entry);
    return data;
  }

  setString(key: string, value: string, ttlMs?: number): void {
    const expiresAt = ttlMs === undefined ? null : this.now() + ttlMs;
    this.entries.set(key, { type: 'string', data: value, expiresAt });
    if (expiresAt === null) this.expiring.delete(key);
    else this.expiring.add(key);
  }

  delete(key: string): boolean {
    this.expiring.delete(key);
    return this.entries.delete(key);
  }

  /** Redis deletes a hash, set or zset when its last element goes (a stream stays, even empty). */
  dropIfEmpty(key: string): void {
    const entry = this.entries.get(key);
    if (entry && entry.type !== 'string' && entry.type !== 'stream' && entry.data.size === 0) this.delete(key);
  }

  expire(key: string, ttlMs: number): void {
    const entry = this.live(key);
    if (!entry) return;
    entry.expiresAt = this.now() + ttlMs;
    this.expiring.add(key);
  }

  pttl(key: string): number {
    const entry = this.live(key);
    if (!entry) return -2;
    if (entry.expiresAt === null) return -1;
    return Math.max(0, entry.expiresAt - this.now());
  }

  sweep(): void {
    for (const key of this.expiring) this.live(key);
  }
}
