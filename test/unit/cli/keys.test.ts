import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { shortKeyPair, testKeyPair } from '../../support/keys.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) }, out, err };
}

describe('koobridge keys', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'koobridge-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A key file already in place (the run's pair: only `generate` needs to make one). */
  const existingKey = (pem = testKeyPair().privateKeyPem): string => {
    const file = join(dir, 'existing.pem');
    writeFileSync(file, pem, { mode: 0o600 });
    return file;
  };

  it('generate writes a 3072-bit private key readable only by its owner and prints the public key', async () => {
    const keyFile = join(dir, 'koo.pem');
    const t = io();
    expect(await runCli(['keys', 'generate', '--out', keyFile], {}, t.io)).toBe(0);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const pub = createPublicKey(t.out.join(''));
    expect(pub.asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect(t.out.join('')).not.toContain('PRIVATE');
  });

  it('generate refuses to overwrite an existing key without --force', async () => {
    const keyFile = existingKey();
    const t = io();
    expect(await runCli(['keys', 'generate', '--out', keyFile], {}, t.io)).toBe(1);
    expect(t.err.join('')).toContain('already exists');
    expect(readFileSync(keyFile, 'utf8')).toBe(testKeyPair().privateKeyPem);
  });

  it('public prints the same public key from --key or KOO_PRIVATE_KEY_FILE', async () => {
    const keyFile = existingKey();
    const a = io();
    const b = io();
    expect(await runCli(['keys', 'public', '--key', keyFile], {}, a.io)).toBe(0);
    expect(await runCli(['keys', 'public'], { KOO_PRIVATE_KEY_FILE: keyFile }, b.io)).toBe(0);
    expect(a.out.join('')).toBe(testKeyPair().publicKeyPem);
    expect(b.out.join('')).toBe(a.out.join(''));
  });

  it('public without a key says how to give one', async () => {
    const t = io();
    expect(await runCli(['keys', 'public'], {}, t.io)).toBe(1);
    expect(t.err.join('')).toContain('--key FILE');
  });

  it('public refuses a key under 3072 bits', async () => {
    const small = existingKey(shortKeyPair().privateKeyPem);
    const t = io();
    expect(await runCli(['keys', 'public', '--key', small], {}, t.io)).toBe(1);
    expect(t.err.join('')).toContain('3072');
  });

  it('an unknown command prints the usage and exits 2', async () => {
    const t = io();
    expect(await runCli(['keys', 'destroy'], {}, t.io)).toBe(2);
    expect(t.err.join('')).toContain('usage:');
  });
});
