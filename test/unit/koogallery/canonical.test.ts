import { describe, expect, it } from 'vitest';
import { canonicalPayloads, parseJsonObject } from '../../../src/koogallery/canonical.js';
import { isKbError } from '../../../src/shared/errors.js';

describe('parseJsonObject', () => {
  it('returns the parsed object', () => {
    expect(parseJsonObject('{"a":1}')).toEqual({ a: 1 });
  });

  it.each(['', '{', '{"a":}', 'nope'])('refuses text that is not JSON (%j) with invalid_json', (raw) => {
    expect(() => parseJsonObject(raw)).toThrow(expect.objectContaining({ code: 'invalid_json', message: 'request body is not valid JSON' }));
  });

  it.each(['[]', '[{"a":1}]', 'null', '1', '"{}"', 'true'])('refuses JSON whose top level is not an object (%s)', (raw) => {
    expect(() => parseJsonObject(raw)).toThrow(expect.objectContaining({ code: 'invalid_json', message: 'request body must be a JSON object' }));
  });
});

describe('canonical payload (spec §2)', () => {
  it('sorts top-level keys, drops nulls and serializes compactly', () => {
    expect(canonicalPayloads('{ "b": 1, "a": "x", "c": null }')).toEqual(['{"a":"x","b":1}']);
  });

  it('sorts by UTF-16 code unit, as Java does (upper case before lower case, digits first)', () => {
    expect(canonicalPayloads('{"b":1,"B":2,"1":3,"_":4}')).toEqual(['{"1":3,"B":2,"_":4,"b":1}']);
  });

  it('does not escape non-ASCII characters', () => {
    expect(canonicalPayloads('{"name":"华为 Café"}')).toEqual(['{"name":"华为 Café"}']);
  });

  it('keeps nested objects in the order received and nested nulls in place', () => {
    expect(canonicalPayloads('{"list":[{"z":1,"a":null}],"obj":{"y":2,"x":1}}')).toEqual(['{"list":[{"z":1,"a":null}],"obj":{"y":2,"x":1}}']);
  });

  it('gives an empty object for a body with only nulls', () => {
    expect(canonicalPayloads('{"a":null}')).toEqual(['{}']);
    expect(canonicalPayloads(' {  } ')).toEqual(['{}']);
  });

  it('keeps the last value of a repeated key, as JSON.parse does', () => {
    expect(canonicalPayloads('{"a":1,"b":2,"a":3}')).toEqual(['{"a":3,"b":2}']);
    expect(canonicalPayloads('{"a":1,"a":null}')).toEqual(['{}']);
  });

  it('adds the raw-slice form when the received spelling differs from the re-serialized one', () => {
    expect(canonicalPayloads('{"x":1.0,"a":"\\u4e2d\\/"}')).toEqual(['{"a":"中/","x":1}', '{"a":"\\u4e2d\\/","x":1.0}']);
  });

  it('keeps big integers digit for digit in the raw-slice form', () => {
    expect(canonicalPayloads('{"n":12345678901234567890}')).toEqual(['{"n":12345678901234567000}', '{"n":12345678901234567890}']);
  });

  it('keeps whitespace inside nested values in the raw-slice form but trims it around values', () => {
    expect(canonicalPayloads('{ "o" :\n { "k" : [ 1 , 2 ] } \t}')).toEqual(['{"o":{"k":[1,2]}}', '{"o":{ "k" : [ 1 , 2 ] }}']);
  });

  it('keeps nested integer-like keys in the received order in the raw-slice form', () => {
    // JavaScript objects put integer-like keys first, so only the raw slice keeps the sender's order.
    expect(canonicalPayloads('{"o":{"b":1,"1":2}}')).toEqual(['{"o":{"1":2,"b":1}}', '{"o":{"b":1,"1":2}}']);
  });

  it('copes with escaped quotes, backslashes and brackets inside strings', () => {
    const raw = '{"s":"a\\"}],{\\\\","t":["]",{"u":"\\\\\\""}]}';
    const payloads = canonicalPayloads(raw);
    expect(payloads).toHaveLength(1);
    expect(JSON.parse(payloads[0]!)).toEqual(JSON.parse(raw));
  });

  it('refuses a body that is not a JSON object', () => {
    expect(() => canonicalPayloads('[1]')).toThrow(expect.objectContaining({ code: 'invalid_json' }));
    expect(() => canonicalPayloads('{')).toThrow(expect.objectContaining({ code: 'invalid_json' }));
  });
});

describe('raw-slice scanner, fuzzed against JSON.parse', () => {
  // A small seeded PRNG (mulberry32) so a failure can be replayed.
  function rng(seed: number) {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  const CHARS = ['a', 'Z', '0', ' ', '"', '\\', '/', '{', '}', '[', ']', ',', ':', '中', 'é', '😀', '\n', '\t', '\u0001', '\u2028'];

  function generator(seed: number) {
    const r = rng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const ws = () => pick(['', '', ' ', '\n  ', '\t', '\r\n']);

    // A string literal with a random choice of escape spellings for each character.
    function stringText(): string {
      let out = '"';
      const n = Math.floor(r() * 6);
      for (let i = 0; i < n; i += 1) {
        const c = pick(CHARS);
        const code = c.charCodeAt(0);
        if (c === '"' || c === '\\') out += '\\' + c;
        else if (c === '/' && r() < 0.5) out += '\\/';
        else if (c === '\n') out += pick(['\\n', '\\u000a', '\\u000A']);
        else if (c === '\t') out += '\\t';
        else if (code < 0x20) out += '\\u' + code.toString(16).padStart(4, '0');
        else if (r() < 0.2) out += [...c].map((u) => '\\u' + u.charCodeAt(0).toString(16).padStart(4, '0')).join('');
        else out += c;
      }
      return out + '"';
    }

    function valueText(depth: number): string {
      const kind = depth > 3 ? pick(['s', 'n', 'l']) : pick(['s', 'n', 'l', 'o', 'a']);
      switch (kind) {
        case 's':
          return stringText();
        case 'n':
          return pick(['0', '-0', '1.0', '1e3', '-12.50', '12345678901234567890', '3.14159', '2E-3', String(Math.floor(r() * 1000))]);
        case 'l':
          return pick(['true', 'false', 'null']);
        case 'o': {
          const n = Math.floor(r() * 4);
          const members = Array.from({ length: n }, () => `${ws()}${stringText()}${ws()}:${ws()}${valueText(depth + 1)}${ws()}`);
          return `{${members.join(',') || ws()}}`;
        }
        default: {
          const n = Math.floor(r() * 4);
          const items = Array.from({ length: n }, () => `${ws()}${valueText(depth + 1)}${ws()}`);
          return `[${items.join(',') || ws()}]`;
        }
      }
    }

    /** A body plus the raw-slice payload expected for it, built independently of the scanner. */
    return (): { raw: string; expected: string } => {
      const n = Math.floor(r() * 6);
      const members: { keyText: string; valueText: string }[] = [];
      for (let i = 0; i < n; i += 1) {
        // Reuse an earlier key now and then to exercise "last one wins".
        const keyText = members.length > 0 && r() < 0.2 ? pick(members).keyText : stringText();
        members.push({ keyText, valueText: valueText(0) });
      }
      const raw = `${ws()}{${members.map((m) => `${ws()}${m.keyText}${ws()}:${ws()}${m.valueText}${ws()}`).join(',') || ws()}}${ws()}`;
      const last = new Map<string, { keyText: string; valueText: string }>();
      for (const m of members) last.set(JSON.parse(m.keyText) as string, m);
      const kept = [...last.entries()].filter(([, m]) => m.valueText !== 'null').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return { raw, expected: `{${kept.map(([, m]) => `${m.keyText}:${m.valueText}`).join(',')}}` };
    };
  }

  it('finds every top-level value byte for byte in 3000 random bodies', () => {
    const next = generator(20240601);
    for (let i = 0; i < 3000; i += 1) {
      const { raw, expected } = next();
      const payloads = canonicalPayloads(raw);
      expect(payloads.at(-1), raw).toBe(expected);
      // Every candidate means the same thing as the body, minus its top-level nulls.
      const parsed = JSON.parse(raw) as Record<string, unknown>;
      const meaning = JSON.stringify(Object.fromEntries(Object.entries(parsed).filter(([, v]) => v !== null).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
      // Compared as JSON text, which also equates -0 with 0 as a JSON reader does.
      for (const p of payloads) expect(JSON.stringify(JSON.parse(p)), raw).toBe(meaning);
      expect(new Set(payloads).size).toBe(payloads.length);
    }
  });

  it('never throws anything but invalid_json on arbitrary text', () => {
    const r = rng(7);
    const alphabet = ['{', '}', '[', ']', '"', '\\', ':', ',', ' ', 'a', '1', 'null', 'true', '"k"'];
    for (let i = 0; i < 3000; i += 1) {
      const raw = Array.from({ length: Math.floor(r() * 12) }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
      try {
        canonicalPayloads(raw);
      } catch (err) {
        expect(isKbError(err, 'invalid_json'), raw).toBe(true);
      }
    }
  });
});
