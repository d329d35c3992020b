/**
 * The server's own deadlines (src/main.ts SERVER_TIMEOUTS): a client that sends its request too
 * slowly is cut off by Node's request timeout (408, socket closed), whatever route it calls.
 * The values are shortened here; the production ones are asserted as documented.
 */
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { createHttpServer, SERVER_TIMEOUTS } from '../../../src/main.js';

describe('server timeouts', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
  });

  it('are 10 s for headers, 15 s for the whole request, enforced every second, 5 s keep-alive', () => {
    expect(SERVER_TIMEOUTS).toEqual({ headersTimeout: 10_000, requestTimeout: 15_000, connectionsCheckingInterval: 1_000, keepAliveTimeout: 5_000 });
    const s = createHttpServer(() => undefined);
    expect([s.headersTimeout, s.requestTimeout, s.keepAliveTimeout]).toEqual([10_000, 15_000, 5_000]);
  });

  it('a request whose body trickles past the request timeout is answered 408 and its connection closed', async () => {
    // A handler that waits for the whole body, as any body reader does.
    server = createHttpServer(
      (req, res) => {
        req.resume();
        req.on('end', () => res.end('read'));
      },
      { headersTimeout: 100, requestTimeout: 200, connectionsCheckingInterval: 20, keepAliveTimeout: 5_000 },
    );
    server.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server!.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    const answer = await new Promise<{ text: string }>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => (text += d));
      socket.on('close', () => resolve({ text }));
      socket.on('error', reject);
      socket.write('POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 286\r\n\r\n{"a":');
    });
    expect(answer.text).toMatch(/^HTTP\/1\.1 408/);
  });
});
