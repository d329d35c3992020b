/**
 * The audit trail and the sync log as the admin API reads them: the audit room (src/audit/) writes
 * and reads them, the admin room serves them. The shape is a published contract: add optional
 * fields, never rename or drop one.
 *
 * The admin console compiles this very file into its front-end (console/tsconfig.json), so its
 * pages read the same types and kinds: it must import nothing and use nothing of Node.
 */

export const AUDIT_KINDS = ['login', 'session_end', 'token', 'backchannel', 'admin_action', 'rate_limited'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export interface AuditEvent {
  /** The entry's id in the store; also what a cursor points at. */
  id: string;
  /** ISO 8601: when the fact was observed. */
  at: string;
  kind: AuditKind;
  /** `success`/`refused` (login, admin_action), the cause (session_end), the action (token), the delivery (backchannel). */
  outcome: string;
  tenantId?: string;
  userName?: string;
  clientId?: string;
  sourceIp?: string;
  requestId?: string;
  /** An error code of shared/errors.ts, or the limit's name of a rate_limited event. */
  reason?: string;
  /** The observation's other fields (method, count, protocol, tokenType, action, …). */
  detail?: Record<string, unknown>;
}

export interface SyncLogEntry {
  id: string;
  at: string;
  /** The kit interface or basic activity (`tenantSync`, `newInstance`, …), or `unknown`. */
  interface: string;
  resultCode: string;
  message: string;
  summary: string;
  tenantId?: string;
  instanceId?: string;
  requestId?: string;
  durationMs: number;
  sourceIp?: string;
}

/** What both queries share: a time window (ms, inclusive), a page size and the previous page's cursor. */
export interface LogWindow {
  fromMs?: number;
  toMs?: number;
  limit: number;
  /** The `nextCursor` of the previous page (a stream id). */
  cursor?: string;
}

export interface AuditQuery extends LogWindow {
  tenantId?: string;
  userName?: string;
  clientId?: string;
  kind?: AuditKind;
}

export interface SyncLogQuery extends LogWindow {
  tenantId?: string;
  instanceId?: string;
  interface?: string;
  resultCode?: string;
}

export interface LogPage<T> {
  items: T[];
  /** Where the next call continues (more may match), or null when the scan reached the end. */
  nextCursor: string | null;
}

/** The read side of the audit trail and the sync log. */
export interface AuditLog {
  audit(query: AuditQuery): Promise<LogPage<AuditEvent>>;
  syncLog(query: SyncLogQuery): Promise<LogPage<SyncLogEntry>>;
}
