/**
 * Request bodies for the simulator's few POST/PUT routes: forms (login pages, token endpoint) and
 * JSON (fault switches). Small and dependency-free; the cap keeps a stray upload from filling memory.
 */
import type { IncomingMessage } from 'node:http';

// A login form or a token request is a few hundred bytes.
const BODY_LIMIT = 64 * 1024;

export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) {
      req.resume();
      throw new BodyError(413, `request body exceeds ${BODY_LIMIT} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const mimeOf = (req: IncomingMessage): string => (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

/** A form-encoded body; the token endpoint, like an OAuth server, takes nothing else. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  if (mimeOf(req) !== 'application/x-www-form-urlencoded') {
    req.resume();
    throw new BodyError(415, 'Content-Type must be application/x-www-form-urlencoded');
  }
  return new URLSearchParams(await readText(req));
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  if (mimeOf(req) !== 'application/json') {
    req.resume();
    throw new BodyError(415, 'Content-Type must be application/json');
  }
  try {
    return JSON.parse(await readText(req));
  } catch (err) {
    if (err instanceof BodyError) throw err;
    throw new BodyError(400, 'body is not valid JSON');
  }
}
