/**
 * What happened, said once: the rooms that do the work (produce/, login/, sessions/, oidc/,
 * connectors/, admin/, the CAS server, the rate limits) emit one typed observation per fact, and the
 * rooms that report (metrics, the audit trail, the sync log) listen. So a login is counted, audited
 * and logged from one call, and a new reporter never touches the code that logs people in.
 *
 * Observations carry no secret: never a token, code, ticket, cookie, password or client secret.
 * User names and tenant ids are allowed (the audit trail needs them); reporters with bounded label
 * sets (metrics) must drop them.
 *
 * Listeners run synchronously inside `emit` and must be cheap: a listener that writes to the store
 * queues the write and returns. A listener that throws is logged through `onListenerError` and never
 * breaks the request that emitted.
 */

/** How a person arrived (metrics label `method`). */
export const LOGIN_METHODS = ['unified', 'tenant_idp', 'cas', 'workbench', 'native'] as const;
export type LoginMethod = (typeof LOGIN_METHODS)[number];

/** Who or what ended a session. */
export const SESSION_END_CAUSES = ['logout', 'timeout', 'deprovisioned', 'admin'] as const;
export type SessionEndCause = (typeof SESSION_END_CAUSES)[number];

/** The door a client credential or ticket was issued through. */
export type ClientProtocol = 'oidc' | 'cas';

/** Where a request came from, as far as the bridge can tell (TRUST_PROXY decides). */
export interface Origin {
  sourceIp?: string;
  requestId?: string;
}

export type Observation =
  /** One KooGallery call answered (kit or basic interface): the sync log and webhook metrics. */
  | (Origin & {
      kind: 'webhook';
      /** The interface name as in the spec (`tenantSync`, `newInstance`, …), or `unknown`. */
      interface: string;
      /** The KooGallery result code answered (`000000`, `000001`, …). */
      resultCode: string;
      /** The resultMsg answered. */
      message: string;
      /** A short human summary of what the call carried (`3 users`, `tenant acme`); no secrets. */
      summary: string;
      tenantId?: string;
      instanceId?: string;
      durationMs: number;
    })
  /** A browser or app login finished (one per attempt that reached a decision). */
  | (Origin & {
      kind: 'login';
      method: LoginMethod;
      outcome: 'success' | 'refused';
      /** The error code (shared/errors.ts) of a refusal. */
      reason?: string;
      tenantId?: string;
      userName?: string;
      /** The OpenID client or CAS service the login was for, when known. */
      clientId?: string;
    })
  /** A call to a tenant IdP (token, userinfo, CAS validation, refresh). */
  | {
      kind: 'idp_call';
      call: 'token' | 'userinfo' | 'cas_validate' | 'refresh';
      outcome: 'ok' | 'refused' | 'error' | 'timeout';
      durationMs: number;
      tenantId?: string;
    }
  /** A credential given to, renewed for or taken from a merchant app. */
  | (Origin & {
      kind: 'token';
      protocol: ClientProtocol;
      action: 'issued' | 'refreshed' | 'revoked' | 'refused';
      /** OpenID client_id, or the CAS service's id in the services file. */
      clientId: string;
      /** `access_token`, `id_token`, `refresh_token`, `authorization_code`, `service_ticket`. */
      tokenType?: string;
      tenantId?: string;
      userName?: string;
      reason?: string;
    })
  /** One or more sessions of a person ended. */
  | (Origin & {
      kind: 'session_end';
      cause: SessionEndCause;
      tenantId: string;
      userName?: string;
      /** How many sessions ended (a revocation may end several). */
      count: number;
      reason?: string;
    })
  /** A back-channel logout delivery to an app (OpenID back-channel logout, CAS single logout). */
  | {
      kind: 'backchannel';
      protocol: ClientProtocol;
      clientId: string;
      outcome: 'delivered' | 'failed' | 'retrying';
      tenantId?: string;
      userName?: string;
      reason?: string;
    }
  /** An operator did something through the admin API or console. */
  | (Origin & {
      kind: 'admin_action';
      action: string;
      outcome: 'success' | 'refused';
      tenantId?: string;
      userName?: string;
      reason?: string;
    })
  /** A request was turned away by a rate limit. */
  | (Origin & {
      kind: 'rate_limited';
      /** The limit's name (`login_ip`, `login_tenant`, `oidc_auth_ip`, `oidc_token_ip`, `admin_failures_ip`, `webhook_failures_ip`: src/ratelimit/). */
      limit: string;
      scope: 'ip' | 'tenant';
      tenantId?: string;
      retryAfterSeconds: number;
    });

export type ObservationKind = Observation['kind'];
export type ObservationOf<K extends ObservationKind> = Extract<Observation, { kind: K }>;
export type ObservationListener = (observation: Observation) => void;

export interface Observations {
  emit(observation: Observation): void;
  /** Subscribes; returns the function that unsubscribes. */
  on(listener: ObservationListener): () => void;
}

export function createObservations(onListenerError: (err: unknown, kind: ObservationKind) => void = () => {}): Observations {
  const listeners = new Set<ObservationListener>();
  return {
    emit(observation) {
      for (const listener of listeners) {
        try {
          listener(observation);
        } catch (err) {
          onListenerError(err, observation.kind);
        }
      }
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Observations nobody listens to: the default of factories whose callers do not report. */
export const NO_OBSERVATIONS: Observations = { emit() {}, on: () => () => {} };
