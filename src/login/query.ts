/** zod schemas of the browser routes' query strings: validated once, at the edge. */
import { z } from 'zod';
import { KbError } from '../shared/errors.js';
import { isTenantId } from '../shared/identifiers.js';

// Same rule as KooGallery's tenantId in the sync interfaces (it is part of Redis hash tags).
const tenantId = z.string().refine(isTenantId, 'is not a valid tenant id');
const printable = (max: number) => z.string().min(1).max(max).regex(/^[\x21-\x7e]+$/, 'has characters that are not allowed');

export const loginQuery = z.object({
  tenant: tenantId.optional(),
  protocol: z.enum(['oauth2', 'cas']).default('oauth2'),
  return_to: z.string().max(2048).optional(),
});

export const callbackQuery = z.object({
  code: printable(1024).optional(),
  tenant: tenantId.optional(),
  tenant_id: tenantId.optional(),
  state: printable(256).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(1024).optional(),
});

export const casQuery = z.object({
  tenant: tenantId,
  // CAS 3.0: tickets start with ST-, [A-Za-z0-9-], at most 256 characters.
  ticket: z.string().regex(/^ST-[A-Za-z0-9-]{1,253}$/, 'is not a CAS service ticket'),
});

export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.output<T> {
  const result = schema.safeParse(query);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.') || 'query';
  const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
  throw new KbError('invalid_parameter', `${field}: ${message}`, { details: { field } });
}
