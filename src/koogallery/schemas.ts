/**
 * Validation of the five kit bodies (spec §5): liberal in every documented variant, strict
 * otherwise. Each refusal is `invalid_parameter` with a message naming the first offending field
 * (`userList[3].role: must be "user" or "admin"`) and that path in `details.field`.
 */
import { KbError } from '../shared/errors.js';
import { parseApplicationSync } from './schemas-app.js';
import { parseAuthSync } from './schemas-auth.js';
import { parseAllOrgSync, parseSingleOrgSync } from './schemas-org.js';
import { parseTenantSync } from './schemas-tenant.js';
import type { KitBodies, KitInterface, KitParseOptions } from './schemas-types.js';

export type {
  AllOrgSync,
  ApplicationSync,
  AuthSync,
  Common,
  Flag,
  KitBodies,
  KitInterface,
  KitParseOptions,
  OrgInfo,
  SingleOrgSync,
  SyncUser,
  TenantSync,
  TestFlag,
} from './schemas-types.js';

const PARSERS: { [N in KitInterface]: (body: unknown, opts: KitParseOptions) => KitBodies[N] } = {
  tenantSync: parseTenantSync,
  applicationSync: parseApplicationSync,
  authSync: parseAuthSync,
  singleOrgSync: parseSingleOrgSync,
  allOrgSync: parseAllOrgSync,
};

/** The normalized body of kit interface `name`, or a KbError('invalid_parameter'). */
export function parseKitBody<N extends KitInterface>(name: N, body: unknown, opts: KitParseOptions): KitBodies[N] {
  if (!Object.hasOwn(PARSERS, name)) throw new KbError('unknown_interface', `unknown kit interface ${JSON.stringify(String(name))}`);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new KbError('invalid_parameter', 'body: must be a JSON object', { details: { field: 'body' } });
  }
  const parse = PARSERS[name] as (body: unknown, opts: KitParseOptions) => KitBodies[N];
  return parse(body, opts);
}
