/**
 * Throw-away secrets for what was left unset outside production (production refuses to start
 * without them), so `npm start` works on a fresh clone. Each comes with the warning that says so;
 * no warning ever holds the value.
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import { generateRsaKeyPair, loadPrivateKey, MIN_RSA_BITS } from '../koogallery/rsa-keys.js';

export interface ThrowAway<T> {
  value: T;
  warning: string;
}

export function throwAwayAccessKey(): ThrowAway<string> {
  return {
    value: randomBytes(24).toString('base64url'),
    warning: 'KOO_ACCESS_KEY is not set: generated a throw-away key, so no real KooGallery call will verify. Set it from 卖家中心 › 应用工具 › 密钥管理.',
  };
}

export function throwAwaySecretKeys(): ThrowAway<string[]> {
  return {
    value: [randomBytes(32).toString('base64')],
    warning: 'SECRET_KEYS is not set: generated a throw-away key; secrets stored now cannot be read after a restart.',
  };
}

/** A fresh RSA key of the size KooGallery requires; generating one costs up to a second. */
export const generateThrowAwayRsaKey = (): KeyObject => loadPrivateKey(generateRsaKeyPair(MIN_RSA_BITS).privateKeyPem);

/**
 * The throw-away RSA key, made the first time something reads it (then kept), not while loading:
 * a process that never decrypts a clientSecret never pays for one.
 */
export function throwAwayPrivateKey(generate: () => KeyObject = generateThrowAwayRsaKey): ThrowAway<() => KeyObject> {
  let key: KeyObject | undefined;
  return {
    value: () => (key ??= generate()),
    warning: 'KOO_PRIVATE_KEY_FILE is not set: generated a throw-away RSA key; clientSecrets encrypted for your real key will not decrypt. Create one with `npx koobridge keys generate`.',
  };
}
