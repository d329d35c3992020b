/**
 * Cursor pagination of the admin API. Cursors are opaque to clients: the last key of the page,
 * base64url-encoded; a cursor this API did not hand out is refused, never half-understood.
 */
import { z } from 'zod';

const MAX_PAGE = 500;

const cursor = z
  .string()
  .max(1024)
  .transform((value, ctx) => {
    if (value === '') return undefined;
    const after = Buffer.from(value, 'base64url').toString('utf8');
    if (after === '' || Buffer.from(after, 'utf8').toString('base64url') !== value) {
      ctx.addIssue({ code: 'custom', message: 'not a cursor returned by this API' });
      return z.NEVER;
    }
    return after;
  });

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(100),
  cursor: cursor.optional(),
});

/** The store's paging arguments of a parsed page query. */
export const pageOf = (q: z.output<typeof pageQuery>): { limit: number; after?: string } =>
  q.cursor === undefined ? { limit: q.limit } : { limit: q.limit, after: q.cursor };

export const encodeCursor = (last: string | null): string | null => (last === null ? null : Buffer.from(last, 'utf8').toString('base64url'));
