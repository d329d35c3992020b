/** Shared helpers for the basic (instance-lifecycle) schema tests. */
import { expect } from 'vitest';
import { parseBasicBody } from '../../../src/koogallery/schemas-basic.js';

/**
 * Expects `invalid_parameter` naming `field` both in the message prefix and in details.field;
 * returns the message for further checks.
 */
export function refusedBasic(body: unknown, field: string, message?: RegExp | string): string {
  try {
    parseBasicBody(body);
  } catch (err) {
    expect(err).toMatchObject({ code: 'invalid_parameter', details: { field } });
    const text = (err as Error).message;
    expect(text.startsWith(`${field}: `), text).toBe(true);
    if (message !== undefined) expect(text).toMatch(message);
    return text;
  }
  throw new Error(`expected the basic body to be refused on ${field}`);
}
