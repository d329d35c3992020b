/**
 * OIDC_CLIENTS_FILE: the merchant's apps, as a JSON array of client metadata (RFC 7591 names,
 * handed to oidc-provider) plus two koobridge extensions:
 *
 *   allowed_tenants  tenant ids that may sign in to the app; absent = every tenant
 *   first_party      true (default): the merchant's own app, consent is skipped
 *
 * Native apps (`application_type: "native"`, RFC 8252) are public clients (no secret, PKCE S256
 * required) whose redirect URIs are a private-use scheme in reverse-domain form
 * (`com.example.app:/callback`, §7.1), a loopback IP literal (`http://127.0.0.1/callback`,
 * `http://[::1]/callback`, any port at authorization time, §7.3) or a claimed https URL (§7.2).
 * `http://localhost` is refused for them (§8.3: the name may resolve elsewhere or be firewalled).
 * Only they may list KOOGALLERY_CODE_GRANT (the WebView exchange, koogallery-code-grant.ts).
 *
 * Validated once at start; a bad entry stops start-up with one line naming the client and field.
 * Fields this module does not know pass through to oidc-provider, which validates them itself.
 */
import { readFileSync } from 'node:fs';
import type { ClientMetadata } from 'oidc-provider';
import { z } from 'zod';
import { readSettingFile } from '../shared/setting-file.js';
import { KbError } from '../shared/errors.js';
import type { ClientPolicy } from './client-policy.js';
import { KOOGALLERY_CODE_GRANT } from './grant-type-names.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1']);
const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'] as const;
// 32 characters of a random Base64 secret are ~190 bits; shorter secrets are the ones people invent.
const MIN_SECRET_LENGTH = 32;

const typeError = (expected: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${expected}`);
const text = (what = 'a string') => z.string({ error: typeError(what) }).min(1, 'must not be empty');

/** An absolute URL without fragment; `loopbackHttp` allows http only on this machine. */
const url = (opts: { loopbackHttp: boolean }) =>
  z.string({ error: typeError('a URL string') }).superRefine((value, ctx) => {
    const parsed = URL.canParse(value) ? new URL(value) : null;
    const problem =
      !parsed ? 'must be an absolute URL'
      : parsed.hash !== '' || value.includes('#') ? 'must not contain a fragment (#)'
      : parsed.protocol === 'https:' ? null
      : parsed.protocol !== 'http:' ? (opts.loopbackHttp ? 'must be an https URL' : 'must be an http or https URL')
      : opts.loopbackHttp && !LOOPBACK_HOSTS.has(parsed.hostname) ? 'must be https (http only on localhost or 127.0.0.1)'
      : null;
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const redirectUrl = url({ loopbackHttp: true });

const NATIVE_LOOPBACKS = new Set(['127.0.0.1', '[::1]']);
// RFC 8252 §7.1: a private-use scheme is a reverse domain name the app's owner controls (has a dot).
const REVERSE_DOMAIN_SCHEME = /^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+:$/;

/** Why a native client's redirect URI is refused (RFC 8252 §7), or null. */
export function nativeRedirectProblem(value: string): string | null {
  const parsed = URL.canParse(value) ? new URL(value) : null;
  if (!parsed) return 'must be an absolute URI';
  if (value.includes('#')) return 'must not contain a fragment (#)';
  if (parsed.protocol === 'https:') return NATIVE_LOOPBACKS.has(parsed.hostname) || parsed.hostname === 'localhost' ? 'must use http on a loopback address, not https' : null;
  if (parsed.protocol === 'http:') {
    if (parsed.hostname === 'localhost') return 'must use the loopback IP literal http://127.0.0.1 or http://[::1], not localhost (RFC 8252 §8.3)';
    return NATIVE_LOOPBACKS.has(parsed.hostname) ? null : 'must be http only on 127.0.0.1 or [::1] (RFC 8252 §7.3)';
  }
  if (!REVERSE_DOMAIN_SCHEME.test(parsed.protocol)) return 'must use a reverse-domain private-use scheme such as com.example.app:/callback (RFC 8252 §7.1)';
  return null;
}

const clientSchema = z
  .looseObject({
    client_id: text().regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 printable ASCII characters without spaces'),
    client_secret: text().min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters (make one with: openssl rand -base64 32)`).optional(),
    // Checked below, by application type.
    redirect_uris: z.array(z.string({ error: typeError('a URL string') }), { error: typeError('an array of URLs') }).min(1, 'must list at least one URL'),
    post_logout_redirect_uris: z.array(z.string({ error: typeError('a URL string') }), { error: typeError('an array of URLs') }).optional(),
    // Server to server, often inside a private network: http is allowed, fragments are not.
    backchannel_logout_uri: url({ loopbackHttp: false }).optional(),
    backchannel_logout_session_required: z.boolean({ error: typeError('true or false') }).optional(),
    grant_types: z
      .array(z.enum(['authorization_code', 'refresh_token', KOOGALLERY_CODE_GRANT], { error: `must be authorization_code, refresh_token or ${KOOGALLERY_CODE_GRANT}` }), { error: typeError('an array') })
      .refine((g) => g.includes('authorization_code'), 'must include authorization_code (the only way to sign in)')
      .optional(),
    response_types: z
      .array(z.string(), { error: typeError('an array') })
      .refine((r) => r.length === 1 && r[0] === 'code', 'must be ["code"] (the authorization code flow is the only one offered)')
      .optional(),
    token_endpoint_auth_method: z.enum(AUTH_METHODS, { error: `must be one of ${AUTH_METHODS.join(', ')}` }).optional(),
    application_type: z.enum(['web', 'native'], { error: 'must be web or native' }).optional(),
    client_name: text().optional(),
    allowed_tenants: z
      .array(text('a tenant id string'), { error: typeError('an array of tenant ids') })
      .min(1, 'must list at least one tenant id (leave it out to allow every tenant)')
      .optional(),
    first_party: z.boolean({ error: typeError('true or false') }).optional(),
  })
  .superRefine((c, ctx) => {
    const native = c.application_type === 'native';
    for (const field of ['redirect_uris', 'post_logout_redirect_uris'] as const) {
      (c[field] ?? []).forEach((value, i) => {
        const problem = native ? nativeRedirectProblem(value) : urlProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', path: [field, i], message: problem });
      });
    }
    if (native && c.token_endpoint_auth_method !== 'none') {
      ctx.addIssue({ code: 'custom', path: ['token_endpoint_auth_method'], message: 'must be "none" for a native app (it cannot keep a secret; PKCE S256 is required instead)' });
      return;
    }
    if (c.grant_types?.includes(KOOGALLERY_CODE_GRANT)) {
      if (!native) ctx.addIssue({ code: 'custom', path: ['grant_types'], message: `may list ${KOOGALLERY_CODE_GRANT} only for application_type "native"` });
      else if (c.first_party === false) ctx.addIssue({ code: 'custom', path: ['grant_types'], message: `may list ${KOOGALLERY_CODE_GRANT} only for a first-party app (it has no consent step)` });
    }
    const isPublic = c.token_endpoint_auth_method === 'none';
    if (c.client_secret === undefined && !isPublic) {
      ctx.addIssue({ code: 'custom', path: ['client_secret'], message: 'is required unless token_endpoint_auth_method is "none" (a public client)' });
    }
    if (c.client_secret !== undefined && isPublic) {
      ctx.addIssue({ code: 'custom', path: ['client_secret'], message: 'must be left out of a public client (token_endpoint_auth_method "none")' });
    }
  });

const urlProblem = (value: string): string | null => {
  const result = redirectUrl.safeParse(value);
  return result.success ? null : result.error.issues[0]!.message;
};

export type OidcClientConfig = z.infer<typeof clientSchema>;

const fail = (message: string): never => {
  throw new KbError('config_invalid', `OIDC_CLIENTS_FILE: ${message}`);
};

/** `redirect_uris #2` for array elements (1-based, as people count), the name otherwise. */
const fieldOf = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((out, p) => (typeof p === 'number' ? `${out} #${p + 1}` : out ? `${out}.${String(p)}` : String(p)), '') || 'entry';

const clientLabel = (entry: unknown, index: number): string => {
  const id = (entry as { client_id?: unknown } | null)?.client_id;
  return typeof id === 'string' && id !== '' ? `"${id}"` : `#${index + 1}`;
};


export function loadClients(path: string, readFile: (p: string) => string = (p) => readFileSync(p, 'utf8')): OidcClientConfig[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readSettingFile('OIDC_CLIENTS_FILE', path, readFile));
  } catch (err) {
    if (err instanceof KbError) throw err;
    // The parser's message can quote the file, client secrets included: keep it out.
    return fail(`${path} is not valid JSON`);
  }
  if (!Array.isArray(parsed)) return fail(`${path} must hold a JSON array of clients`);

  const seen = new Set<string>();
  return parsed.map((entry, index) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return fail(`client #${index + 1}: must be a JSON object`);
    const result = clientSchema.safeParse(entry);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      return fail(`client ${clientLabel(entry, index)}: ${fieldOf(issue.path)}: ${issue.message}`);
    }
    if (seen.has(result.data.client_id)) return fail(`client "${result.data.client_id}": client_id: is listed twice`);
    seen.add(result.data.client_id);
    return result.data;
  });
}

/** The metadata oidc-provider gets: everything but the koobridge extensions. */
export function toProviderMetadata(c: OidcClientConfig): ClientMetadata {
  const { allowed_tenants: _tenants, first_party: _firstParty, ...metadata } = c;
  return metadata as ClientMetadata;
}

export function clientPolicy(c: OidcClientConfig): ClientPolicy {
  return { allowedTenants: c.allowed_tenants ?? null, firstParty: c.first_party ?? true };
}
