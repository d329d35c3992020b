// The built KooGallery simulator (as `npm run sim` runs it) serving the tenants of a JSON file
// (SIM_TENANTS_FILE) instead of the demo ones: bench:basic signs in hundreds of made-up users.
import { readFileSync } from 'node:fs';
import { createSimulator } from '../build/tools/simulator/simulator.js';

const env = process.env;
const sim = createSimulator({
  baseUrl: env.SIM_BASE_URL,
  tenants: JSON.parse(readFileSync(env.SIM_TENANTS_FILE, 'utf8')),
  appId: env.KOO_APP_ID,
  callbackUrl: env.SIM_CALLBACK_URL,
});
const server = sim.app.listen(Number(env.SIM_PORT), env.SIM_HOST ?? '127.0.0.1');
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
