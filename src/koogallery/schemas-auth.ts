/**
 * authSync (spec §5.3): which users of a tenant may use our app. An add or a modify describes each
 * user fully (name, department, role, enabled); a delete or a cancel names users only, any other
 * field being checked when present. One call carries 1 to 500 users.
 */
import { z } from 'zod';
import { commonShape, parseWith, readFlag } from './schemas-common.js';
import { field, FieldProblem, identifier, jsonArray, jsonObject, optionalText, requiredText, syncTime, uniqueBy } from './schemas-fields.js';
import type { AuthSync, SyncUser } from './schemas-types.js';

const FLAGS: readonly AuthSync['flag'][] = [0, 1, 2, 3];
/** KooGallery's per-call cap (spec §5.3). */
const MAX_USERS = 500;

const optional = optionalText({ max: 255 });

/** `user` or `admin`, in any case (normalised to lower case). */
const role = (value: unknown): 'user' | 'admin' | null => {
  if (value === undefined || value === null) return null;
  const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  if (text === 'user' || text === 'admin') return text;
  if (text === '') return null;
  throw new FieldProblem('must be "user" or "admin"');
};

/** The documented STRING "true"/"false" (any case), or a JSON boolean. */
const enable = (value: unknown): boolean | null => {
  if (value === undefined || value === null || typeof value === 'boolean') return value ?? null;
  const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === '') return null;
  throw new FieldProblem('must be "true" or "false"');
};

const employeeType = (value: unknown): 1 | 2 | 3 | 4 | null => {
  if (value === undefined || value === null || value === '') return null;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*[1-4]\s*$/.test(value) ? Number(value) : NaN;
  if (n === 1 || n === 2 || n === 3 || n === 4) return n;
  throw new FieldProblem('must be 1, 2, 3 or 4');
};

/** A text reader that is mandatory for full descriptions (flags 1 and 2), optional otherwise. */
const textFor = (full: boolean) => (full ? requiredText : optionalText);
/** The same for readers that have no required form of their own. */
const mustHave = <T>(full: boolean, read: (value: unknown) => T | null) =>
  field((value): T | null => {
    const out = read(value);
    if (full && out === null) throw new FieldProblem('required');
    return out;
  });

// Every optional user field (spec §5.3). V1 nested them under `extension`, V2 sends them at the
// top level; both are accepted, the top level winning (an empty top-level value counts as absent).
const OPTIONAL_FIELDS = {
  position: field(optional),
  employeeCode: field(optional),
  employeeType: field(employeeType),
  mobile: field(optional),
  email: field(optional),
  workPlace: field(optional),
  entryDate: field(optional),
};
const OPTIONAL_KEYS = Object.keys(OPTIONAL_FIELDS) as (keyof typeof OPTIONAL_FIELDS)[];

/** Copies `value` into `user[key]` unless it is null, keeping the key's type. */
function setOptional<K extends keyof typeof OPTIONAL_FIELDS>(user: SyncUser, key: K, value: SyncUser[K] | null): void {
  if (value !== null) user[key] = value;
}

function userSchema(full: boolean) {
  return z
    .object(
      {
        userName: field(requiredText({ max: 255 })),
        name: field(textFor(full)({ max: 255 })),
        orgCode: field(textFor(full)({ max: 64 })),
        role: mustHave(full, role),
        enable: mustHave(full, enable),
        ...OPTIONAL_FIELDS,
        extension: field(jsonObject).pipe(z.object(OPTIONAL_FIELDS)),
      },
      { error: 'must be an object' },
    )
    .transform((u): SyncUser => {
      const user: SyncUser = { userName: u.userName, name: u.name, orgCode: u.orgCode, role: u.role, enable: u.enable };
      for (const key of OPTIONAL_KEYS) setOptional(user, key, u[key] ?? u.extension[key]);
      return user;
    });
}

function authSchema(full: boolean) {
  const userList = field(jsonArray)
    .pipe(
      z
        .array(userSchema(full))
        .min(1, { error: 'must hold at least 1 user' })
        .max(MAX_USERS, { error: `must hold at most ${MAX_USERS} users (KooGallery's per-call cap)` }),
    )
    .superRefine(uniqueBy('userList', 'userName'));
  return z.object({
    ...commonShape,
    tenantId: field(identifier),
    appId: field(identifier),
    currentSyncTime: field(syncTime),
    userList,
  });
}

const FULL = authSchema(true);
const NAMES_ONLY = authSchema(false);

export function parseAuthSync(body: unknown): AuthSync {
  const flag = readFlag(body, FLAGS);
  // Adds and modifies describe users fully; deletes (0) and cancellations (3) only name them.
  return { ...parseWith(flag === 1 || flag === 2 ? FULL : NAMES_ONLY, body), flag };
}
