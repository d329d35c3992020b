/**
 * A stand-in CAS app for end-to-end tests: an HTTP server whose pages are CAS services, which
 * records every single-logout POST it receives (the `logoutRequest` form field), can be told to
 * answer them with an error, and writes the services file the bridge reads (CAS_SERVICES_FILE).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CasTestApp {
  url: string;
  servicesFile: string;
  /** SessionIndex values of the single-logout requests received, in order, with the path they came to. */
  logouts: { path: string; sessionIndex: string; xml: string }[];
  /** The HTTP status the next single-logout POSTs are answered with (default 200). */
  answerLogoutsWith(status: number): void;
  close(): Promise<void>;
}

export async function startCasApp(services: (appUrl: string) => unknown[]): Promise<CasTestApp> {
  const logouts: CasTestApp['logouts'] = [];
  let logoutStatus = 200;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.method === 'POST') {
        const xml = new URLSearchParams(body).get('logoutRequest') ?? '';
        const sessionIndex = /<samlp:SessionIndex>([^<]*)<\/samlp:SessionIndex>/.exec(xml)?.[1] ?? '';
        logouts.push({ path: req.url ?? '', sessionIndex, xml });
        res.writeHead(logoutStatus).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end('app page');
    });
  }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const servicesFile = writeCasServicesFile(services(url));
  return {
    url,
    servicesFile,
    logouts,
    answerLogoutsWith: (status) => void (logoutStatus = status),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Writes a CAS_SERVICES_FILE of these services to a fresh temporary directory; answers its path. */
export function writeCasServicesFile(services: unknown[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kb-cas-')), 'cas-services.json');
  writeFileSync(file, JSON.stringify(services));
  return file;
}
