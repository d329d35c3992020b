/**
 * What KooGallery's interface debugging (接口调试) sends, in the order a real subscription would
 * bring it: the purchase first, then the binding (the five kit syncs), then the instance's life,
 * the release last. The values are the debugging's own kind (spec §5 "Debugging", §6): a
 * `domainName` without a scheme, a self-chosen clientId and clientSecret, allOrgSync's
 * `orgInfoList` as the documentation's literal string with unquoted keys, testFlag 1 everywhere.
 */
import type { KitInterface } from '../../koogallery/schemas-types.js';
import { kooExpireTime, kooTimeStamp, type SelfcheckData } from './test-data.js';

/** What the run learns as it goes: the instance the purchase created. */
export interface SelfcheckState {
  instanceId: string;
}

export interface SelfcheckStep {
  /** The name printed: the interface, or the basic activity (with its status for the two status changes). */
  label: string;
  /** `kit` is signed in headers and posted under /produceAPI/v2/, `basic` is signed in the query. */
  kit: KitInterface | null;
  /** Not required by KooGallery: a failure is a warning, not a failed check. */
  optional: boolean;
  body(state: SelfcheckState): Record<string, unknown>;
  /** What a 000000 answer must also carry, as a problem in words; null when it is fine. */
  check?(answer: Record<string, unknown>, state: SelfcheckState): string | null;
  /** Learns from a passing answer. */
  learn?(answer: Record<string, unknown>, state: SelfcheckState): void;
}

// The documentation's allOrgSync example, verbatim in kind: a string holding a JavaScript-style
// literal with unquoted keys — not JSON (spec §5.5).
export const DOC_ORG_INFO_LIST = '[{orgCode:"00000001", orgName:"产品部", parentCode:""}]';

// What KooGallery's debugging puts in a debug tenantSync (spec §5 "Debugging": a captured body).
export const DEBUG_DOMAIN_NAME = 'example.tenantaccount.com';

const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

export function selfcheckPlan(data: SelfcheckData, opts: { now: () => number; encrypt: (secret: string) => string }): SelfcheckStep[] {
  const stamp = () => kooTimeStamp(opts.now());
  const kit = (label: KitInterface, body: SelfcheckStep['body']): SelfcheckStep => ({ label, kit: label, optional: false, body });
  const basic = (label: string, activity: string, fields: (s: SelfcheckState) => Record<string, unknown>, more: Partial<SelfcheckStep> = {}): SelfcheckStep => ({
    label,
    kit: null,
    optional: false,
    body: (s) => ({ activity, ...fields(s), testFlag: '1' }),
    ...more,
  });
  const { tenantId, appId } = data;
  const line = { orderId: data.orderId, orderLineId: data.orderLineId };

  return [
    basic('newInstance', 'newInstance', () => ({ ...line, businessId: data.businessId }), {
      check: (answer) => (typeof answer.instanceId === 'string' && answer.instanceId.trim() !== '' ? null : 'the answer carries no instanceId'),
      learn: (answer, s) => {
        s.instanceId = String(answer.instanceId);
      },
    }),
    basic('queryInstance', 'queryInstance', (s) => ({ instanceId: s.instanceId }), { check: queryAnswerProblem }),
    kit('tenantSync', (s) => ({
      instanceId: s.instanceId,
      orderId: data.orderId,
      tenantId,
      tenantCode: tenantId,
      name: 'koobridge self-check',
      domainName: DEBUG_DOMAIN_NAME,
      flag: 1,
      testFlag: 1,
      timeStamp: stamp(),
    })),
    kit('applicationSync', (s) => ({
      instanceId: s.instanceId,
      tenantId,
      appId,
      clientId: data.clientId,
      clientSecret: opts.encrypt(data.clientSecret),
      flag: 1,
      testFlag: 1,
      timeStamp: stamp(),
    })),
    kit('authSync', (s) => {
      const time = stamp();
      const user = { userName: 'selfcheck.admin', name: '自检管理员', orgCode: '00000001', role: 'admin', enable: 'true' };
      return { instanceId: s.instanceId, tenantId, appId, userList: [user], currentSyncTime: time, flag: 1, testFlag: 1, timeStamp: time };
    }),
    kit('singleOrgSync', (s) => ({ instanceId: s.instanceId, tenantId, orgCode: '00000002', orgName: '研发部', parentCode: '00000001', flag: 1, testFlag: 1, timeStamp: stamp() })),
    // The documentation's example also carries a stray flag.
    kit('allOrgSync', (s) => ({ instanceId: s.instanceId, tenantId, orgInfoList: DOC_ORG_INFO_LIST, flag: 1, testFlag: 1, timeStamp: stamp() })),
    basic('refreshInstance', 'refreshInstance', (s) => ({ instanceId: s.instanceId, ...line, scene: 'RENEWAL', expireTime: kooExpireTime(opts.now() + ONE_YEAR_MS) })),
    basic('updateInstanceStatus(FREEZE)', 'updateInstanceStatus', (s) => ({ instanceId: s.instanceId, status: 'FREEZE' })),
    basic('updateInstanceStatus(UNFREEZE)', 'updateInstanceStatus', (s) => ({ instanceId: s.instanceId, status: 'UNFREEZE' })),
    basic('upgradeInstance', 'upgradeInstance', (s) => ({ instanceId: s.instanceId, orderId: data.upgradeOrderId, orderLineId: data.upgradeOrderLineId })),
    basic('changeInstanceCheck', 'changeInstanceCheck', (s) => ({ instanceId: s.instanceId, orderId: data.upgradeOrderId, orderLineId: data.upgradeOrderLineId }), { optional: true }),
    basic('releaseInstance', 'releaseInstance', (s) => ({ instanceId: s.instanceId, ...line })),
  ];
}

/** queryInstance must describe the instance asked about, with its mandatory frontEndUrl (spec §6). */
function queryAnswerProblem(answer: Record<string, unknown>, state: SelfcheckState): string | null {
  const info = Array.isArray(answer.info) ? (answer.info as unknown[]) : [];
  const entry = info.find((i): i is Record<string, unknown> => typeof i === 'object' && i !== null && (i as Record<string, unknown>).instanceId === state.instanceId);
  if (entry === undefined) return 'the answer\'s info does not list the instance asked about';
  const appInfo = entry.appInfo as Record<string, unknown> | undefined;
  return typeof appInfo?.frontEndUrl === 'string' && appInfo.frontEndUrl !== '' ? null : 'the answer\'s appInfo has no frontEndUrl (mandatory)';
}
