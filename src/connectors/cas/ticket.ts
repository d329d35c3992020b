/**
 * CAS 3.0 service ticket syntax (spec §7, CAS protocol §3.1.1): `ST-` then `[A-Za-z0-9-]`, at most
 * 256 characters. Checked before any network call: a ticket outside the syntax cannot be valid, and
 * it comes straight from a browser's query string, so it must not be relayed to the IdP as is.
 */
import { KbError } from '../../shared/errors.js';

export const MAX_TICKET_LENGTH = 256;
const TICKET = /^ST-[A-Za-z0-9-]+$/;

export const isServiceTicket = (ticket: string): boolean => ticket.length <= MAX_TICKET_LENGTH && TICKET.test(ticket);

/** Throws cas_invalid_ticket unless the ticket has CAS 3.0 service-ticket syntax. */
export function assertServiceTicket(ticket: string): void {
  if (!isServiceTicket(ticket)) {
    throw new KbError('cas_invalid_ticket', 'CAS ticket is malformed (expected ST- and letters, digits or dashes, at most 256 characters)');
  }
}
