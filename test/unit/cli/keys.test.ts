import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) }, out, err };
}

describe('koobridge keys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'koobridge-cli-'));
  const keyFile = join(dir, 'koo.pem');

  it('generate writes a 3072-bit private key readable only by its owner and prints the public key', async () => {
    const t = io();
    expect(await runCli(['keys', 'generate', '--out', keyFile], {}, t.io)).toBe(0);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const pub = createPublicKey(t.out.join(''));
    expect(pub.asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect(t.out.join('')).not.toContain('PRIVATE');
  });

  it('generate refuses to overwrite an existing key without --force', async () => {
    const t = io();
    expect(await runCli(['keys', 'generate', '--out', keyFile], {}, t.io)).toBe(1);
    expect(t.err.join('')).toContain('already exists');
  });

  it('public prints the same public key from --key or KOO_PRIVATE_KEY_FILE', async () => {
    const a = io();
    const b = io();
    expect(await runCli(['keys', 'public', '--key', keyFile], {}, a.io)).toBe(0);
    expect(await runCli(['keys', 'public'], { KOO_PRIVATE_KEY_FILE: keyFile }, b.io)).toBe(0);
    expect(a.out.join('')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(b.out.join('')).toBe(a.out.join(''));
  });

  it('public without a key says how to give one', async () => {
    const t = io();
    expect(await runCli(['keys', 'public'], {}, t.io)).toBe(1);
    expect(t.err.join('')).toContain('--key FILE');
  });

  it('public refuses a key under 3072 bits', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const small = join(dir, 'small.pem');
    writeFileSync(small, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
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
