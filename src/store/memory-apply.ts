/**
 * One write op on the memory keyspace, as Redis would apply it (an emptied collection disappears).
 * Kept apart from memory.ts so the store's command list stays readable in one go.
 */
import type { Keyspace } from './memory-keyspace.js';
import type { WriteOp } from './types.js';

/** Applies one op that already passed assertWellFormed and checkTypes: it cannot fail. */
export function applyOp(space: Keyspace, op: WriteOp): void {
  switch (op.op) {
    case 'set':
      space.setString(op.key, op.value, op.ttlMs);
      return;
    case 'del':
      space.delete(op.key);
      return;
    case 'pexpire':
      space.expire(op.key, op.ttlMs);
      return;
    case 'hset': {
      const entries = Object.entries(op.values);
      if (entries.length === 0) return;
      const hash = space.collection(op.key, 'hash');
      for (const [field, value] of entries) hash.set(field, value);
      return;
    }
    case 'hdel':
      for (const field of op.fields) space.read(op.key, 'hash')?.delete(field);
      break;
    case 'sadd':
      if (op.members.length === 0) return;
      for (const m of op.members) space.collection(op.key, 'set').add(m);
      return;
    case 'srem':
      for (const m of op.members) space.read(op.key, 'set')?.delete(m);
      break;
    case 'zadd':
      if (op.members.length === 0) return;
      for (const m of op.members) space.collection(op.key, 'zset').add(m);
      return;
    case 'zaddScore':
      if (op.members.length === 0) return;
      for (const { member, score } of op.members) space.collection(op.key, 'zset').add(member, score);
      return;
    case 'zrem':
      for (const m of op.members) space.read(op.key, 'zset')?.remove(m);
      break;
  }
  space.dropIfEmpty(op.key);
}
