/**
 * bench:basic (a) — the basic (instance lifecycle) interfaces at `POST {PRODUCE_PATH}` under load:
 * every connection cycles through newInstance (a fresh order line), queryInstance (three known
 * instances), refreshInstance (a known instance, a new expiry each time) and updateInstanceStatus
 * (FREEZE and UNFREEZE in turn, of an instance a tenant is bound to), each signed in the query
 * with a fresh nonce. Latency per activity is taken from the request's setup to its answer.
 */
import { randomBytes } from 'node:crypto';
import type autocannon from 'autocannon';
import { canonicalPayloads } from '../src/koogallery/canonical.js';
import { basicSignature } from '../src/koogallery/signature.js';
import { createWebhookSender } from '../tools/simulator/webhook-sender.js';
import { measure, percentile, type Measured, type Service } from './support.js';

export const ACTIVITIES = ['newInstance', 'queryInstance', 'refreshInstance', 'updateInstanceStatus'] as const;
type Activity = (typeof ACTIVITIES)[number];

export interface ActivityFigures {
  answered: number;
  p50: number;
  p99: number;
}

export interface LifecycleFigures {
  mix: Measured;
  perActivity: Record<Activity, ActivityFigures>;
  ok: number;
  /** Answers that were not 000000 (or a newInstance whose instanceId was not its businessId), by reason. */
  refusals: Map<string, number>;
}

/** Object keys in code-unit order, so the JSON text is its own canonical payload (spec §2). */
const sortedJson = (body: Record<string, unknown>): string =>
  JSON.stringify(Object.fromEntries(Object.keys(body).sort().map((k) => [k, body[k]])));

/** 2027-01-01 plus `n` seconds, as KooGallery's UTC yyyyMMddHHmmss. */
const expiry = (n: number): string => new Date(Date.UTC(2027, 0, 1) + n * 1000).toISOString().replace(/\D/g, '').slice(0, 14);

interface Context {
  t0?: number;
  businessId?: string;
}

export async function measureLifecycle(service: Service): Promise<LifecycleFigures> {
  const productionUrl = `${service.url}/produce`;
  const accessKey = service.env.KOO_BASIC_ACCESS_KEY ?? service.env.KOO_ACCESS_KEY!;
  const sender = createWebhookSender({ productionUrl, accessKey: service.env.KOO_ACCESS_KEY!, basicAccessKey: accessKey });
  const run = randomBytes(3).toString('hex');

  // The known instances: three to query, one to refresh, one to freeze and unfreeze (bound to a tenant).
  const purchase = async (name: string): Promise<string> => {
    const orderId = `BENCH${run}${name}`;
    const answer = await sender.sendBasic({ activity: 'newInstance', orderId, orderLineId: `${orderId}-000001`, businessId: `inst-${run}-${name}`, testFlag: '0' });
    if (answer.resultCode !== '000000') throw new Error(`newInstance ${name} failed: ${answer.resultCode} ${answer.resultMsg}`);
    return String(answer.instanceId);
  };
  const queried = [await purchase('q1'), await purchase('q2'), await purchase('q3')];
  const refreshed = await purchase('refresh');
  const toggled = await purchase('toggle');
  const tenantId = `basic-${run}`;
  const bound = await sender.send('tenantSync', {
    tenantId,
    tenantCode: tenantId,
    name: 'Basic Bench Co.',
    domainName: 'https://basic-bench.idp.example.com',
    instanceId: toggled,
    orderId: `BENCH${run}toggle`,
    flag: 1,
    testFlag: 0,
    timeStamp: '20261201100000000',
  });
  if (bound.resultCode !== '000000') throw new Error(`tenantSync failed: ${bound.resultCode} ${bound.resultMsg}`);

  let sequence = 0;
  const bodies: Record<Activity, (ctx: Context) => Record<string, unknown>> = {
    newInstance: (ctx) => {
      const orderId = `CS${run}${(sequence += 1)}`;
      ctx.businessId = `biz-${run}-${sequence}`;
      return { activity: 'newInstance', businessId: ctx.businessId, orderId, orderLineId: `${orderId}-000001`, testFlag: '0' };
    },
    queryInstance: () => ({ activity: 'queryInstance', instanceId: queried.join(','), testFlag: '0' }),
    refreshInstance: () => ({
      activity: 'refreshInstance',
      expireTime: expiry((sequence += 1)),
      instanceId: refreshed,
      orderId: `RENEW${run}`,
      orderLineId: `RENEW${run}-000001`,
      scene: 'RENEWAL',
      testFlag: '0',
    }),
    updateInstanceStatus: () => ({ activity: 'updateInstanceStatus', instanceId: toggled, status: (sequence += 1) % 2 === 0 ? 'UNFREEZE' : 'FREEZE', testFlag: '0' }),
  };
  const sample = sortedJson(bodies.refreshInstance({}));
  if (canonicalPayloads(sample)[0] !== sample) throw new Error('a sorted body is not its own canonical payload: the signatures would not match');

  const latencies = Object.fromEntries(ACTIVITIES.map((a) => [a, [] as number[]])) as Record<Activity, number[]>;
  const refusals = new Map<string, number>();
  let ok = 0;
  const refuse = (reason: string) => refusals.set(reason, (refusals.get(reason) ?? 0) + 1);

  const requests: autocannon.Request[] = ACTIVITIES.map((activity) => ({
    method: 'POST',
    path: '/produce',
    setupRequest: (req, context) => {
      const ctx = context as Context;
      const body = sortedJson(bodies[activity](ctx));
      const nonce = randomBytes(16).toString('hex');
      const timestamp = String(Date.now());
      const query = new URLSearchParams({ signature: basicSignature(accessKey, nonce, timestamp, body), timestamp, nonce });
      ctx.t0 = performance.now();
      return { ...req, path: `/produce?${query.toString()}`, body, headers: { 'content-type': 'application/json' } };
    },
    onResponse: (status, body, context) => {
      const ctx = context as Context;
      if (ctx.t0 !== undefined) latencies[activity].push(performance.now() - ctx.t0);
      const text = String(body);
      if (status !== 200 || !text.includes('"resultCode":"000000"')) refuse(`${activity}: HTTP ${status} ${text.slice(0, 160)}`);
      else if (activity === 'newInstance' && !text.includes(`"instanceId":${JSON.stringify(ctx.businessId)}`)) refuse(`newInstance: answered another instanceId than its businessId: ${text.slice(0, 160)}`);
      else ok += 1;
    },
  }));

  const mix = await measure({ url: service.url, requests });
  const perActivity = Object.fromEntries(
    ACTIVITIES.map((a) => [a, { answered: latencies[a].length, p50: percentile(latencies[a], 0.5), p99: percentile(latencies[a], 0.99) }]),
  ) as Record<Activity, ActivityFigures>;
  return { mix, perActivity, ok, refusals };
}
