/**
 * One socket write per event-loop turn for the commands of a connected Redis client.
 *
 * Every command ioredis sends is its own write(2) on the socket, and that system call — the kernel
 * carrying the bytes to Redis and waking it — was about a sixth of the CPU time of a CAS ticket
 * validation (bench:cas profile, loopback Redis). Requests that arrive together are handled in
 * the same turn of the event loop, so their commands are held back (the socket corked) until the
 * next check phase (setImmediate) and then leave in one write; Redis also reads and answers them in
 * one go. A command waits at most one turn of the loop (one sent from a check-phase callback waits
 * for the next turn's), and the loop does not block on I/O while an immediate is pending, so a lone
 * request's command leaves at once all the same.
 *
 * ioredis's own auto-pipelining batches the same way but builds a Pipeline object per batch, which
 * cost more than it saved at the benches' concurrency. Corking is the stream's own mechanism: the
 * held writes go out as one writev(2), in order, and a socket that closes meanwhile fails its
 * commands as any dropped connection does.
 */
import type { Socket } from 'node:net';
import type { Redis } from 'ioredis';

/** Call before sending a command on `client` (ready, standalone or Sentinel). */
export function turnWrites(client: Redis): () => void {
  let corked: Socket | undefined;
  const flush = () => {
    const socket = corked;
    corked = undefined;
    socket?.uncork();
  };
  return () => {
    if (corked) return;
    // The socket of this connection: after a reconnect ioredis has a new one, and the flush
    // uncorks the one it corked.
    corked = client.stream as Socket;
    corked.cork();
    setImmediate(flush);
  };
}
