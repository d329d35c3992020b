/** Shared helpers for the kit schema tests. */
import { expect } from 'vitest';
import { parseKitBody, type KitBodies, type KitInterface } from '../../../src/koogallery/schemas.js';

export const SECURE = { allowInsecureIdp: false };
export const INSECURE = { allowInsecureIdp: true };

/** Parses with the production options (insecure IdPs refused). */
export const parse = <N extends KitInterface>(name: N, body: unknown, opts = SECURE): KitBodies[N] => parseKitBody(name, body, opts);

/**
 * Expects `invalid_parameter` naming `field` both in the message prefix and in details.field;
 * returns the message for further checks.
 */
export function refused<N extends KitInterface>(name: N, body: unknown, field: string, message?: RegExp | string, opts = SECURE): string {
  return refusedBy(() => parseKitBody(name, body, opts), field, message, name);
}

/** The invalid_parameter refusal of any parse, checked to name `field` first; its message. */
export function refusedBy(parseIt: () => unknown, field: string, message: RegExp | string | undefined, what: string): string {
  try {
    parseIt();
  } catch (err) {
    expect(err).toMatchObject({ code: 'invalid_parameter', details: { field } });
    const text = (err as Error).message;
    expect(text.startsWith(`${field}: `), text).toBe(true);
    if (message !== undefined) expect(text).toMatch(message);
    return text;
  }
  throw new Error(`expected ${what} to be refused on ${field}`);
}
