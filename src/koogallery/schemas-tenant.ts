/**
 * tenantSync (spec §5.1). An add must carry the whole tenant — code, name and IdP domain. A modify
 * changes "name and domain only", so it must carry those two and may leave tenantCode out (the
 * directory keeps the stored one). A delete needs only the tenantId. Fields a flag does not
 * require are still checked when present, so a malformed value never slips into a log or an event.
 *
 * A domainName without a scheme (KooGallery's interface debugging, spec §5) is accepted and kept,
 * but domainName stays null and domainProblem says why: the tenant exists, it cannot sign in.
 */
import { z } from 'zod';
import { commonShape, parseWith, readFlag } from './schemas-common.js';
import { field, identifier, optionalText, requiredText } from './schemas-fields.js';
import type { Flag, KitParseOptions, TenantSync } from './schemas-types.js';
import { idpDomain, type IdpDomain } from './schemas-url.js';

const FLAGS: readonly Flag[] = [0, 1, 2];

const textFor = (required: boolean) => (required ? requiredText : optionalText);

/** The domainName as received (trimmed), and what it is worth: a usable URL or a problem. */
interface DomainField {
  raw: string;
  domain: IdpDomain;
}

function domainName(required: boolean, allowInsecure: boolean) {
  const text = textFor(required)({ max: 255 });
  return field((value): DomainField | null => {
    const raw = text(value);
    return raw === null ? null : { raw, domain: idpDomain(raw, allowInsecure) };
  });
}

function tenantSchema(flag: Flag, allowInsecure: boolean) {
  return z.object({
    ...commonShape,
    tenantId: field(identifier),
    tenantCode: field(textFor(flag === 1)({ max: 64 })),
    name: field(textFor(flag !== 0)({ max: 255 })),
    domainName: domainName(flag !== 0, allowInsecure),
  });
}

// Built once per flag and KOO_ALLOW_INSECURE_IDP setting. `flag` itself is read first, by
// readFlag, and added to the result.
const SCHEMAS = FLAGS.map((flag) => ({ secure: tenantSchema(flag, false), insecure: tenantSchema(flag, true) }));

export function parseTenantSync(body: unknown, opts: KitParseOptions): TenantSync {
  const flag = readFlag(body, FLAGS);
  const schemas = SCHEMAS[flag]!;
  const { domainName, ...rest } = parseWith(opts.allowInsecureIdp ? schemas.insecure : schemas.secure, body);
  return {
    ...rest,
    flag,
    domainName: domainName?.domain.url ?? null,
    domainNameRaw: domainName?.raw ?? null,
    domainProblem: domainName?.domain.problem ?? null,
  };
}
