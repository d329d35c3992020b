/**
 * Departments: singleOrgSync (spec §5.4), one department added, modified or deleted, and
 * allOrgSync (spec §5.5), the full flat list sent when a tenant binds our app.
 */
import { z } from 'zod';
import { commonShape, parseWith, readFlag } from './schemas-common.js';
import { field, identifier, optionalText, relaxedJsonArray, requiredText, uniqueBy } from './schemas-fields.js';
import type { AllOrgSync, Flag, OrgInfo, SingleOrgSync } from './schemas-types.js';

const FLAGS: readonly Flag[] = [0, 1, 2];
/** A snapshot larger than this is refused rather than half applied: no real tenant comes close. */
const MAX_ORGS = 50_000;

const orgCode = field(requiredText({ max: 64 }));
const orgName = optionalText({ max: 255 });
/** '' for a top-level department, whether the key is absent, null or empty. */
const parentCode = field((value) => optionalText({ max: 64 })(value) ?? '');

function singleSchema(full: boolean) {
  return z.object({
    ...commonShape,
    tenantId: field(identifier),
    orgCode,
    orgName: field(full ? requiredText({ max: 255 }) : orgName),
    parentCode,
  });
}

const SINGLE_UPSERT = singleSchema(true);
const SINGLE_DELETE = singleSchema(false);

export function parseSingleOrgSync(body: unknown): SingleOrgSync {
  const flag = readFlag(body, FLAGS);
  return { ...parseWith(flag === 0 ? SINGLE_DELETE : SINGLE_UPSERT, body), flag };
}

// One documentation revision spells the name `OrgName`; `orgName` wins when both are present.
const orgEntry = z
  .object({ orgCode, orgName: field(orgName), OrgName: field(orgName), parentCode }, { error: 'must be an object' })
  .transform((entry, ctx): OrgInfo => {
    const name = entry.orgName ?? entry.OrgName;
    if (name === null) {
      ctx.issues.push({ code: 'custom', path: ['orgName'], message: 'required', input: entry });
      return z.NEVER;
    }
    return { orgCode: entry.orgCode, orgName: name, parentCode: entry.parentCode };
  });

const ALL = z.object({
  ...commonShape,
  tenantId: field(identifier),
  // The documentation's example sends the list as a string — with unquoted keys, so not JSON — and
  // adds a stray `flag`: accept the string in either form, and ignore `flag` (zod drops keys the
  // schema does not name).
  orgInfoList: field(relaxedJsonArray)
    .pipe(z.array(orgEntry).max(MAX_ORGS, { error: `must hold at most ${MAX_ORGS} departments` }))
    .superRefine(uniqueBy('orgInfoList', 'orgCode')),
});

export function parseAllOrgSync(body: unknown): AllOrgSync {
  return parseWith(ALL, body);
}
