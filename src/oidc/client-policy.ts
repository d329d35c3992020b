/** What koobridge adds to a client's metadata: which tenants may use it, and whether it skips consent. */
export interface ClientPolicy {
  /** Null: every tenant. */
  allowedTenants: string[] | null;
  firstParty: boolean;
}

export const tenantAllowed = (policy: ClientPolicy | undefined, tenantId: string): boolean =>
  !policy || policy.allowedTenants === null || policy.allowedTenants.includes(tenantId);
