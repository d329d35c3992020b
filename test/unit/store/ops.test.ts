import { describe, expect, it } from 'vitest';
import { checkTypes, stepsOfOps, stepsOfVersioned, type KeyType } from '../../../src/store/ops.js';
import type { WriteOp } from '../../../src/store/types.js';

const types = (map: Record<string, KeyType>) => (key: string) => map[key] ?? 'none';

describe('the type model shared by both backends', () => {
  it('names the op, the key and both types in the WRONGTYPE message', () => {
    const ops: WriteOp[] = [{ op: 'set', key: 'a', value: '1' }, { op: 'sadd', key: 'h', members: ['x'] }];
    expect(() => checkTypes(stepsOfOps(ops), types({ h: 'hash' }))).toThrow('WRONGTYPE op #2 (sadd) needs a set but h holds a hash');
  });

  it('removals keep the type, so a set cannot become a hash in one batch even when emptied', () => {
    const ops: WriteOp[] = [{ op: 'srem', key: 's', members: ['only'] }, { op: 'hset', key: 's', values: { a: '1' } }];
    expect(() => checkTypes(stepsOfOps(ops), types({ s: 'set' }))).toThrow(/WRONGTYPE/);
  });

  it('keys of other Redis types (a list) are refused for every typed op', () => {
    expect(() => checkTypes(stepsOfOps([{ op: 'zadd', key: 'l', members: ['x'] }]), types({ l: 'list' }))).toThrow(/holds a list/);
  });

  it('a versioned write needs a hash, a zset and a hash, then checks its extra ops', () => {
    const write = { dataKey: 'd', indexKey: 'i', versionKey: 'v', entries: [] };
    expect(() => checkTypes(stepsOfVersioned(write, []), types({ i: 'set' }))).toThrow('WRONGTYPE indexKey needs a zset but i holds a set');
    expect(() => checkTypes(stepsOfVersioned(write, [{ op: 'sadd', key: 'd', members: ['x'] }]), types({}))).toThrow(
      'WRONGTYPE extra op #1 (sadd) needs a set but d holds a hash',
    );
  });
});
