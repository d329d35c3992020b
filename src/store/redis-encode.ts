/**
 * Flattens write ops and versioned entries into KEYS and ARGV for the scripts of redis-scripts.ts
 * (the layout is documented there). Callers validated the ops with assertWellFormed first.
 */
import type { ScoreGuard, VersionedWrite, WriteOp } from './types.js';

export interface ScriptArgs {
  keys: string[];
  argv: string[];
}

/** Count then items; a loop, because spreading a huge array into push() overflows the stack. */
function pushList(items: readonly string[], argv: string[]): void {
  argv.push(String(items.length));
  for (const item of items) argv.push(item);
}

function pushOps(ops: readonly WriteOp[], out: ScriptArgs): void {
  out.argv.push(String(ops.length));
  for (const op of ops) {
    out.keys.push(op.key);
    out.argv.push(op.op);
    switch (op.op) {
      case 'set':
        out.argv.push(op.value, op.ttlMs === undefined ? '' : String(op.ttlMs));
        break;
      case 'del':
        break;
      case 'pexpire':
        out.argv.push(String(op.ttlMs));
        break;
      case 'hset': {
        const entries = Object.entries(op.values);
        out.argv.push(String(entries.length * 2));
        for (const [field, value] of entries) out.argv.push(field, value);
        break;
      }
      case 'hdel':
        pushList(op.fields, out.argv);
        break;
      case 'zaddScore':
        // Pairs in ZADD's own order. String(score) is the shortest text that reads back as the same double.
        out.argv.push(String(op.members.length * 2));
        for (const { member, score } of op.members) out.argv.push(String(score), member);
        break;
      default:
        pushList(op.members, out.argv);
    }
  }
}

export function encodeExec(ops: readonly WriteOp[]): ScriptArgs {
  const out: ScriptArgs = { keys: [], argv: [] };
  pushOps(ops, out);
  return out;
}

/** The guard first (key, member, '' for "absent" or the score), then the ops as for exec. */
export function encodeExecIfScore(guard: ScoreGuard, ops: readonly WriteOp[]): ScriptArgs {
  const out: ScriptArgs = { keys: [guard.key], argv: [guard.member, guard.score === null ? '' : String(guard.score)] };
  pushOps(ops, out);
  return out;
}

export function encodeVersioned(write: VersionedWrite, extra: readonly WriteOp[]): ScriptArgs {
  const out: ScriptArgs = { keys: [write.dataKey, write.indexKey, write.versionKey], argv: [String(write.entries.length)] };
  for (const e of write.entries) {
    out.argv.push(e.field, e.version, e.value === null ? 'd' : 's', e.value ?? '');
  }
  pushOps(extra, out);
  return out;
}
