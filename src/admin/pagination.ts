import { z } from 'zod';
import { KbError } from '../shared/errors.js';

const MAX_PAGE = 500;

const querySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(100),
  cursor: z.string().max(1024).optional(),
});

/** Cursors are opaque to clients: the last key of the page, Base64url-encoded. */
export function parsePage(query: Record<string, unknown>): { limit: number; after?: string } {
  const parsed = querySchema.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new KbError('invalid_parameter', `${String(issue.path[0])}: ${issue.message}`, { details: { field: String(issue.path[0]) } });
  }
  const { limit, cursor } = parsed.data;
  if (cursor === undefined || cursor === '') return { limit };
  const after = Buffer.from(cursor, 'base64url').toString('utf8');
  if (after === '' || Buffer.from(after, 'utf8').toString('base64url') !== cursor) {
    throw new KbError('invalid_parameter', 'cursor: not a cursor returned by this API', { details: { field: 'cursor' } });
  }
  return { limit, after };
}

export const encodeCursor = (last: string | null): string | null => (last === null ? null : Buffer.from(last, 'utf8').toString('base64url'));
