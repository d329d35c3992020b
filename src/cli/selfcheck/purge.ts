/**
 * Removes the test data afterwards through the bridge's admin API (`DELETE /admin/api/test-data`
 * at the production address's origin). That call removes ALL test data (testFlag 1) of the bridge,
 * including what KooGallery's own interface debugging left, which is test data all the same.
 */
import { transportReason, type Fetch } from './deliver.js';

export type PurgeOutcome = { purged: Record<string, number> } | { error: string };

export const purgeUrl = (productionUrl: string): string => `${new URL(productionUrl).origin}/admin/api/test-data`;

export async function purgeTestData(productionUrl: string, adminToken: string, timeoutMs: number, fetchImpl: Fetch = fetch): Promise<PurgeOutcome> {
  let res: Response;
  try {
    res = await fetchImpl(purgeUrl(productionUrl), { method: 'DELETE', headers: { authorization: `Bearer ${adminToken}` }, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const name = (err as { name?: string }).name;
    return { error: name === 'TimeoutError' ? 'no answer in time' : transportReason(err) };
  }
  const text = await res.text().catch(() => '');
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: reported by status below
  }
  const purged = (body as { purged?: unknown } | null)?.purged;
  if (res.status === 200 && purged !== null && typeof purged === 'object') return { purged: purged as Record<string, number> };
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  return { error: `HTTP ${res.status}${typeof code === 'string' ? ` ${code}` : ''}` };
}

export const purgeLine = (outcome: PurgeOutcome): string =>
  'purged' in outcome
    ? `selfcheck: test data purged (${Object.entries(outcome.purged).map(([k, n]) => `${k} ${n}`).join(', ')})`
    : `selfcheck: the test data was NOT purged: ${outcome.error}`;
