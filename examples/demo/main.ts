/**
 * `npm run demo`: the bridge, the KooGallery simulator and a sample SaaS app in one process,
 * tenants synced, a banner saying what to click. DEMO_PORT (3000), SIM_PORT (4000) and APP_PORT
 * (3001) move them; Ctrl+C stops all three.
 */
import { demoBanner } from './banner.js';
import { startDemo } from './demo.js';

function portFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  // Port 0 is refused: the URLs in the banner (and the IdP callback) must name the real port.
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name}: must be a port number 1–65535, not ${JSON.stringify(raw)}`);
  return port;
}

try {
  console.log('koobridge demo: generating throw-away keys and starting…');
  const demo = await startDemo({ port: portFrom('DEMO_PORT', 3000), simPort: portFrom('SIM_PORT', 4000), appPort: portFrom('APP_PORT', 3001) });
  console.log(demoBanner(demo));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.log(`\nkoobridge demo: ${signal}, stopping`);
      demo.stop().then(
        () => process.exit(0),
        (err: Error) => {
          console.error(`koobridge demo: stop failed: ${err.message}`);
          process.exit(1);
        },
      );
    });
  }
} catch (err) {
  console.error(`koobridge demo: failed to start: ${(err as Error).message}`);
  process.exit(1);
}
