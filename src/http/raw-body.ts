import type { IncomingMessage } from 'node:http';
import { KbError } from '../shared/errors.js';

/**
 * How long a body may take to arrive once its headers are in. KooGallery's bodies are a few KB
 * (at most PRODUCE_BODY_LIMIT, 4 MiB by default) sent in one go; 10 s is ample even for the largest
 * on a slow link, and it keeps a client that trickles a byte at a time from holding a request (and
 * its socket) open for minutes.
 */
export const BODY_READ_TIMEOUT_MS = 10_000;

/** The body did not arrive in full within its deadline; the connection should be closed after the answer. */
export class BodyTimeoutError extends KbError {
  constructor(timeoutMs: number) {
    super('invalid_json', `request body not received in time (within ${formatMs(timeoutMs)})`);
  }
}

/**
 * The checks on a JSON request that need only its headers: content type application/json, charset
 * utf-8 if given, a declared Content-Length within `limit`. Reads nothing: a refused request's body
 * is discarded unread by Node after the answer.
 */
export function checkJsonRequestHeaders(req: IncomingMessage, limit: number): void {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  const [mime, ...params] = type.split(';').map((p) => p.trim());
  if (mime !== 'application/json') {
    throw new KbError('unsupported_media_type', `Content-Type must be application/json (got ${mime ? JSON.stringify(mime.slice(0, 60)) : 'none'})`);
  }
  const charset = params.find((p) => p.startsWith('charset='))?.slice(8).replace(/"/g, '');
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    throw new KbError('unsupported_media_type', `charset must be utf-8 (got ${JSON.stringify(charset.slice(0, 30))})`);
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    throw new KbError('payload_too_large', `request body exceeds the ${limit}-byte limit`);
  }
}

export interface ReadOptions {
  /** The whole body must have arrived within this many ms of the read starting (BODY_READ_TIMEOUT_MS). */
  timeoutMs?: number;
}

/**
 * Reads a JSON request body as text, refusing a wrong content type, a non-UTF-8 charset, anything
 * over `limit` bytes (the stream is drained, not buffered, past the limit) and a body that does
 * not arrive in full within the deadline (BodyTimeoutError). Signature checks need the exact text,
 * so no body parser runs before this.
 */
export async function readJsonText(req: IncomingMessage, limit: number, opts: ReadOptions = {}): Promise<string> {
  try {
    checkJsonRequestHeaders(req, limit);
  } catch (err) {
    drain(req);
    throw err;
  }
  const bytes = await readBounded(req, limit, opts.timeoutMs ?? BODY_READ_TIMEOUT_MS);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new KbError('invalid_json', 'request body is not valid UTF-8');
  }
}

function readBounded(req: IncomingMessage, limit: number, timeoutMs: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    };
    const finish = (outcome: () => void) => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      outcome();
    };
    const onEnd = () =>
      finish(() => (tooLarge ? reject(new KbError('payload_too_large', `request body exceeds the ${limit}-byte limit`)) : resolve(Buffer.concat(chunks))));
    const onError = (err: Error) => finish(() => reject(new KbError('invalid_json', 'request body could not be read', { cause: err })));
    const onAborted = () => finish(() => reject(new KbError('invalid_json', 'request body could not be read: the client went away')));
    const timer = setTimeout(() => {
      finish(() => reject(new BodyTimeoutError(timeoutMs)));
      // Stop buffering; whatever else arrives is discarded until the connection closes.
      chunks.length = 0;
      req.resume();
    }, timeoutMs);
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
    req.once('aborted', onAborted);
  });
}

function drain(req: IncomingMessage): void {
  req.resume();
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

// A browser form of ours (consent, confirmation) is a token, a decision and a URL: a few hundred bytes.
const SMALL_FORM_LIMIT = 4096;

/** Reads a small urlencoded form a page of ours posts; anything larger is not one of ours. */
export async function readSmallForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > SMALL_FORM_LIMIT) throw new KbError('payload_too_large', 'form too large');
  }
  return new URLSearchParams(body);
}
