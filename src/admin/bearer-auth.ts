import { createHash, timingSafeEqual } from 'node:crypto';
import { KbError } from '../errors.js';
import type { AppMiddleware } from '../http/state.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * `Authorization: Bearer <ADMIN_TOKEN>`. Both sides are hashed first so the comparison is
 * constant-time whatever the length of what was sent. A null token means the admin API is off.
 */
export function bearerAuth(token: string | null): AppMiddleware {
  const expected = token === null ? null : digest(token);
  return async (ctx, next) => {
    if (expected === null) throw new KbError('admin_disabled', 'the admin API is disabled: set ADMIN_TOKEN to enable it');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'));
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
      ctx.set('WWW-Authenticate', 'Bearer realm="koobridge-admin"');
      throw new KbError('unauthorized', 'a valid admin bearer token is required');
    }
    await next();
  };
}
