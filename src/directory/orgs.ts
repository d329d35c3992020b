/**
 * Departments: singleOrgSync changes one (spec §5.4), allOrgSync replaces the whole set as one
 * unit (spec §5.5): readers see the old set or the new one, never a mix.
 */
import type { AllOrgSync, SingleOrgSync } from '../koogallery/schemas.js';
import type { DirectoryDeps } from './deps.js';
import { indexTenant } from './deps.js';
import { parseRecord, type OrgRecord } from './records.js';

export async function applySingleOrgSync(deps: DirectoryDeps, msg: SingleOrgSync): Promise<{ change: 'written' | 'deleted' }> {
  const key = deps.keys.orgs(msg.tenantId);
  if (msg.flag === 0) {
    // Children of a deleted department are kept; the tree shows them at the top, marked orphan.
    await deps.store.exec([{ op: 'hdel', key, fields: [msg.orgCode] }]);
    return { change: 'deleted' };
  }
  const record: OrgRecord = { orgCode: msg.orgCode, orgName: msg.orgName!, parentCode: msg.parentCode, test: msg.testFlag === 1 };
  await indexTenant(deps, msg.tenantId, record.test);
  await deps.store.exec([{ op: 'hset', key, values: { [msg.orgCode]: JSON.stringify(record) } }]);
  return { change: 'written' };
}

export async function applyAllOrgSync(deps: DirectoryDeps, msg: AllOrgSync): Promise<{ count: number }> {
  const key = deps.keys.orgs(msg.tenantId);
  const test = msg.testFlag === 1;
  const values: Record<string, string> = {};
  for (const org of msg.orgInfoList) values[org.orgCode] = JSON.stringify({ ...org, test } satisfies OrgRecord);
  await indexTenant(deps, msg.tenantId, test);
  await deps.store.exec(
    msg.orgInfoList.length > 0 ? [{ op: 'del', key }, { op: 'hset', key, values }] : [{ op: 'del', key }],
  );
  return { count: msg.orgInfoList.length };
}

export interface OrgNode {
  orgCode: string;
  orgName: string;
  parentCode: string;
  test: boolean;
  /** True when the parent is unknown (deleted, or not synced yet): shown at the top. */
  orphan?: boolean;
  children: OrgNode[];
}

export async function listOrgs(deps: DirectoryDeps, tenantId: string): Promise<OrgRecord[]> {
  const all = await deps.store.hgetall(deps.keys.orgs(tenantId));
  return Object.values(all)
    .map((raw) => parseRecord<OrgRecord>(raw))
    .filter((o): o is OrgRecord => o !== null);
}

/** Builds the department tree; orphans and members of a parent cycle are placed at the top. */
export function buildOrgTree(orgs: OrgRecord[]): OrgNode[] {
  const nodes = new Map<string, OrgNode>();
  for (const org of orgs) nodes.set(org.orgCode, { ...org, children: [] });
  const roots: OrgNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentCode ? nodes.get(node.parentCode) : undefined;
    if (!node.parentCode) roots.push(node);
    else if (!parent || inCycle(nodes, node)) roots.push({ ...node, orphan: true });
    else parent.children.push(node);
  }
  const byName = (a: OrgNode, b: OrgNode) => a.orgName.localeCompare(b.orgName) || a.orgCode.localeCompare(b.orgCode);
  const sort = (list: OrgNode[]) => {
    list.sort(byName);
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** Whether walking up from `node` returns to it (a → b → a), which would hide the cycle from the tree. */
function inCycle(nodes: Map<string, OrgNode>, node: OrgNode): boolean {
  const seen = new Set<string>([node.orgCode]);
  let current = nodes.get(node.parentCode);
  while (current) {
    if (current.orgCode === node.orgCode) return true;
    // A cycle further up that does not include this node: the node hangs below it as usual.
    if (seen.has(current.orgCode)) return false;
    seen.add(current.orgCode);
    current = current.parentCode ? nodes.get(current.parentCode) : undefined;
  }
  return false;
}
