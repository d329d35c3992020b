/**
 * What each tenant bought, learnt without delaying KooGallery: after a purchase, an upgrade or a
 * renewal the answer goes out at once and one outbox job fetches the order from KooGallery's order
 * query (spec §9) and keeps its facts on the instance. The job is durable (a restart loses no
 * pending fetch), retried with backoff on failure, and holds only ids — the AK/SK stay with the client.
 */
import { z } from 'zod';
import type { Directory } from '../directory/directory.js';
import type { OrderFacts } from '../koogallery/schemas-order.js';
import { isKbError } from '../shared/errors.js';
import { PermanentJobError, type JobHandler, type JobQueue } from '../shared/jobs.js';

export const ORDER_FETCH_JOB = 'koogallery.order-fetch';

const payloadSchema = z.object({ instanceId: z.string().min(1), orderId: z.string().min(1), orderLineId: z.string().min(1).nullable() });

/** The order query, as the produce room receives it (built from connectors/order-query in app.ts). */
export type QueryOrder = (p: { orderId: string; orderLineId?: string }) => Promise<OrderFacts>;

/** Enqueues the fetch; the same order of the same instance is fetched once at a time. */
export function enqueueOrderFetch(jobs: JobQueue) {
  return async (instanceId: string, orderId: string, orderLineId: string | null): Promise<void> => {
    await jobs.enqueue(ORDER_FETCH_JOB, { instanceId, orderId, orderLineId }, { dedupeKey: `${instanceId} ${orderId} ${orderLineId ?? ''}` });
  };
}

export function orderFetchJob(deps: { directory: Directory; queryOrder: QueryOrder }): JobHandler {
  return async (payload) => {
    const parsed = payloadSchema.safeParse(payload);
    if (!parsed.success) throw new PermanentJobError('malformed order fetch job');
    const { instanceId, orderId, orderLineId } = parsed.data;
    const order = await deps.queryOrder({ orderId, ...(orderLineId ? { orderLineId } : {}) });
    try {
      await deps.directory.recordOrder(instanceId, order);
    } catch (err) {
      // The instance is gone (never created here): nothing will ever hold these facts.
      if (isKbError(err, 'instance_unknown')) throw new PermanentJobError(`instance ${instanceId} is unknown; its order is not kept`);
      throw err;
    }
  };
}
