/** zod schemas of the browser routes' query strings: validated once, at the edge. */
import { z } from 'zod';
import { isServiceTicket } from '../connectors/cas/ticket.js';
import { tenantIdParam as tenantId } from '../http/params.js';
import { LOGIN_PROTOCOLS } from '../shared/identity.js';

const printable = (max: number) => z.string().min(1).max(max).regex(/^[\x21-\x7e]+$/, 'has characters that are not allowed');

export const loginQuery = z.object({
  tenant: tenantId.optional(),
  protocol: z.enum(LOGIN_PROTOCOLS).default('oauth2'),
  return_to: z.string().max(2048).optional(),
  /** `unified=1`: "use another organization" — the unified login page even for a returning browser. */
  unified: z.literal('1').optional(),
});

export const callbackQuery = z.object({
  code: printable(1024).optional(),
  tenant: tenantId.optional(),
  tenant_id: tenantId.optional(),
  state: printable(256).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(1024).optional(),
});

export const casQuery = z.object({
  // Missing is answered by the pipeline in plain words (a misregistered service URL), not by a schema message.
  tenant: tenantId.optional(),
  // CAS 3.0: tickets start with ST-, [A-Za-z0-9-], at most 256 characters. Missing: a login starts.
  ticket: z.string().refine(isServiceTicket, 'is not a CAS service ticket').optional(),
});
