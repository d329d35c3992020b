/**
 * Encryption at rest for the few secrets the directory must keep (app clientSecrets).
 *
 * AES-256-GCM with a fresh random 96-bit IV per seal (the size GCM is designed for). The first key
 * seals, every key opens, so keys rotate by prepending a new one and dropping the old one once
 * nothing sealed with it remains. A sealed value reads
 *
 *   v1.<keyId>.<iv>.<ciphertext>.<tag>        (each part base64url)
 *
 * where keyId is the first 8 bytes of SHA-256(key): `open` finds its key without trying them all,
 * and the id reveals nothing usable about the key. The caller's `aad` (e.g.
 * `tenant:acme:app:123:clientSecret`) is authenticated but not stored, so a ciphertext copied to
 * another record fails to open.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { KbError } from '../shared/errors.js';

export interface SecretBox {
  seal(plaintext: string, aad: string): string;
  open(sealed: string, aad: string): string;
}

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

const STANDARD_OR_URL_BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

const undecryptable = () => new KbError('internal', 'stored secret could not be decrypted (unknown key or tampered)');

function decodeKey(text: string, index: number): Buffer {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  // Buffer.from(…, 'base64') skips characters it does not know; check the alphabet first.
  const key = STANDARD_OR_URL_BASE64.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  if (key.length !== KEY_BYTES) {
    throw new KbError('config_invalid', `SECRET_KEYS: key #${index + 1} is not 32 bytes of Base64 (make one with: openssl rand -base64 32)`);
  }
  return key;
}

const keyIdOf = (key: Buffer) => createHash('sha256').update(key).digest().subarray(0, 8).toString('base64url');

function decodePart(text: string, bytes?: number): Buffer {
  if (!BASE64URL.test(text)) throw undecryptable();
  const buf = Buffer.from(text, 'base64url');
  if (bytes !== undefined && buf.length !== bytes) throw undecryptable();
  return buf;
}

export function createSecretBox(keysBase64: string[]): SecretBox {
  if (!Array.isArray(keysBase64) || keysBase64.length === 0) {
    throw new KbError('config_invalid', 'SECRET_KEYS: at least one key is required');
  }
  const keys = keysBase64.map((text, i) => {
    const key = decodeKey(text, i);
    return { id: keyIdOf(key), key };
  });
  const sealing = keys[0]!;
  // First occurrence wins if a key is listed twice.
  const byId = new Map<string, Buffer>();
  for (const { id, key } of keys) if (!byId.has(id)) byId.set(id, key);

  return {
    seal(plaintext, aad) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', sealing.key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, sealing.id, iv.toString('base64url'), ciphertext.toString('base64url'), tag.toString('base64url')].join('.');
    },

    open(sealed, aad) {
      const parts = typeof sealed === 'string' ? sealed.split('.') : [];
      if (parts.length !== 5 || parts[0] !== VERSION) throw undecryptable();
      const [, id, ivText, ctText, tagText] = parts as [string, string, string, string, string];
      const key = byId.get(id);
      if (!key) throw undecryptable();
      const iv = decodePart(ivText, IV_BYTES);
      const ciphertext = decodePart(ctText);
      const tag = decodePart(tagText, TAG_BYTES);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(aad, 'utf8'));
        decipher.setAuthTag(tag);
        // final() throws on a wrong tag, so nothing is returned unless the whole text is authentic.
        const text = decipher.update(ciphertext, undefined, 'utf8');
        return text + decipher.final('utf8');
      } catch {
        throw undecryptable();
      }
    },
  };
}
