import { randomBytes, type KeyObject } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { throwAwayPrivateKey } from '../../../src/config/dev-secrets.js';
import { loadConfig } from '../../../src/config/load.js';
import { generateRsaKeyPair, loadPrivateKey } from '../../../src/koogallery/rsa-keys.js';

const noFile = { exists: () => false };

// One real key for the file; the generator under test hands it out and counts its calls.
const key = loadPrivateKey(generateRsaKeyPair(3072).privateKeyPem);
const counting = () => vi.fn((): KeyObject => key);

describe('development secrets', () => {
  it('loading a configuration without a private key generates no RSA key', () => {
    const generateRsaKey = counting();
    const config = loadConfig({}, { ...noFile, generateRsaKey });
    expect(generateRsaKey).not.toHaveBeenCalled();
    // The warning is given at load all the same: the key the bridge will use is a throw-away one.
    expect(config.warnings.join('\n')).toMatch(/KOO_PRIVATE_KEY_FILE is not set: generated a throw-away RSA key/);
  });

  it('generates the throw-away key when it is first read, then keeps it', () => {
    const generateRsaKey = counting();
    const config = loadConfig({}, { ...noFile, generateRsaKey });
    expect(config.produce.privateKey).toBe(key);
    expect(config.produce.privateKey).toBe(key);
    expect(config.produce.privateKey).toBe(key);
    expect(generateRsaKey).toHaveBeenCalledTimes(1);
  });

  it('never generates one when the key is configured', () => {
    const generateRsaKey = counting();
    const pem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
    const config = loadConfig({ KOO_PRIVATE_KEY: pem }, { ...noFile, generateRsaKey });
    expect(config.produce.privateKey.type).toBe('private');
    expect(config.warnings.join('\n')).not.toMatch(/KOO_PRIVATE_KEY/);
    expect(generateRsaKey).not.toHaveBeenCalled();
  });

  it('by default the throw-away key is a fresh RSA key of the size KooGallery requires', () => {
    const made = throwAwayPrivateKey().value();
    expect(made.asymmetricKeyType).toBe('rsa');
    expect(made.asymmetricKeyDetails?.modulusLength).toBe(3072);
  });

  it('throw-away access and encryption keys are made at load, each with a warning that never holds it', () => {
    const config = loadConfig({}, noFile);
    expect(config.secrets.keys).toHaveLength(1);
    expect(Buffer.from(config.secrets.keys[0]!, 'base64')).toHaveLength(32);
    expect(config.produce.accessKey.length).toBeGreaterThanOrEqual(32);
    const warnings = config.warnings.join('\n');
    expect(warnings).toMatch(/SECRET_KEYS is not set/);
    expect(warnings).toMatch(/KOO_ACCESS_KEY is not set/);
    expect(warnings).not.toContain(config.secrets.keys[0]);
    expect(warnings).not.toContain(config.produce.accessKey);
  });

  it('no throw-away is made for a secret that is set', () => {
    const secret = randomBytes(32).toString('base64');
    const config = loadConfig({ SECRET_KEYS: secret, KOO_ACCESS_KEY: 'kit-key' }, noFile);
    expect(config.secrets.keys).toEqual([secret]);
    expect(config.produce.accessKey).toBe('kit-key');
    expect(config.warnings.join('\n')).not.toMatch(/SECRET_KEYS|KOO_ACCESS_KEY/);
  });
});
