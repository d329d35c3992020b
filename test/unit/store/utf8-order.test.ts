import { describe, expect, it } from 'vitest';
import { compareUtf8 } from '../../../src/store/utf8-order.js';

const bytewise = (a: string, b: string) => Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));

describe('compareUtf8', () => {
  it('orders like the UTF-8 bytes Redis compares, where JavaScript < would not', () => {
    // U+FF61 sorts before U+1F600 in UTF-8, but after its surrogate pair in UTF-16.
    expect('\uff61' < '😀').toBe(false);
    expect(Math.sign(compareUtf8('\uff61', '😀'))).toBe(-1);
  });

  it('agrees with Buffer.compare on a mixed sample', () => {
    const sample = ['', 'a', 'A', 'ab', 'a b', 'é', 'e\u0301', '日本', '😀', '\uffff', '\ue000', '\ud7ff', 'z', '~', '[', '(', '-', '+'];
    for (const a of sample) for (const b of sample) expect(Math.sign(compareUtf8(a, b))).toBe(bytewise(a, b));
  });
});
