/**
 * Ticket validation (CAS 3.0 §2.4–2.6): `/cas/serviceValidate` and `/cas/p3/serviceValidate` (the
 * same answer, attributes included), `/cas/proxyValidate` and `/cas/p3/proxyValidate` for service
 * tickets (no proxy tickets are issued: `pgtUrl` is ignored), and CAS 1.0's `/cas/validate`.
 *
 * The answer is HTTP 200 with the spec's document, success or not, in the order of the spec's
 * checks: both parameters present (INVALID_REQUEST), a service ticket (INVALID_TICKET_SPEC), one
 * we issued and nobody validated yet (INVALID_TICKET), for exactly this service (INVALID_SERVICE),
 * from a new sign-in when `renew` is asked (INVALID_TICKET), and whose bridge session still lives
 * (INVALID_TICKET: a logout or a deprovisioning between issue and validation kills the ticket). The
 * ticket is spent by the first attempt, whatever its outcome. A store failure is INTERNAL_ERROR.
 */
import { z } from 'zod';
import { originOf, type AppContext } from '../http/state.js';
import type { CasDeps } from './deps.js';
import { principalOf, type Principal } from './attributes.js';
import { contentTypeOf, failureBody, successBody, v1Body, type CasFailureCode, type CasFormat } from './responses.js';
import { findService } from './services.js';

/** A repeated (`ticket=a&ticket=b`) or oversized parameter: null, answered INVALID_REQUEST, never a guard's page. */
const one = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (Array.isArray(v) || (v !== undefined && v.length > 4096) ? null : v));

export const validateQuery = z.object({ service: one, ticket: one, renew: one, format: one, pgtUrl: one });
export type ValidateQuery = z.output<typeof validateQuery>;

class Refusal extends Error {
  constructor(readonly code: CasFailureCode, message: string) {
    super(message);
  }
}

/** `renew` and `gateway` are set by their presence, as CAS clients send `renew=true` (§2.1.1). */
export const isSet = (value: string | null | undefined): boolean => value !== undefined && value !== null && value !== 'false';

async function check(deps: CasDeps, query: ValidateQuery): Promise<{ principal: Principal; serviceId: string; tenantId: string; userName: string }> {
  const { service, ticket } = query;
  if (!service || !ticket) throw new Refusal('INVALID_REQUEST', 'service and ticket are both required, once each');
  if (!ticket.startsWith('ST-')) throw new Refusal('INVALID_TICKET_SPEC', 'only service tickets (ST-) are issued here');
  const record = await deps.tickets.take(ticket);
  if (!record) throw new Refusal('INVALID_TICKET', 'ticket not recognized: unknown, already validated, or expired');
  if (record.service !== service) throw new Refusal('INVALID_SERVICE', 'ticket was not issued for this service');
  if (isSet(query.renew) && !record.fromNewLogin) throw new Refusal('INVALID_TICKET', 'renew was asked, and this ticket did not come from a new sign-in');
  const registered = findService(deps.services, service);
  if (registered?.id !== record.serviceId) throw new Refusal('INVALID_SERVICE', 'the service is no longer registered');
  // Read as every door reads a session (the pub/sub-invalidated cache, pending revocations settled,
  // timeouts enforced): a logout or deprovisioning since the ticket was issued kills it.
  const session = await deps.sessions.getByHash(record.sidHash);
  if (!session || session.tenantId !== record.tenantId || session.userName !== record.userName) {
    throw new Refusal('INVALID_TICKET', 'the sign-in this ticket came from has ended');
  }
  return { principal: principalOf(session, registered, record.fromNewLogin), serviceId: registered.id, tenantId: session.tenantId, userName: session.userName };
}

/** Runs the checks and reports the outcome; the door (v1 or v2/v3) writes the answer. */
async function outcome(deps: CasDeps, ctx: AppContext, query: ValidateQuery): Promise<Principal | Refusal> {
  const origin = originOf(ctx);
  try {
    const ok = await check(deps, query);
    return ok.principal;
  } catch (err) {
    const refusal = err instanceof Refusal ? err : new Refusal('INTERNAL_ERROR', 'the ticket could not be validated; try again');
    // errorCode, not code: the logger redacts `code` fields (authorization codes).
    if (!(err instanceof Refusal)) ctx.state.log.warn({ err: (err as Error).message }, 'CAS validation failed');
    else ctx.state.log.info({ errorCode: refusal.code, reason: refusal.message }, 'CAS ticket refused');
    const service = query.service ? findService(deps.services, query.service) : null;
    deps.observations.emit({ kind: 'token', protocol: 'cas', action: 'refused', tokenType: 'service_ticket', clientId: service?.id ?? 'unknown', reason: refusal.code, ...origin });
    return refusal;
  }
}

/** What a validation path answers (always HTTP 200, success or not: the spec's document says which). */
export interface CasAnswer {
  type: string;
  body: string;
}

export async function serviceValidate(deps: CasDeps, ctx: AppContext, query: ValidateQuery): Promise<CasAnswer> {
  const format: CasFormat = query.format?.toUpperCase() === 'JSON' ? 'JSON' : 'XML';
  const result = await outcome(deps, ctx, query);
  return { type: contentTypeOf(format), body: result instanceof Refusal ? failureBody(format, result.code, result.message) : successBody(format, result) };
}

export async function v1Validate(deps: CasDeps, ctx: AppContext, query: ValidateQuery): Promise<CasAnswer> {
  const result = await outcome(deps, ctx, query);
  return { type: 'text/plain; charset=utf-8', body: v1Body(result instanceof Refusal ? null : result.user) };
}
