/**
 * Fault switches per tenant: the ways a real IdP fails (slow, 500, a cut-off body, no answer at
 * all), so the bridge's timeouts, retries and error pages can be proven. Set from code
 * (`faults.set`) or over HTTP (`PUT /sim/faults/:tenantId`); both go through the same schema.
 */
import { z } from 'zod';
import { FAULT_ENDPOINTS, type FaultEndpoint, type SimFaults } from './types.js';

/** Back-channel calls are where the bridge needs resilience; browser pages fail differently. */
export const DEFAULT_FAULT_ENDPOINTS: readonly FaultEndpoint[] = ['token', 'userinfo', 'serviceValidate'];

// A delay longer than any sensible client timeout is a hang; `hang` says so explicitly.
const MAX_DELAY_MS = 10 * 60 * 1000;

export const simFaultsSchema = z
  .object({
    delayMs: z.number().int().min(0).max(MAX_DELAY_MS).optional(),
    status500: z.boolean().optional(),
    malformedJson: z.boolean().optional(),
    hang: z.boolean().optional(),
    endpoints: z.array(z.enum(FAULT_ENDPOINTS)).optional(),
  })
  .strict();

export interface ActiveFaults {
  delayMs: number;
  status500: boolean;
  malformedJson: boolean;
  hang: boolean;
  endpoints: ReadonlySet<FaultEndpoint>;
}

export function createFaultRegistry() {
  const byTenant = new Map<string, ActiveFaults>();
  return {
    /** Replaces the tenant's switches (a set is not merged with the previous one). Throws on a bad shape. */
    set(tenantId: string, faults: SimFaults): void {
      const f = simFaultsSchema.parse(faults);
      byTenant.set(tenantId, {
        delayMs: f.delayMs ?? 0,
        status500: f.status500 ?? false,
        malformedJson: f.malformedJson ?? false,
        hang: f.hang ?? false,
        endpoints: new Set(f.endpoints ?? DEFAULT_FAULT_ENDPOINTS),
      });
    },
    /** One tenant's switches, or every tenant's when no id is given. */
    clear(tenantId?: string): void {
      if (tenantId === undefined) byTenant.clear();
      else byTenant.delete(tenantId);
    },
    /** The switches that apply to this endpoint of this tenant, if any. */
    active(tenantId: string, endpoint: FaultEndpoint): ActiveFaults | undefined {
      const f = byTenant.get(tenantId);
      return f && f.endpoints.has(endpoint) ? f : undefined;
    },
  };
}

export type FaultRegistry = ReturnType<typeof createFaultRegistry>;
