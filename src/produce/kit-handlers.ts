/**
 * The five kit (sync) interfaces of spec §5: validate the trusted body, then hand it to the
 * directory. Returns a short summary for the log line (never personal data or secrets).
 */
import type { KeyObject } from 'node:crypto';
import { decryptClientSecret } from '../koogallery/client-secret.js';
import { parseKitBody, type KitInterface } from '../koogallery/schemas.js';
import type { Directory } from '../directory/directory.js';

export const KIT_INTERFACES: readonly KitInterface[] = ['tenantSync', 'applicationSync', 'authSync', 'singleOrgSync', 'allOrgSync'];

export const isKitInterface = (name: string): name is KitInterface => (KIT_INTERFACES as readonly string[]).includes(name);

export interface KitDeps {
  directory: Directory;
  privateKey: KeyObject;
  allowInsecureIdp: boolean;
}

export type KitSummary = Record<string, string | number | boolean>;

export async function handleKit(deps: KitDeps, name: KitInterface, body: unknown): Promise<KitSummary> {
  const opts = { allowInsecureIdp: deps.allowInsecureIdp };
  switch (name) {
    case 'tenantSync': {
      const msg = parseKitBody('tenantSync', body, opts);
      const { change } = await deps.directory.applyTenantSync(msg);
      return { tenantId: msg.tenantId, flag: msg.flag, testFlag: msg.testFlag, change };
    }
    case 'applicationSync': {
      const msg = parseKitBody('applicationSync', body, opts);
      // Decrypted before anything is written: a secret we cannot read must not replace a good one.
      const clientSecret = msg.clientSecret === null ? null : decryptClientSecret(msg.clientSecret, deps.privateKey);
      const { change } = await deps.directory.applyApplicationSync({ ...msg, clientSecret });
      return { tenantId: msg.tenantId, appId: msg.appId, flag: msg.flag, testFlag: msg.testFlag, change };
    }
    case 'authSync': {
      const msg = parseKitBody('authSync', body, opts);
      const { applied, stale } = await deps.directory.applyAuthSync(msg);
      return { tenantId: msg.tenantId, flag: msg.flag, testFlag: msg.testFlag, users: msg.userList.length, applied, stale };
    }
    case 'singleOrgSync': {
      const msg = parseKitBody('singleOrgSync', body, opts);
      const { change } = await deps.directory.applySingleOrgSync(msg);
      return { tenantId: msg.tenantId, flag: msg.flag, testFlag: msg.testFlag, change };
    }
    case 'allOrgSync': {
      const msg = parseKitBody('allOrgSync', body, opts);
      const { count } = await deps.directory.applyAllOrgSync(msg);
      return { tenantId: msg.tenantId, testFlag: msg.testFlag, orgs: count };
    }
  }
}
