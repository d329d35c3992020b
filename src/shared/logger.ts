/**
 * Structured JSON logs (pino). One root logger; each request logs through a child carrying its
 * request id. Redaction is a second line of defence: code never passes secrets to a log call,
 * and these paths are censored should one slip into an object anyway.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

const SECRET_FIELDS = [
  'clientSecret',
  'client_secret',
  'secret',
  'password',
  'accessKey',
  'access_token',
  'refresh_token',
  'id_token',
  'code',
  'ticket',
  'token',
  'authorization',
  'cookie',
];

export const REDACT_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-sign"]',
  'res.headers["set-cookie"]',
];

export function createLogger(opts: { level: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      level: opts.level,
      base: { service: 'koobridge' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    opts.destination,
  );
}
