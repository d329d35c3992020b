/**
 * `/cas/logout[?service=URL]` (CAS 3.0 §2.3): ends the bridge session — first, never depending on
 * anyone else — then tells every CAS service that received a ticket in it (single logout, through
 * the outbox), then sends the browser through the tenant IdP's logout, like the bridge's own sign-out.
 * It returns to `service` only when that is a registered service, else to the signed-out page.
 *
 * CAS logout is a plain link (apps send the browser here), so it is a GET; to keep an image, a
 * frame or a script on another site from signing people out, a request that Fetch Metadata marks as
 * coming from another site (`Sec-Fetch-Site` cross-site or same-site) must be a top-level navigation
 * (`Sec-Fetch-Mode: navigate`, `Sec-Fetch-Dest: document`), or it is refused.
 */
import { z } from 'zod';
import { KbError } from '../shared/errors.js';
import { clearCookie, readCookie } from '../http/cookies.js';
import { originOf, type AppContext } from '../http/state.js';
import type { CasDeps } from './deps.js';
import { findService } from './services.js';
import { enqueueSingleLogouts } from './single-logout-job.js';

export const logoutQuery = z.object({ service: z.string().max(4096).optional() });

export async function casLogout(deps: CasDeps, ctx: AppContext, query: z.output<typeof logoutQuery>): Promise<void> {
  const site = ctx.get('sec-fetch-site');
  const crossSite = site === 'cross-site' || site === 'same-site';
  if (crossSite && (ctx.get('sec-fetch-mode') !== 'navigate' || !['document', ''].includes(ctx.get('sec-fetch-dest')))) {
    throw new KbError('cross_origin_refused', 'CAS logout from another site must be a top-level navigation');
  }

  const back = query.service && findService(deps.services, query.service) ? query.service : `${deps.publicUrl}/sso/logged-out`;
  const session = await deps.sessions.get(readCookie(ctx, deps.cookies.session));
  clearCookie(ctx, deps.cookies, deps.cookies.session);
  if (!session) {
    ctx.redirect(back);
    return;
  }
  await deps.sessions.destroy(session);
  deps.observations.emit({ kind: 'session_end', cause: 'logout', tenantId: session.tenantId, userName: session.userName, count: 1, reason: 'cas logout', ...originOf(ctx) });
  await enqueueSingleLogouts(deps.jobs, await deps.logouts.takeSession(session));
  ctx.state.log.info({ tenantId: session.tenantId, session: session.sidHash.slice(0, 8) }, 'CAS logout');
  ctx.redirect((await deps.upstreamLogoutUrl(session, back)) ?? back);
}
