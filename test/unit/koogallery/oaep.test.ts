import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { emeOaepDecode, mgf1 } from '../../../src/koogallery/oaep.js';
import { oaepEncode } from './oaep-encoder.js';

const K = 384; // a 3072-bit modulus
const MESSAGE = Buffer.from('s3cr3t-秘密', 'utf8');

describe('MGF1', () => {
  it('is Hash(seed || counter) blocks, cut to length', () => {
    const seed = Buffer.from('seed');
    const block = (i: number) => createHash('sha1').update(Buffer.concat([seed, Buffer.from([0, 0, 0, i])])).digest();
    expect(mgf1(seed, 45, 'sha1')).toEqual(Buffer.concat([block(0), block(1), block(2)]).subarray(0, 45));
    expect(mgf1(seed, 0, 'sha256')).toHaveLength(0);
  });
});

describe('EME-OAEP decoding', () => {
  it.each([
    ['sha256', 'sha1'],
    ['sha256', 'sha256'],
    ['sha1', 'sha1'],
    ['sha1', 'sha256'],
  ] as const)('recovers the message with label hash %s and MGF1-%s', (labelHash, mgfHash) => {
    expect(emeOaepDecode(oaepEncode(MESSAGE, K, labelHash, mgfHash), labelHash, mgfHash)).toEqual(MESSAGE);
  });

  it('recovers an empty message and a maximal one', () => {
    expect(emeOaepDecode(oaepEncode(Buffer.alloc(0), K, 'sha256', 'sha1'), 'sha256', 'sha1')).toHaveLength(0);
    const longest = Buffer.alloc(K - 2 * 32 - 2, 0x41);
    expect(emeOaepDecode(oaepEncode(longest, K, 'sha256', 'sha1'), 'sha256', 'sha1')).toEqual(longest);
  });

  it('refuses the wrong MGF1 hash', () => {
    expect(() => emeOaepDecode(oaepEncode(MESSAGE, K, 'sha256', 'sha256'), 'sha256', 'sha1')).toThrow('decryption error');
  });

  it('refuses a non-zero first byte', () => {
    const em = oaepEncode(MESSAGE, K, 'sha256', 'sha1');
    em[0] = 1;
    expect(() => emeOaepDecode(em, 'sha256', 'sha1')).toThrow('decryption error');
  });

  it('refuses a wrong label hash', () => {
    const em = oaepEncode(MESSAGE, K, 'sha256', 'sha1', (db) => void (db[5] = db[5]! ^ 0xff));
    expect(() => emeOaepDecode(em, 'sha256', 'sha1')).toThrow('decryption error');
  });

  it('refuses a separator other than 0x01', () => {
    const em = oaepEncode(MESSAGE, K, 'sha256', 'sha1', (db) => void (db[db.length - MESSAGE.length - 1] = 0x02));
    expect(() => emeOaepDecode(em, 'sha256', 'sha1')).toThrow('decryption error');
  });

  it('refuses a block with no separator at all', () => {
    const em = oaepEncode(Buffer.alloc(0), K, 'sha256', 'sha1', (db) => void (db[db.length - 1] = 0));
    expect(() => emeOaepDecode(em, 'sha256', 'sha1')).toThrow('decryption error');
  });

  it('refuses a block too short for the hash', () => {
    expect(() => emeOaepDecode(Buffer.alloc(65), 'sha256', 'sha1')).toThrow('decryption error');
  });

  it('gives the same error, whatever is wrong', () => {
    const messages = new Set<string>();
    const cases = [Buffer.alloc(K), Buffer.alloc(K, 0xff), oaepEncode(MESSAGE, K, 'sha1', 'sha1')];
    for (const em of cases) {
      try {
        emeOaepDecode(em, 'sha256', 'sha1');
      } catch (err) {
        messages.add((err as Error).message);
      }
    }
    expect([...messages]).toEqual(['decryption error']);
  });
});
