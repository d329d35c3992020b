/**
 * The error bodies of the tenant IdP's JSON endpoints, in the documented OAuth shape
 * `{"error": …, "error_description": …}` (spec §7).
 */
import type { ParameterizedContext } from 'koa';

export function oauthError(ctx: ParameterizedContext, status: number, error: string, description: string): void {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { error, error_description: description };
}
