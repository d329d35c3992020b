/**
 * What every kit schema shares: the common fields (spec §5) and the way a zod failure becomes the
 * one KbError the webhook answers with — `invalid_parameter`, naming the first offending field.
 */
import { z } from 'zod';
import { KbError } from '../shared/errors.js';
import { code, emptyableId, field, syncTime, testFlag } from './schemas-fields.js';

export const commonShape = {
  instanceId: field(emptyableId),
  orderId: field(emptyableId),
  testFlag: field(testFlag),
  timeStamp: field(syncTime),
};

/** `['userList', 3, 'role']` → `userList[3].role`; the root is called `body`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? 'body' : out;
}

/** Runs a schema; on failure throws `invalid_parameter` for the first issue zod reports. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const fieldPath = formatPath(issue?.path ?? []);
  throw new KbError('invalid_parameter', `${fieldPath}: ${issue?.message ?? 'invalid'}`, { details: { field: fieldPath } });
}

/**
 * Reads only `flag`, so each interface can pick the schema for its flag: what a body must carry
 * depends on whether it adds, modifies or deletes.
 */
export function readFlag<T extends number>(body: unknown, allowed: readonly T[]): T {
  return parseWith(z.object({ flag: field(code(allowed)) }), body).flag;
}
