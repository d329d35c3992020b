/** Shared helpers for the basic (instance-lifecycle) schema tests. */
import { parseBasicBody } from '../../../src/koogallery/schemas-basic.js';
import { refusedBy } from './schema-helpers.js';

/**
 * Expects `invalid_parameter` naming `field` both in the message prefix and in details.field;
 * returns the message for further checks.
 */
export function refusedBasic(body: unknown, field: string, message?: RegExp | string): string {
  return refusedBy(() => parseBasicBody(body), field, message, 'the basic body');
}
