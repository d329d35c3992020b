import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { guarded, validate } from '../../../src/http/guard.js';
import { tenantIdParam, userNameParam } from '../../../src/http/params.js';
import { KbError } from '../../../src/shared/errors.js';

const refusal = (fn: () => unknown): KbError => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(KbError);
    return err as KbError;
  }
  throw new Error('expected a refusal');
};

describe('validate', () => {
  const schema = z.object({ tenant: tenantIdParam, limit: z.coerce.number().int().max(10).default(5) });

  it('returns the parsed value with defaults and coercions applied', () => {
    expect(validate(schema, { tenant: 'acme', limit: '7' })).toEqual({ tenant: 'acme', limit: 7 });
    expect(validate(schema, { tenant: 'acme' })).toEqual({ tenant: 'acme', limit: 5 });
  });

  it('names a missing field "is required"', () => {
    const err = refusal(() => validate(schema, {}));
    expect(err.code).toBe('invalid_parameter');
    expect(err.message).toBe('tenant: is required');
    expect(err.details).toEqual({ field: 'tenant' });
  });

  it('names the field and the rule it breaks', () => {
    expect(refusal(() => validate(schema, { tenant: '{acme}' })).message).toBe('tenant: is not a valid tenant id');
    expect(refusal(() => validate(schema, { tenant: 'acme', limit: '11' })).details).toEqual({ field: 'limit' });
  });
});

describe('identifier rules', () => {
  it.each(['acme', 'tenant-01.cn', 'a:b@c~d', 'x'.repeat(64)])('accepts tenant id %s', (id) => expect(tenantIdParam.safeParse(id).success).toBe(true));
  it.each(['', '{acme}', 'ac me', 'a/b', 'x'.repeat(65), 'acmé'])('refuses tenant id %j', (id) => expect(tenantIdParam.safeParse(id).success).toBe(false));
  it.each(['zhang.san', '张三', 'li si', 'a{b}'])('accepts user name %s', (name) => expect(userNameParam.safeParse(name).success).toBe(true));
  it.each(['', ' zhang', 'zhang ', 'zh\nang', 'zh\u007fang', 'x'.repeat(256)])('refuses user name %j', (name) => expect(userNameParam.safeParse(name).success).toBe(false));
});

describe('guarded', () => {
  const schemas = { params: z.object({ tenantId: tenantIdParam }), query: z.object({ limit: z.coerce.number().default(1) }) };

  it('hands the handler parsed params and query', async () => {
    let seen: unknown;
    const handler = guarded(schemas, (_ctx, input) => {
      seen = input;
    });
    await handler({ params: { tenantId: 'acme' }, query: { limit: '3' } } as never, async () => {});
    expect(seen).toEqual({ params: { tenantId: 'acme' }, query: { limit: 3 } });
  });

  it('never calls the handler on invalid input', async () => {
    let called = false;
    const handler = guarded(schemas, () => {
      called = true;
    });
    await expect(handler({ params: { tenantId: 'a b' }, query: {} } as never, async () => {})).rejects.toMatchObject({ code: 'invalid_parameter', message: 'tenantId: is not a valid tenant id' });
    expect(called).toBe(false);
  });
});
