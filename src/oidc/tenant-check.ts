/**
 * The provider's login prompt, with one more check: the signed-in account's tenant must be one the
 * client allows, and the one the app asked for (tenant hint) if it asked. oidc-provider shares its
 * session across clients, so without this a user signed in for one app through tenant A would
 * reach an app allowed tenant B only, or an app that asked for tenant B. The check makes the login
 * step run again (interactions.ts then asks for the right tenant or answers access_denied);
 * with prompt=none the app gets login_required.
 */
import type { KoaContextWithOIDC } from 'oidc-provider';
import { interactionPolicy } from './library.js';
import { parseAccountId } from './account.js';
import { tenantAllowed, type ClientPolicy } from './client-policy.js';
import { tenantHint } from './interaction-params.js';

export function loginPolicyWithTenantCheck(policies: Map<string, ClientPolicy>) {
  const { Check, base } = interactionPolicy;
  const policy = base();
  policy.get('login')!.checks.add(
    new Check('tenant_mismatch', 'the signed-in organization is not the one this client may or asked to use', (ctx: KoaContextWithOIDC) => {
      const accountId = ctx.oidc.session?.accountId;
      if (!accountId) return Check.NO_NEED_TO_PROMPT; // no session: the login prompt runs anyway
      const tenantId = parseAccountId(accountId)?.tenantId;
      if (!tenantId) return Check.REQUEST_PROMPT;
      const hint = tenantHint(ctx.oidc.params ?? {});
      if (hint !== null && hint !== tenantId) return Check.REQUEST_PROMPT;
      return tenantAllowed(policies.get(ctx.oidc.client!.clientId), tenantId) ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
    }),
  );
  return policy;
}
