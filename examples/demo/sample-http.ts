/**
 * The two request helpers the demo's sample pages share (node:http, no framework: the sample app
 * shows what an app needs, nothing more).
 */
import type { IncomingMessage } from 'node:http';

// A form or a logout message is small (a logout token is about 1 KB, a CAS LogoutRequest less).
const MAX_FORM_BYTES = 16 * 1024;

export function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > MAX_FORM_BYTES) throw new Error('request body too large');
  }
  return body;
}
