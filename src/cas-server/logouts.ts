/**
 * What single logout needs to remember: which services received a ticket in which bridge session.
 * CAS single logout (CAS 3.0 §2.3.3) tells each such service "the session of ticket ST-… ended";
 * the app maps the ticket it validated to its own session.
 *
 * Kept per user in the tenant's slot (`casLogouts`: `<sidHash> <ticketHash>` → sealed
 * {ticket, serviceId, serviceUrl}), with the tenant's set of such users, so a logout finds one
 * session's services and a deprovisioning a user's or a whole tenant's. The ticket itself is
 * sealed (it is spent or dead by then: validation needs the session, which is gone), the index lives
 * as long as a session can, and taking entries removes them, so each is announced once.
 */
import type { Keys } from '../store/keys.js';
import type { SecretBox } from '../store/secret-box.js';
import type { Store } from '../store/types.js';

export interface LogoutEntry {
  tenantId: string;
  userName: string;
  /** `<sidHash> <ticketHash>`: unique per ticket, the outbox's dedupe key. */
  ref: string;
  /** Sealed {ticket, serviceId, serviceUrl}; opened only by the job that sends the request. */
  sealed: string;
}

export interface LogoutTarget {
  ticket: string;
  serviceId: string;
  serviceUrl: string;
}

export const logoutAad = (tenantId: string, userName: string, ref: string) => `cas-logout:${tenantId}:${userName}:${ref}`;

export function createLogoutRecords(deps: { store: Store; keys: Keys; secretBox: SecretBox; sessionLifetimeMs: number }) {
  const { store, keys } = deps;

  async function takeUser(tenantId: string, userName: string, sidHash?: string): Promise<LogoutEntry[]> {
    const key = keys.casLogouts(tenantId, userName);
    const all = await store.hgetall(key);
    const refs = Object.keys(all).filter((ref) => sidHash === undefined || ref.startsWith(`${sidHash} `));
    if (refs.length === 0) return [];
    await store.exec([sidHash === undefined ? { op: 'del', key } : { op: 'hdel', key, fields: refs }]);
    return refs.map((ref) => ({ tenantId, userName, ref, sealed: all[ref]! }));
  }

  return {
    async record(session: { sidHash: string; tenantId: string; userName: string }, ticketHash: string, target: LogoutTarget): Promise<void> {
      const { tenantId, userName } = session;
      const ref = `${session.sidHash} ${ticketHash}`;
      const key = keys.casLogouts(tenantId, userName);
      await store.exec([
        { op: 'hset', key, values: { [ref]: deps.secretBox.seal(JSON.stringify(target), logoutAad(tenantId, userName, ref)) } },
        { op: 'pexpire', key, ttlMs: deps.sessionLifetimeMs },
        { op: 'sadd', key: keys.casLogoutUsers(tenantId), members: [userName] },
        { op: 'pexpire', key: keys.casLogoutUsers(tenantId), ttlMs: deps.sessionLifetimeMs },
      ]);
    },

    /** The services of one bridge session, removed. */
    takeSession: (session: { sidHash: string; tenantId: string; userName: string }) => takeUser(session.tenantId, session.userName, session.sidHash),

    /** Every session's services of one user, removed. */
    takeUser: (tenantId: string, userName: string) => takeUser(tenantId, userName),

    /** Every user's services of one tenant, removed. */
    async takeTenant(tenantId: string): Promise<LogoutEntry[]> {
      const users = await store.smembers(keys.casLogoutUsers(tenantId));
      const entries = (await Promise.all(users.map((userName) => takeUser(tenantId, userName)))).flat();
      if (users.length > 0) await store.exec([{ op: 'srem', key: keys.casLogoutUsers(tenantId), members: users }]);
      return entries;
    },

    open(entry: LogoutEntry): LogoutTarget {
      return JSON.parse(deps.secretBox.open(entry.sealed, logoutAad(entry.tenantId, entry.userName, entry.ref))) as LogoutTarget;
    },
  };
}

export type LogoutRecords = ReturnType<typeof createLogoutRecords>;
