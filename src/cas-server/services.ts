/**
 * CAS_SERVICES_FILE: the merchant's apps that sign in over CAS, as a JSON array. Each entry:
 *
 *   id               a short name, used in logs, observations and outbox jobs
 *   service          the exact service URL the app sends (`service=`), or
 *   service_prefix   an origin, or an origin and a path prefix: any service URL under it, judged like
 *                    ALLOWED_RETURN_PREFIXES on the parsed URL (same scheme, host and port exactly;
 *                    path with dot segments resolved under the prefix), so it cannot match another host
 *   allowed_tenants  tenant ids that may sign in to the app; absent = every tenant
 *   attributes       the user attributes released at validation; absent = all of them
 *   user             what `<cas:user>` holds: "sub" (default: `<tenantId>.<base64url(userName)>`, as the
 *                    OpenID `sub`, unique across tenants) or "userName" (only with exactly one allowed
 *                    tenant, where the user name alone is unique)
 *   logout_url       where single logout POSTs; absent = the service URL the ticket was issued for (spec)
 *   single_logout    false: the app gets no single-logout request (default true)
 *
 * Validated once at start; a bad entry stops start-up with one line naming the service and field.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { KbError } from '../shared/errors.js';
import { isTenantId } from '../shared/identifiers.js';
import { matchReturnPrefix, parseReturnPrefix, type ReturnPrefix } from '../shared/return-prefix.js';
import { readSettingFile } from '../shared/setting-file.js';

/** The user attributes a service may be released, as named in the validation answer. */
export const USER_ATTRIBUTES = ['tenant_id', 'tenant_code', 'tenant_name', 'userName', 'name', 'role', 'org_code', 'email', 'mobile'] as const;
export type UserAttribute = (typeof USER_ATTRIBUTES)[number];

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https, or http on this machine only: a ticket in an http URL can be read on the way. */
function urlProblem(value: string, what: 'service' | 'prefix' | 'logout'): string | null {
  if (!URL.canParse(value)) return 'must be an absolute URL';
  const url = new URL(value);
  if (value.includes('#')) return 'must not contain a fragment (#)';
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname) && what !== 'logout') return 'must be https (http only on localhost, 127.0.0.1 or [::1])';
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) URL';
  if (what === 'prefix') {
    const parsed = parseReturnPrefix(value);
    if (typeof parsed === 'string') return parsed;
  }
  return null;
}

const typeError = (expected: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${expected}`);
const urlField = (what: 'service' | 'prefix' | 'logout') =>
  z.string({ error: typeError('a URL string') }).superRefine((value, ctx) => {
    const problem = urlProblem(value, what);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const serviceSchema = z
  .strictObject({
    id: z.string({ error: typeError('a string') }).regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1 to 64 letters, digits or ._-'),
    name: z.string({ error: typeError('a string') }).min(1).max(200).optional(),
    service: urlField('service').optional(),
    service_prefix: urlField('prefix').optional(),
    allowed_tenants: z
      .array(z.string().refine(isTenantId, 'is not a valid tenant id'), { error: typeError('an array of tenant ids') })
      .min(1, 'must list at least one tenant id (leave it out to allow every tenant)')
      .optional(),
    attributes: z.array(z.enum(USER_ATTRIBUTES, { error: `must be one of ${USER_ATTRIBUTES.join(', ')}` }), { error: typeError('an array of attribute names') }).optional(),
    user: z.enum(['sub', 'userName'], { error: 'must be "sub" or "userName"' }).optional(),
    logout_url: urlField('logout').optional(),
    single_logout: z.boolean({ error: typeError('true or false') }).optional(),
  })
  .superRefine((s, ctx) => {
    if ((s.service === undefined) === (s.service_prefix === undefined)) ctx.addIssue({ code: 'custom', path: ['service'], message: 'give exactly one of service (an exact URL) and service_prefix' });
    if (s.user === 'userName' && s.allowed_tenants?.length !== 1) {
      ctx.addIssue({ code: 'custom', path: ['user'], message: '"userName" needs exactly one allowed tenant (a user name is unique only within its tenant)' });
    }
  });

/** One registered service, as the server uses it. */
export interface CasService {
  id: string;
  name: string;
  exact: string | null;
  prefix: ReturnPrefix | null;
  /** Null: every tenant. */
  allowedTenants: string[] | null;
  attributes: readonly UserAttribute[];
  user: 'sub' | 'userName';
  logoutUrl: string | null;
  singleLogout: boolean;
}

const fail = (message: string): never => {
  throw new KbError('config_invalid', `CAS_SERVICES_FILE: ${message}`);
};

const fieldOf = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((out, p) => (typeof p === 'number' ? `${out} #${p + 1}` : out ? `${out}.${String(p)}` : String(p)), '') || 'entry';

/** Reads and checks the services; an array of plain JSON entries (see the header). */
export function parseServices(parsed: unknown, label = 'the file'): CasService[] {
  if (!Array.isArray(parsed)) return fail(`${label} must hold a JSON array of services`);
  const seen = new Set<string>();
  return parsed.map((entry, index) => {
    const id = (entry as { id?: unknown } | null)?.id;
    const name = typeof id === 'string' && id !== '' ? `"${id}"` : `#${index + 1}`;
    const result = serviceSchema.safeParse(entry);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      return fail(`service ${name}: ${fieldOf(issue.path)}: ${issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.join(', ')}` : issue.message}`);
    }
    const s = result.data;
    if (seen.has(s.id)) return fail(`service "${s.id}": id: is listed twice`);
    seen.add(s.id);
    return {
      id: s.id,
      name: s.name ?? s.id,
      exact: s.service ?? null,
      prefix: s.service_prefix ? (parseReturnPrefix(s.service_prefix) as ReturnPrefix) : null,
      allowedTenants: s.allowed_tenants ?? null,
      attributes: s.attributes ?? USER_ATTRIBUTES,
      user: s.user ?? 'sub',
      logoutUrl: s.logout_url ?? null,
      singleLogout: s.single_logout ?? true,
    };
  });
}

/** The services of CAS_SERVICES_FILE; none when the default file is absent. */
export function loadServices(path: string, required: boolean, files: { readFile: (p: string) => string; exists: (p: string) => boolean } = defaultFiles): CasService[] {
  if (!required && !files.exists(path)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readSettingFile('CAS_SERVICES_FILE', path, files.readFile));
  } catch (err) {
    if (err instanceof KbError) throw err;
    return fail(`${path} is not valid JSON`);
  }
  return parseServices(parsed, path);
}

const defaultFiles = {
  readFile: (p: string) => readFileSync(p, 'utf8'),
  exists: existsSync,
};

/**
 * The registered service a `service` URL belongs to, or null. An exact entry matches the string as
 * sent; a prefix entry matches the parsed URL (never another host), and only when it is written
 * plainly (matchReturnPrefix: no user info, backslash, whitespace or scheme-relative form) and
 * without a fragment, where a ticket could not be appended.
 */
export function findService(services: readonly CasService[], url: string): CasService | null {
  if (url.length > LOOKUP_KEPT_MAX_LENGTH) return lookUp(services, url);
  let memo = lookups.get(services);
  if (!memo) lookups.set(services, (memo = new Map()));
  const known = memo.get(url);
  if (known !== undefined) return known;
  const found = lookUp(services, url);
  if (memo.size >= LOOKUPS_KEPT) memo.clear();
  memo.set(url, found);
  return found;
}

function lookUp(services: readonly CasService[], url: string): CasService | null {
  if (url.includes('#')) return null;
  for (const s of services) {
    if (s.exact !== null ? s.exact === url : matchReturnPrefix([s.prefix!], url) !== null) return s;
  }
  return null;
}

// A prefix match parses the URL; an app sends the same few service URLs to /cas/login and then
// to validation, so the answers are kept per list of services (a pure function of both): at most
// LOOKUPS_KEPT URLs of at most LOOKUP_KEPT_MAX_LENGTH characters, so a flood of made-up URLs holds
// a few megabytes at worst (and only empties the memo; longer URLs are looked up every time).
const LOOKUPS_KEPT = 500;
const LOOKUP_KEPT_MAX_LENGTH = 4096;
const lookups = new WeakMap<readonly CasService[], Map<string, CasService | null>>();

/** Whether the service lets this tenant sign in. */
export const tenantAllowed = (service: CasService, tenantId: string): boolean => service.allowedTenants === null || service.allowedTenants.includes(tenantId);
