/**
 * Calls to the admin JSON API with the console's cookie (sent by the browser, same origin only) and,
 * for every state-changing call, the CSRF token the server put in the page's <meta>.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const csrf = (): string => document.querySelector<HTMLMetaElement>('meta[name="koobridge-csrf"]')?.content ?? '';

/** Where a signed-out or expired console goes: the sign-in page, in the page's language. */
export const signInUrl = (lang: string) => `/admin/sign-in?m=expired&lang=${encodeURIComponent(lang)}`;

export async function api<T>(path: string, init: { method?: 'GET' | 'DELETE' | 'POST'; query?: Record<string, string | undefined> } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(init.query ?? {})) if (v !== undefined && v !== '') params.set(k, v);
  const qs = params.toString();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-koobridge-csrf'] = csrf();
  const res = await fetch(`/admin/api${path}${qs ? `?${qs}` : ''}`, { method, headers, credentials: 'same-origin', cache: 'no-store' });
  if (res.status === 401) {
    window.location.assign(signInUrl(document.documentElement.lang));
    throw new ApiError(401, 'unauthorized', 'signed out');
  }
  const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (!res.ok) throw new ApiError(res.status, body?.error?.code ?? 'error', body?.error?.message ?? `HTTP ${res.status}`);
  return body as T;
}

/** A path segment as the API expects it (tenant ids, user names). */
export const seg = (value: string) => encodeURIComponent(value);
