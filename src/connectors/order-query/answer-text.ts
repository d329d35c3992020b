/**
 * The words of the order query: the ids a caller may ask for, and the message of a refusal. A
 * refusal's resultMsg is KooGallery's free text, so it is cut short, stripped of control characters
 * and of anything that could be a credential before it enters a message (shown, logged).
 */
import { KbError } from '../../shared/errors.js';

// KooGallery ids look like CS2211181819B4LVS and CS2211181819B4LVS-000001; anything printable and
// without spaces is passed on, so an id of a new shape is KooGallery's to refuse, not ours.
const ORDER_ID = /^[\x21-\x7e]{1,128}$/;
const RESULT_CODE = /^[A-Za-z0-9_.-]{1,32}$/;
const MAX_RESULT_MSG = 200;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]+/g;
// A 64-hex-digit run is what a signature looks like; no refusal needs to show one.
const HEX_64 = /[0-9a-fA-F]{64}/g;

export interface OrderIds {
  orderId: string;
  orderLineId?: string;
}

function id(field: keyof OrderIds, value: unknown): string {
  if (typeof value !== 'string' || !ORDER_ID.test(value)) {
    throw new KbError('invalid_parameter', `${field}: must be 1 to 128 printable ASCII characters without spaces`, { details: { field } });
  }
  return value;
}

/** The ids to ask for, checked: they become a query string. */
export function readOrderIds(p: { orderId: string; orderLineId?: string | undefined }): OrderIds {
  const orderId = id('orderId', p.orderId);
  return p.orderLineId === undefined ? { orderId } : { orderId, orderLineId: id('orderLineId', p.orderLineId) };
}

/** resultMsg fit for a message: short, one line, no credential in it. */
export function safeResultMsg(text: string, secrets: readonly string[]): string {
  let out = text.replace(CONTROL, ' ').replace(HEX_64, '[redacted]');
  for (const secret of secrets) if (secret !== '') out = out.split(secret).join('[redacted]');
  out = out.trim();
  return out.length > MAX_RESULT_MSG ? `${out.slice(0, MAX_RESULT_MSG)}…` : out;
}

/** The message and details of an answer whose resultCode is not 000000. */
export function refusalMessage(
  answer: { resultCode: string; resultMsg: string },
  orderId: string,
  secrets: readonly string[],
): { message: string; resultCode: string; resultMsg: string } {
  const resultCode = RESULT_CODE.test(answer.resultCode) ? answer.resultCode : 'unrecognized';
  const resultMsg = safeResultMsg(answer.resultMsg, secrets);
  const message = `KooGallery order query refused order ${orderId}: resultCode ${resultCode}${resultMsg === '' ? '' : ` (${resultMsg})`}`;
  return { message, resultCode, resultMsg };
}
