/**
 * CAS service tickets (CAS 3.0 §3.1): `ST-` and 256 random bits, good for one validation attempt
 * within CAS_TICKET_TTL, bound to the exact service URL they were issued for and to the bridge
 * session that asked for them.
 *
 * The store never holds a usable ticket: the key is the SHA-256 of the ticket, and the record holds
 * no secret — the service, the session's hash and the names the session record beside it holds in
 * the clear too — so it is plain JSON, like that session record. (It was sealed with AES-GCM until
 * bench:cas showed the seal to cost a seventh of a validation's CPU while hiding nothing a dump
 * does not show anyway; a writer to Redis could forge a session as easily as a ticket. README,
 * Security model.) A record sealed by an older version is still opened, for the few minutes it
 * can live.
 *
 * Validation takes the record with GETDEL (`store.take`), so of any number of parallel validations
 * of one ticket, on any number of instances, exactly one sees it — and a failed attempt spends the
 * ticket too (§3.1.1).
 */
import { randomBytes } from 'node:crypto';
import { sha256Base64url } from '../shared/hash.js';
import type { Keys } from '../store/keys.js';
import type { SecretBox } from '../store/secret-box.js';
import type { Store } from '../store/types.js';

/**
 * 32 random bytes as 64 hex digits after the prefix: the spec allows only A-Z, a-z, 0-9 and `-` in
 * a ticket (§3.7), and mod_auth_cas ignores a ticket with any other character (base64url's `_`).
 */
const TICKET_FORMAT = /^ST-[0-9a-f]{64}$/;

/** What a ticket stands for, kept in the store until its one validation attempt. */
export interface TicketRecord {
  v: 1;
  /** The service URL exactly as the app sent it to /cas/login. */
  service: string;
  serviceId: string;
  sidHash: string;
  tenantId: string;
  userName: string;
  issuedAt: number;
  /** The bridge session was made by a sign-in this /cas/login started (CAS `isFromNewLogin`, `renew`). */
  fromNewLogin: boolean;
}

export const isTicketShaped = (ticket: string): boolean => TICKET_FORMAT.test(ticket);
export const ticketHash = sha256Base64url;

export function createTickets(deps: { store: Store; keys: Keys; secretBox: SecretBox; ttlMs: number; now: () => number }) {
  // What an older version sealed its records with: read only, and with `secretBox` here no longer
  // needed once no deployment can hold such a record (a release after the next one).
  const aad = (hash: string) => `cas-ticket:${hash}`;
  return {
    async issue(record: Omit<TicketRecord, 'v' | 'issuedAt'>): Promise<{ ticket: string; hash: string }> {
      const ticket = `ST-${randomBytes(32).toString('hex')}`;
      const hash = ticketHash(ticket);
      const value = JSON.stringify({ v: 1, ...record, issuedAt: deps.now() } satisfies TicketRecord);
      await deps.store.exec([{ op: 'set', key: deps.keys.casTicket(hash), value, ttlMs: deps.ttlMs }]);
      return { ticket, hash };
    },

    /** The ticket's record, removed from the store; null when unknown, used, expired or malformed. */
    async take(ticket: string): Promise<TicketRecord | null> {
      if (!isTicketShaped(ticket)) return null;
      const hash = ticketHash(ticket);
      const stored = await deps.store.take(deps.keys.casTicket(hash));
      if (stored === null) return null;
      const record = JSON.parse(stored.startsWith('{') ? stored : deps.secretBox.open(stored, aad(hash))) as TicketRecord;
      // The key's TTL already bounds it; this holds the same line on a clock the tests move.
      if (record.v !== 1 || deps.now() >= record.issuedAt + deps.ttlMs) return null;
      return record;
    },
  };
}

export type Tickets = ReturnType<typeof createTickets>;
