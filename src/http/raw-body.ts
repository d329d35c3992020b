import type { IncomingMessage } from 'node:http';
import { KbError } from '../shared/errors.js';

/**
 * Reads a JSON request body as text, refusing a wrong content type, a non-UTF-8 charset, and
 * anything over `limit` bytes (the stream is drained, not buffered, past the limit).
 * Signature checks need the exact text, so no body parser runs before this.
 */
export async function readJsonText(req: IncomingMessage, limit: number): Promise<string> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  const [mime, ...params] = type.split(';').map((p) => p.trim());
  if (mime !== 'application/json') {
    drain(req);
    throw new KbError('unsupported_media_type', `Content-Type must be application/json (got ${mime ? JSON.stringify(mime.slice(0, 60)) : 'none'})`);
  }
  const charset = params.find((p) => p.startsWith('charset='))?.slice(8).replace(/"/g, '');
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    drain(req);
    throw new KbError('unsupported_media_type', `charset must be utf-8 (got ${JSON.stringify(charset.slice(0, 30))})`);
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    drain(req);
    throw new KbError('payload_too_large', `request body exceeds the ${limit}-byte limit`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) tooLarge = true;
    if (!tooLarge) chunks.push(chunk as Buffer);
  }
  if (tooLarge) throw new KbError('payload_too_large', `request body exceeds the ${limit}-byte limit`);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(Buffer.concat(chunks));
  } catch {
    throw new KbError('invalid_json', 'request body is not valid UTF-8');
  }
}

function drain(req: IncomingMessage): void {
  req.resume();
}
