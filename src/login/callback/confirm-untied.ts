/**
 * A callback that cannot be tied to this browser — no `state` we issued to it: a unified-login
 * callback (the pre-login cookie binds it only to "this browser started a unified login", not to
 * this code) or an IdP-initiated one (the workbench tile) — may carry anyone's code. Such a code
 * must not silently:
 *  (a) replace this browser's session of another identity (tenant or userName), nor
 *  (b) complete a pending sign-in into an app (an OpenID interaction, an allowed return_to).
 * Then the code is still redeemed (it is single-use anyway) and the session created, but held
 * back: the browser gets a confirmation page ("Continue as 张三 of Acme?", /sso/confirm) and keeps
 * its previous session until the user confirms. A login of the identity the browser already has,
 * and a workbench login into a browser with no session and nowhere to return to, go on as before.
 */
import type { CallbackCheck } from './attempt.js';
import { createSession, previousSession } from './open-session.js';
import { CONFIRM_PATH, holdForConfirmation } from '../confirm.js';

export const confirmUntiedIdentity: CallbackCheck = async (deps, ctx, attempt) => {
  if (attempt.boundByState) return;
  const previous = await previousSession(deps, ctx, attempt);
  const tenantId = attempt.target!.tenant.tenantId;
  const userName = attempt.user!.userName;
  if (previous && previous.tenantId === tenantId && previous.userName === userName) return;
  if (!previous && attempt.returnTo === null) return;

  const { sid, record } = await createSession(deps, attempt);
  await holdForConfirmation(deps, ctx, { sid, record }, attempt.returnTo);
  ctx.state.log.info(
    { tenantId, method: attempt.protocol, session: record.sidHash.slice(0, 8), replaces: previous ? 'another identity' : null, returnTo: attempt.returnTo !== null },
    'login awaiting confirmation (callback not tied to this browser)',
  );
  ctx.redirect(CONFIRM_PATH);
  attempt.answered = true;
};
