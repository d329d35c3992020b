/**
 * Bounded label values. A Prometheus series lives as long as the process and every new label value
 * makes a new one, so a label holds only values from a closed set known at start: the interface
 * names of the spec, KooGallery's result codes, our error codes, the configured OpenID clients.
 * Anything else becomes `unknown` (or `other`): a probe sending made-up interface names or client
 * ids cannot grow the registry. User names never become labels; tenant ids only when the operator
 * opted in (METRICS_TENANT_LABELS=1), since they grow with the number of tenants.
 */
import { BASIC_ACTIVITIES } from '../koogallery/schemas-basic.js';
import type { KitInterface } from '../koogallery/schemas-types.js';
import { ERRORS } from '../shared/errors.js';

/** The five kit (sync) interfaces of spec §5; produce/ answers the same list. */
const KIT_INTERFACES = ['tenantSync', 'applicationSync', 'authSync', 'singleOrgSync', 'allOrgSync'] as const satisfies readonly KitInterface[];

export const KNOWN_INTERFACES: ReadonlySet<string> = new Set<string>([...KIT_INTERFACES, ...BASIC_ACTIVITIES]);

/** The result codes KooGallery knows (spec §4); produce/result-codes.ts answers only these. */
const RESULT_CODES: ReadonlySet<string> = new Set(['000000', '000001', '000002', '000003', '000004', '000005']);

const ERROR_CODES: ReadonlySet<string> = new Set(Object.keys(ERRORS));

/** OAuth error codes the token endpoint answers (RFC 6749 §5.2, RFC 8693, oidc-provider's own). */
const OAUTH_ERRORS: ReadonlySet<string> = new Set([
  'invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope',
  'invalid_target', 'invalid_dpop_proof', 'use_dpop_nonce', 'server_error', 'temporarily_unavailable', 'access_denied',
]);

export const UNKNOWN = 'unknown';

export const interfaceLabel = (name: string): string => (KNOWN_INTERFACES.has(name) ? name : UNKNOWN);
export const resultCodeLabel = (code: string): string => (RESULT_CODES.has(code) ? code : 'other');
/** A refusal's reason: one of our error codes or an OAuth error code; empty for successes. */
export const reasonLabel = (reason: string | undefined): string => (reason === undefined ? '' : ERROR_CODES.has(reason) || OAUTH_ERRORS.has(reason) ? reason : 'other');

/** A name from a closed list given at start (rate-limit names, admin actions): bounded by the code that emits it, not by callers. */
export const shortName = (name: string): string => (/^[a-z][a-z0-9_.]{0,47}$/.test(name) ? name : 'other');

export interface LabelPolicy {
  /** A client id as a label: configured ones as they are, anything else `unknown`. */
  client(clientId: string | undefined): string;
  /** The tenant label's value, or undefined when tenant labels are off. */
  tenant(tenantId: string | undefined): string | undefined;
  readonly tenantLabels: boolean;
}

/**
 * `clientIds` is read at every call, so a clients reload (another room) is followed without
 * rebuilding the metrics. Tenant ids are labels only when opted in, and then only well-formed ones.
 */
export function labelPolicy(clientIds: () => { has(id: string): boolean }, tenantLabels: boolean): LabelPolicy {
  return {
    tenantLabels,
    client: (clientId) => (clientId !== undefined && clientIds().has(clientId) ? clientId : UNKNOWN),
    tenant: (tenantId) => (!tenantLabels ? undefined : tenantId !== undefined && /^[A-Za-z0-9._~:@-]{1,64}$/.test(tenantId) ? tenantId : UNKNOWN),
  };
}
