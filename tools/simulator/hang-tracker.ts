/**
 * The `hang` fault keeps a request unanswered until the client gives up. A plain server.close()
 * would then wait for that client forever, so the sockets of hung requests are tracked and
 * destroyed when the server closes: tests and the demo can always shut the simulator down.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type Koa from 'koa';

export function createHangTracker() {
  const sockets = new Set<Socket>();
  const releaseAll = (): void => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };

  return {
    /** Resolves when the request's socket closes: the client gave up, or the server closed. */
    hold(socket: Socket): Promise<void> {
      if (socket.destroyed) return Promise.resolve();
      sockets.add(socket);
      return new Promise((resolve) => {
        socket.once('close', () => {
          sockets.delete(socket);
          resolve();
        });
      });
    },
    releaseAll,
    get size(): number {
      return sockets.size;
    },
    /**
     * Makes every server `app.listen` returns release hung requests when closed, so callers keep
     * Koa's usual `const server = app.listen(...); server.close()` and never block on a hang.
     */
    attach(app: Koa): void {
      const listen = app.listen.bind(app) as (...args: unknown[]) => Server;
      app.listen = ((...args: unknown[]) => {
        const server = listen(...args);
        const close = server.close.bind(server);
        server.close = ((callback?: (err?: Error) => void) => {
          // Stop accepting first (this also ends idle keep-alive sockets), then cut the hung ones.
          const result = close(callback);
          releaseAll();
          return result;
        }) as Server['close'];
        return server;
      }) as Koa['listen'];
    },
  };
}

export type HangTracker = ReturnType<typeof createHangTracker>;
