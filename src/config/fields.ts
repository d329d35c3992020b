/**
 * How one setting is written: the small zod parsers the variable schema is made of. Every input is
 * a string (the environment's type); each parser says what it accepts in its message.
 */
import { z } from 'zod';

/** `1`, `true`, `yes`, `on` are true; `0`, `false`, `no`, `off` and empty are false. */
export const flag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', 'on', 'off', ''])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

/** A number of bytes, optionally with `kb` or `mb`. */
export const byteSize = z
  .string()
  .regex(/^\d+\s*(b|kb|mb)?$/i, 'must be a number of bytes, optionally with kb or mb')
  .transform((v) => {
    const m = /^(\d+)\s*(b|kb|mb)?$/i.exec(v)!;
    const unit = (m[2] ?? 'b').toLowerCase();
    return Number(m[1]) * (unit === 'mb' ? 1024 * 1024 : unit === 'kb' ? 1024 : 1);
  })
  .pipe(z.number().int().min(1024, 'must be at least 1kb').max(64 * 1024 * 1024, 'must be at most 64mb'));

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration in milliseconds, written as a number of seconds or a number with ms, s, m, h or d. */
export const duration = (minMs: number, maxMs: number) =>
  z
    .string()
    .regex(/^\d+\s*(ms|s|m|h|d)?$/i, 'must be a duration such as 90s, 30m, 12h (a bare number is seconds)')
    .transform((v) => {
      const m = /^(\d+)\s*(ms|s|m|h|d)?$/i.exec(v)!;
      return Number(m[1]) * DURATION_UNITS_MS[(m[2] ?? 's').toLowerCase()]!;
    })
    .pipe(z.number().min(minMs, `must be at least ${minMs / 1000} s`).max(maxMs, maxMs < 86_400_000 ? `must be at most ${maxMs / 1000} s` : `must be at most ${maxMs / 86_400_000} days`));

/** Trimmed; empty means unset, so `FOO=` in an env file is the same as no FOO at all. */
export const optionalString = z
  .string()
  .transform((v) => v.trim())
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** An absolute http(s) URL. */
export const httpUrl = () => z.url({ protocol: /^https?$/, message: 'must be an absolute http(s) URL' });

/** A comma-separated list; blanks around and between items are dropped. */
export const commaList = (v: string): string[] =>
  v
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** One rate limit: `<hits>/<window>` (`10000/1m`: 10,000 per minute), or `0` for none (null). */
export const rateLimit = z
  .string()
  .trim()
  .regex(/^(0|[1-9]\d{0,8}\s*\/\s*\d+\s*(s|m|h)?)$/i, 'must be hits per window such as 600/1m (windows in s, m or h), or 0 for no limit')
  .transform((v, ctx) => {
    if (v === '0') return null;
    const m = /^(\d+)\s*\/\s*(\d+)\s*(s|m|h)?$/i.exec(v)!;
    const windowMs = Number(m[2]) * DURATION_UNITS_MS[(m[3] ?? 's').toLowerCase()]!;
    // The counters count whole seconds; a day bounds how long a key lives in the store.
    if (windowMs < 1000 || windowMs > 86_400_000) ctx.addIssue({ code: 'custom', message: 'the window must be from 1 s to 24 h' });
    return { points: Number(m[1]), windowMs };
  });
