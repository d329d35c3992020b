/**
 * The one edge guard (after Logto's `koaGuard`): a route declares zod schemas for its path
 * parameters and query, and its handler receives them parsed and typed (`z.output`), so nothing
 * unchecked reaches a store key, a URL or a page. A failure is `invalid_parameter` with a message
 * naming the field (`tenantId: is not a valid tenant id`) and `details.field`, at every door.
 */
import { z } from 'zod';
import { KbError } from '../shared/errors.js';
import type { AppContext, AppMiddleware } from './state.js';

/** Parses one input against its schema, or throws the guard's refusal. */
export function validate<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.') || 'input';
  const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
  throw new KbError('invalid_parameter', `${field}: ${message}`, { details: { field } });
}

interface Schemas {
  params?: z.ZodType;
  query?: z.ZodType;
}

type Parsed<S extends Schemas> = {
  params: S['params'] extends z.ZodType ? z.output<S['params']> : Record<string, never>;
  query: S['query'] extends z.ZodType ? z.output<S['query']> : Record<string, never>;
};

/** A route handler that runs only on valid input: `router.get(path, guarded({ params, query }, handler))`. */
export function guarded<S extends Schemas>(schemas: S, handler: (ctx: AppContext, input: Parsed<S>) => unknown): AppMiddleware {
  return async (ctx) => {
    const input = {
      params: schemas.params ? validate(schemas.params, (ctx as { params?: unknown }).params ?? {}) : {},
      query: schemas.query ? validate(schemas.query, ctx.query) : {},
    } as Parsed<S>;
    await handler(ctx, input);
  };
}
