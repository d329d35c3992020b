/**
 * A TCP proxy in front of the real redis-server that injects the store faults deprovisioning must
 * survive: answers that stall, connections that drop, and a named command the server refuses.
 * Tests point a Redis store at `proxy.url`; every connection (the subscriber's too) goes through it.
 *
 * - `deny(match)`: every command matching is replaced, on its way to Redis, by a script that fails
 *   with `NOPERM` (as an ACL would), so replies keep their order on a pipelined connection.
 * - `stallRequests(match)`: the first matching command, and everything after it on that connection,
 *   is held back until `release()`: the client times out, Redis applies the command later.
 * - `stallAnswers(match?)`: Redis runs every command at once; its answers are held back until
 *   `release()`, from now on or from the first matching command on (the command is applied, the
 *   client never hears so in time).
 * - `drop()`: destroys every open connection (the client reconnects through the proxy).
 */
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A command name (case-insensitive), or a predicate over its arguments (name first). */
export type CommandMatch = string | ((args: string[]) => boolean);

export interface FaultProxy {
  url: string;
  deny(match: CommandMatch): void;
  stallRequests(match: CommandMatch): void;
  stallAnswers(match?: CommandMatch): void;
  /** Ends every stall and delivers what was held, in order. */
  release(): void;
  /** Lifts denials and stalls. */
  heal(): void;
  drop(): void;
  /** How many commands were denied so far. */
  readonly denied: number;
  close(): Promise<void>;
}

const matches = (match: CommandMatch, args: string[]) => (typeof match === 'string' ? args[0]?.toLowerCase() === match.toLowerCase() : match(args));

/** One RESP request (an array of bulk strings) at the start of `buf`: its arguments and length, or null if incomplete. */
function parseRequest(buf: Buffer): { args: string[]; length: number } | null {
  if (buf.length === 0) return null;
  if (buf[0] !== 0x2a) {
    // An inline command (redis-cli style): one line.
    const end = buf.indexOf('\r\n');
    return end < 0 ? null : { args: buf.subarray(0, end).toString().split(' '), length: end + 2 };
  }
  let pos = buf.indexOf('\r\n');
  if (pos < 0) return null;
  const count = Number(buf.subarray(1, pos).toString());
  pos += 2;
  const args: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const end = buf.indexOf('\r\n', pos);
    if (end < 0) return null;
    const len = Number(buf.subarray(pos + 1, end).toString());
    if (buf.length < end + 2 + len + 2) return null;
    args.push(buf.subarray(end + 2, end + 2 + len).toString());
    pos = end + 2 + len + 2;
  }
  return { args, length: pos };
}

const resp = (args: string[]) => Buffer.from(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const { hostname, port } = new URL(target);
  const denials: CommandMatch[] = [];
  const requestStalls: CommandMatch[] = [];
  const answerStalls: CommandMatch[] = [];
  let answersStalled = false;
  let denied = 0;
  const links = new Set<{ client: Socket; server: Socket; flush(): void }>();

  const proxy = createServer((client) => {
    const server = connect(Number(port), hostname);
    let pending = Buffer.alloc(0);
    let heldRequests: Buffer[] | null = null; // non-null while this connection's requests are stalled
    const heldAnswers: Buffer[] = [];
    let subscribed = false;

    const send = (chunk: Buffer) => {
      if (heldRequests) heldRequests.push(chunk);
      else server.write(chunk);
    };
    client.on('data', (data: Buffer) => {
      if (subscribed) return void send(data);
      pending = Buffer.concat([pending, data]);
      for (let req = parseRequest(pending); req; req = parseRequest(pending)) {
        const raw = pending.subarray(0, req.length);
        pending = pending.subarray(req.length);
        const name = req.args[0]?.toLowerCase() ?? '';
        if (name === 'subscribe' || name === 'psubscribe' || name === 'ssubscribe') subscribed = true;
        if (denials.some((m) => matches(m, req!.args))) {
          denied += 1;
          send(resp(['EVAL', `return redis.error_reply("NOPERM the fault proxy denies '${name}'")`, '0']));
          continue;
        }
        if (!heldRequests && requestStalls.some((m) => matches(m, req!.args))) heldRequests = [];
        if (answerStalls.some((m) => matches(m, req!.args))) answersStalled = true;
        send(Buffer.from(raw));
      }
      if (subscribed && pending.length > 0) {
        send(pending);
        pending = Buffer.alloc(0);
      }
    });
    server.on('data', (data: Buffer) => {
      if (answersStalled) heldAnswers.push(data);
      else client.write(data);
    });
    const link = {
      client,
      server,
      flush() {
        if (heldRequests) for (const chunk of heldRequests.splice(0)) server.write(chunk);
        heldRequests = null;
        for (const chunk of heldAnswers.splice(0)) client.write(chunk);
      },
    };
    links.add(link);
    const end = () => {
      links.delete(link);
      client.destroy();
      server.destroy();
    };
    client.on('error', end).on('close', end);
    server.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((proxy.address() as AddressInfo).port);

  const drop = () => {
    for (const link of links) {
      link.client.destroy();
      link.server.destroy();
    }
  };
  const release = () => {
    requestStalls.length = 0;
    answerStalls.length = 0;
    answersStalled = false;
    for (const link of links) link.flush();
  };
  return {
    url: url.toString().replace(/\/$/, ''),
    deny: (match) => void denials.push(match),
    stallRequests: (match) => void requestStalls.push(match),
    stallAnswers: (match) => {
      if (match === undefined) answersStalled = true;
      else answerStalls.push(match);
    },
    release,
    heal() {
      denials.length = 0;
      release();
    },
    drop,
    get denied() {
      return denied;
    },
    async close() {
      drop();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}
