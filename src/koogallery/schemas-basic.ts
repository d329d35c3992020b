/**
 * Validation of the basic (instance-lifecycle) bodies (spec §6): one production address, the
 * scenario in the body's `activity`. Mandatory for a joint-operation product: KooGallery debugs
 * and dial-tests them, so every documented variant is accepted. Each refusal is
 * `invalid_parameter` naming the first offending field (`expireTime: must be a UTC time …`, the
 * path in `details.field`); an activity we do not serve is `unknown_interface`. Fields a body
 * carries beyond the documented ones are ignored.
 */
import { z } from 'zod';
import { KbError } from '../shared/errors.js';
import type { BasicActivity, BasicBodies, BasicBody, InstanceStatus, RefreshScene } from './schemas-basic-types.js';
import { basicId, basicTestFlag, instanceIdList, optionalBasicId, optionalJsonObject, upperWord, utcTime } from './schemas-basic-fields.js';
import { parseWith } from './schemas-common.js';
import { field } from './schemas-fields.js';

export type {
  BasicActivity,
  BasicBodies,
  BasicBody,
  ChangeInstanceCheck,
  InstanceStatus,
  NewInstance,
  QueryInstance,
  RefreshInstance,
  RefreshScene,
  ReleaseInstance,
  UpdateInstanceStatus,
  UpgradeInstance,
} from './schemas-basic-types.js';

/** Every activity koobridge serves: the six of the basic interfaces, and the optional check. */
export const BASIC_ACTIVITIES = [
  'newInstance',
  'queryInstance',
  'refreshInstance',
  'updateInstanceStatus',
  'releaseInstance',
  'upgradeInstance',
  'changeInstanceCheck',
] as const satisfies readonly BasicActivity[];
// Checked by the compiler: the list names every activity of BasicBody.
type AssertTrue<T extends true> = T;
export type EveryActivityListed = AssertTrue<[Exclude<BasicActivity, (typeof BASIC_ACTIVITIES)[number]>] extends [never] ? true : false>;

export const REFRESH_SCENES = ['TRIAL_TO_FORMAL', 'RENEWAL', 'UNSUBSCRIBE_RENEWAL_PERIOD', 'RENEWAL_CHANGE'] as const satisfies readonly RefreshScene[];
export const INSTANCE_STATUSES = ['FREEZE', 'UNFREEZE'] as const satisfies readonly InstanceStatus[];

const id = field(basicId);
const optionalId = field(optionalBasicId);
const common = { testFlag: field(basicTestFlag) };

const NEW = z.object({ ...common, orderId: id, orderLineId: id, businessId: id });
const QUERY = z.object({ ...common, instanceId: field(instanceIdList) });
const REFRESH = z.object({
  ...common,
  instanceId: id,
  orderId: id,
  orderLineId: id,
  scene: field(upperWord(REFRESH_SCENES)),
  expireTime: field(utcTime),
  productId: optionalId,
});
const STATUS = z.object({ ...common, instanceId: id, status: field(upperWord(INSTANCE_STATUSES)) });
const RELEASE = z.object({ ...common, instanceId: id, orderId: optionalId, orderLineId: optionalId });
const UPGRADE = z.object({ ...common, instanceId: id, orderId: id, orderLineId: id, productId: optionalId, skuCode: optionalId });
const CHECK = z.object({ ...common, instanceId: id, orderId: optionalId, orderLineId: optionalId, productInfo: field(optionalJsonObject) });

const PARSERS: { [A in BasicActivity]: (body: unknown) => BasicBodies[A] } = {
  newInstance: (body) => ({ activity: 'newInstance', ...parseWith(NEW, body) }),
  queryInstance: (body) => {
    const { instanceId, ...rest } = parseWith(QUERY, body);
    return { activity: 'queryInstance', ...rest, instanceIds: instanceId };
  },
  refreshInstance: (body) => {
    const { expireTime, ...rest } = parseWith(REFRESH, body);
    return { activity: 'refreshInstance', ...rest, expireTime: expireTime.iso, expireTimeMs: expireTime.ms };
  },
  updateInstanceStatus: (body) => ({ activity: 'updateInstanceStatus', ...parseWith(STATUS, body) }),
  releaseInstance: (body) => ({ activity: 'releaseInstance', ...parseWith(RELEASE, body) }),
  upgradeInstance: (body) => ({ activity: 'upgradeInstance', ...parseWith(UPGRADE, body) }),
  changeInstanceCheck: (body) => ({ activity: 'changeInstanceCheck', ...parseWith(CHECK, body) }),
};

const invalid = (field: string, problem: string): KbError =>
  new KbError('invalid_parameter', `${field}: ${problem}`, { details: { field } });

/** Reads `activity`: a body without one is malformed; one we do not serve is unknown. */
function readActivity(body: Record<string, unknown>): BasicActivity {
  const value = body['activity'];
  if (value === undefined || value === null || value === '') throw invalid('activity', 'required');
  if (typeof value !== 'string') throw invalid('activity', 'must be a string');
  const activity = value.trim();
  if (!Object.hasOwn(PARSERS, activity)) {
    // Quoted and cut short: the value is the caller's, and it goes into a log line.
    throw new KbError('unknown_interface', `unknown basic activity ${JSON.stringify(activity.slice(0, 40))}`);
  }
  return activity as BasicActivity;
}

/** The normalized basic body, discriminated by `activity`, or a KbError. */
export function parseBasicBody(body: unknown): BasicBody {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalid('body', 'must be a JSON object');
  return PARSERS[readActivity(body as Record<string, unknown>)](body);
}
