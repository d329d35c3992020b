/**
 * KooGallery's order query (spec §9), behind its gateway's AK/SK check:
 * `GET /api/mkp-openapi-public/global/v1/order/query?orderId=…[&orderLineId=…]`. Answers HTTP 200
 * with a `resultCode`; 000000 carries `orderInfo`. With an `orderLineId`, only that line is answered.
 * The refusal codes are the simulator's own (the real ones were not captured): a client must treat
 * any code but 000000 as a refusal, which is all these prove.
 */
import Router from '@koa/router';
import { ORDER_QUERY_PATH } from '../../src/koogallery/schemas-order.js';
import type { SimDeps } from './deps.js';
import { gatewayAuth } from './gateway-auth.js';
import { queryParam } from './idp-router.js';

export const ORDER_NOT_FOUND = 'MKT.0100';
export const ORDER_BAD_PARAMETER = 'MKT.0150';

export function orderQueryRoutes(deps: SimDeps): Router {
  const router = new Router();
  router.get(ORDER_QUERY_PATH, gatewayAuth(deps.seller, deps.now), (ctx) => {
    const orderId = queryParam(ctx.query.orderId);
    const orderLineId = queryParam(ctx.query.orderLineId);
    if (!orderId || (ctx.query.orderLineId !== undefined && !orderLineId)) {
      ctx.body = { resultCode: ORDER_BAD_PARAMETER, resultMsg: 'orderId is required; orderId and orderLineId may each be given once' };
      return;
    }
    const order = deps.orders.get(orderId);
    const lines = order && orderLineId !== undefined ? order.orderLine.filter((l) => l.orderLineId === orderLineId) : order?.orderLine;
    if (!order || !lines || lines.length === 0) {
      ctx.body = { resultCode: ORDER_NOT_FOUND, resultMsg: 'The order does not exist.' };
      return;
    }
    ctx.body = { resultCode: '000000', resultMsg: 'success', orderInfo: { ...order, orderLine: lines } };
  });
  return router;
}
