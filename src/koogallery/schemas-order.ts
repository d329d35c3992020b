/**
 * The order query's answer (spec §9), read into the normalized view an app needs: `OrderFacts`.
 *
 * Liberal where the spec is unsure, strict where it is sure: `orderType` and `chargingMode` keep a
 * value the spec does not list (KooGallery adds kinds of orders; failing a whole provisioning over
 * a new word would be worse than passing it on); the product fields, whose names were not captured,
 * are kept as they come, every scalar as a string; the identifiers an app keys on are required.
 *
 * Personal data: `buyerInfo` carries the buyer's account name, user name, mobile phone and e-mail.
 * Provisioning needs none of them (a tenant's people arrive through authSync, spec §5.3, where the
 * directory's rules govern them), so only `customerId` — the buyer's account id, which ties the order
 * to the tenant that bought it — is kept; everything else in `buyerInfo` is dropped here, before it
 * can reach a log, an error or a store.
 */
import { z } from 'zod';
import { KbError } from '../shared/errors.js';
import { formatPath } from './schemas-common.js';

/** GET, on either KooGallery host, with `orderId` and optionally `orderLineId` as query parameters. */
export const ORDER_QUERY_PATH = '/api/mkp-openapi-public/global/v1/order/query';
export const ORDER_QUERY_SUCCESS = '000000';

export const ORDER_TYPES = ['NEW', 'TRIAL', 'TRIAL_TO_FORMAL', 'UNSUBSCRIBE', 'RENEW', 'CHANGE'] as const;
export const CHARGING_MODES = ['ON_DEMAND', 'ONE_TIME', 'PERIOD', 'ON_DEMAND_PKG'] as const;
/** A documented value, or another one KooGallery sent (kept as the string it is). */
export type OrderType = (typeof ORDER_TYPES)[number] | (string & {});
export type ChargingMode = (typeof CHARGING_MODES)[number] | (string & {});

/** One product bought on an order line: every scalar field as received, as a string. */
export interface ProductFacts {
  productId?: string;
  skuCode?: string;
  productName?: string;
  [field: string]: string | undefined;
}

export interface OrderLineFacts {
  orderLineId: string;
  chargingMode: ChargingMode;
  /** Absent for what does not expire (on-demand). Format as KooGallery sends it. */
  expireTime?: string;
  /**
   * What was bought: one entry per object of the line's `productInfo` (an array or one object),
   * each with the line's own other scalar fields (period, amounts…) under it; a line without
   * `productInfo` gives one entry of its own other scalar fields, or none when it has none.
   */
  products: ProductFacts[];
}

export interface OrderFacts {
  orderId: string;
  orderType: OrderType;
  /** Format as KooGallery sends it. */
  createTime: string;
  /** The buyer's account id (the only field of `buyerInfo` kept; see above). */
  customerId?: string;
  orderLine: OrderLineFacts[];
  /** The merchant's own purchase parameters, as name/value strings. */
  extendParams: { name: string; value: string }[];
}

export type OrderQueryAnswer =
  | { resultCode: typeof ORDER_QUERY_SUCCESS; resultMsg: string; order: OrderFacts }
  | { resultCode: string; resultMsg: string; order?: undefined };

// Far above any real identifier or product value; a longer one is a broken answer, not data.
const MAX_TEXT = 1024;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A string, number or boolean as a string; anything else is not a scalar. */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') return String(value);
  return undefined;
}

const text = z
  .union([z.string(), z.number(), z.boolean()])
  .transform((v) => String(v).trim())
  .pipe(z.string().min(1, 'must not be empty').max(MAX_TEXT).refine((v) => !CONTROL.test(v), 'must not contain control characters'));
const optionalText = z.preprocess((v) => (v === null || v === '' ? undefined : v), text.optional());

/** Every scalar field of `record` but the `skip`ped ones, as strings (long or control-laden values dropped). */
function scalarFields(record: Record<string, unknown>, skip: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(record)) {
    const v = skip.has(name) ? undefined : scalarText(value);
    if (v !== undefined && v.length <= MAX_TEXT && !CONTROL.test(v)) out[name] = v;
  }
  return out;
}

const LINE_FIELDS = new Set(['orderLineId', 'chargingMode', 'expireTime', 'productInfo']);
const NOTHING = new Set<string>();
const productObject = z.record(z.string(), z.unknown());

const orderLineSchema = z
  .looseObject({
    orderLineId: text,
    chargingMode: text,
    expireTime: optionalText,
    productInfo: z.union([productObject, z.array(productObject)]).nullish(),
  })
  .transform((line): OrderLineFacts => {
    const own = scalarFields(line, LINE_FIELDS);
    const entries = line.productInfo == null ? [] : Array.isArray(line.productInfo) ? line.productInfo : [line.productInfo];
    const products = entries.length > 0 ? entries.map((p) => ({ ...own, ...scalarFields(p, NOTHING) })) : Object.keys(own).length > 0 ? [own] : [];
    return {
      orderLineId: line.orderLineId,
      chargingMode: line.chargingMode,
      ...(line.expireTime === undefined ? {} : { expireTime: line.expireTime }),
      products,
    };
  });

const extendParamSchema = z.looseObject({ name: text, value: z.union([z.string(), z.number(), z.boolean()]).nullish() });

const orderInfoSchema = z
  .looseObject({
    orderId: text,
    orderType: text,
    createTime: text,
    orderLine: z.array(orderLineSchema),
    buyerInfo: z.looseObject({ customerId: optionalText }).nullish(),
    extendParams: z.array(extendParamSchema).nullish(),
  })
  .transform(
    (info): OrderFacts => ({
      orderId: info.orderId,
      orderType: info.orderType,
      createTime: info.createTime,
      ...(info.buyerInfo?.customerId === undefined ? {} : { customerId: info.buyerInfo.customerId }),
      orderLine: info.orderLine,
      extendParams: (info.extendParams ?? []).map((p) => ({ name: p.name, value: scalarText(p.value) ?? '' })),
    }),
  );

const envelopeSchema = z.looseObject({ resultCode: text, resultMsg: z.unknown() });

function parsed<S extends z.ZodType>(schema: S, value: unknown, root: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = formatPath(root === 'body' ? (issue?.path ?? []) : [root, ...(issue?.path ?? [])]);
  // zod's messages name the expected type, never the value received.
  throw new KbError('order_query_failed', `KooGallery order query answer: ${path}: ${issue?.message ?? 'invalid'}`, { details: { field: path } });
}

/**
 * The answer's result, and with 000000 the order. A body that is not an answer (no resultCode) or a
 * success without a readable order is `order_query_failed`; a refusal is returned, not thrown, so the
 * caller decides how to word it.
 */
export function parseOrderQueryAnswer(body: unknown): OrderQueryAnswer {
  const envelope = parsed(envelopeSchema, body, 'body');
  const resultMsg = scalarText(envelope.resultMsg) ?? '';
  if (envelope.resultCode !== ORDER_QUERY_SUCCESS) return { resultCode: envelope.resultCode, resultMsg };
  return { resultCode: ORDER_QUERY_SUCCESS, resultMsg, order: parsed(orderInfoSchema, envelope.orderInfo, 'orderInfo') };
}
