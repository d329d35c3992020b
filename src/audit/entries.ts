/**
 * Observations as stored entries: the audit trail takes logins, session ends, tokens, back-channel
 * deliveries, admin actions and rate limits; the sync log takes KooGallery calls. IdP calls are
 * metrics only (their outcome is already in the login that made them).
 *
 * Observations carry no secret by contract; this file is the second line: only named fields are
 * copied, strings are cut to a bounded length, and a detail field whose name reads like a secret
 * (token, code, ticket, cookie, password, secret) is dropped whatever it holds.
 */
import type { Observation } from '../shared/observations.js';

export type Stream = 'audit' | 'sync';

export interface Entry {
  stream: Stream;
  /** Flat string fields, as a stream entry holds them. */
  fields: Record<string, string>;
}

const MAX_VALUE = 256;
const MAX_TEXT = 1024; // messages and summaries: a KooGallery resultMsg may be a sentence or two
const MAX_DETAIL = 2048;

/** Detail fields whose name could hold a credential; `tokenType` only names a kind of token. */
const SECRET_NAME = /token|secret|code|ticket|cookie|password|authorization/i;
const SAFE_NAMES = new Set(['tokenType']);

const cut = (value: string, max: number) => (value.length > max ? `${value.slice(0, max - 1)}…` : value);

/** The common fields, the ones the admin API filters on, and the rest as a JSON detail object. */
const TOP_LEVEL = new Set(['kind', 'tenantId', 'userName', 'clientId', 'sourceIp', 'requestId', 'reason']);

function outcomeOf(o: Exclude<Observation, { kind: 'webhook' | 'idp_call' }>): string {
  switch (o.kind) {
    case 'login':
    case 'admin_action':
    case 'backchannel':
      return o.outcome;
    case 'session_end':
      return o.cause;
    case 'token':
      return o.action;
    case 'rate_limited':
      return 'refused';
  }
}

export function entryOf(o: Observation, atMs: number): Entry | null {
  if (o.kind === 'idp_call') return null;
  if (o.kind === 'webhook') return { stream: 'sync', fields: syncFields(o, atMs) };
  const fields: Record<string, string> = { at: String(atMs), kind: o.kind, outcome: outcomeOf(o) };
  const detail: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(o)) {
    if (value === undefined || value === null) continue;
    if (TOP_LEVEL.has(name)) {
      if (name !== 'kind') fields[name] = cut(String(value), MAX_VALUE);
    } else if (!SAFE_NAMES.has(name) && SECRET_NAME.test(name)) {
      continue;
    } else if (!isOutcomeField(o, name)) {
      detail[name] = typeof value === 'string' ? cut(value, MAX_VALUE) : value;
    }
  }
  // A rate-limited event's reason is the limit that refused it (it has no error code of its own).
  if (o.kind === 'rate_limited') fields.reason = cut(o.limit, MAX_VALUE);
  if (Object.keys(detail).length > 0) fields.detail = cut(JSON.stringify(detail), MAX_DETAIL);
  return { stream: 'audit', fields };
}

/** The field `outcome` was taken from is not repeated in the detail. */
function isOutcomeField(o: Observation, name: string): boolean {
  return (name === 'outcome' && 'outcome' in o) || (o.kind === 'session_end' && name === 'cause') || (o.kind === 'token' && name === 'action');
}

function syncFields(o: Extract<Observation, { kind: 'webhook' }>, atMs: number): Record<string, string> {
  const fields: Record<string, string> = {
    at: String(atMs),
    interface: cut(o.interface, MAX_VALUE),
    resultCode: cut(o.resultCode, MAX_VALUE),
    message: cut(o.message, MAX_TEXT),
    summary: cut(o.summary, MAX_TEXT),
    durationMs: String(Math.max(0, Math.round(o.durationMs))),
  };
  for (const name of ['tenantId', 'instanceId', 'requestId', 'sourceIp'] as const) {
    const value = o[name];
    if (value !== undefined) fields[name] = cut(value, MAX_VALUE);
  }
  return fields;
}
