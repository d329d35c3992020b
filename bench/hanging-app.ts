/**
 * A merchant app whose back-channel logout endpoint hangs: it accepts every connection, reads
 * whatever is sent and never answers. Bounded: a connection is dropped after HOLD_MS at the
 * latest, and close() ends every connection still held.
 */
import { createServer, type Socket } from 'node:net';
import { once } from 'node:events';

// Far longer than oidc-provider's 2.5 s per try: the bridge always gives up first.
const HOLD_MS = 60_000;

export interface HangingApp {
  /** The back-channel logout URI to register. */
  url: string;
  /** Connections accepted so far (each is one try of one logout token). */
  accepted(): number;
  close(): Promise<void>;
}

export async function startHangingApp(): Promise<HangingApp> {
  const held = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    held.add(socket);
    socket.setTimeout(HOLD_MS, () => socket.destroy());
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => held.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the hanging app has no port');
  return {
    url: `http://127.0.0.1:${address.port}/backchannel-logout`,
    accepted: () => accepted,
    async close() {
      for (const socket of held) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
