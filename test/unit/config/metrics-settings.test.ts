/** The METRICS_* variables: off by default, a separate port or a token, each checked at start. */
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { buildSlices } from '../../../src/config/slices.js';
import { createPrivateKey } from 'node:crypto';
import { testKeyPair } from '../../support/keys.js';

const slicesOf = (env: Record<string, string>) => buildSlices(configSchema.parse(env), { privateKey: undefined, generateRsaKey: () => createPrivateKey(testKeyPair().privateKeyPem) });
const problems = (env: Record<string, string>) => configSchema.safeParse(env).error?.issues.map((i) => `${String(i.path[0])}: ${i.message}`) ?? [];

describe('METRICS_* settings', () => {
  it('with neither METRICS_PORT nor METRICS_TOKEN, metrics are off (null slice)', () => {
    expect(slicesOf({}).metrics).toBeNull();
  });

  it('METRICS_PORT alone: a listener on 127.0.0.1 without a token; METRICS_HOST and the tenant labels as given', () => {
    expect(slicesOf({ METRICS_PORT: '9464' }).metrics).toEqual({ port: 9464, host: '127.0.0.1', token: null, tenantLabels: false });
    expect(slicesOf({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0', METRICS_TENANT_LABELS: '1' }).metrics).toEqual({ port: 9464, host: '0.0.0.0', token: null, tenantLabels: true });
  });

  it('METRICS_TOKEN alone: served on the main port (no port of its own)', () => {
    expect(slicesOf({ METRICS_TOKEN: 't'.repeat(24) }).metrics).toMatchObject({ port: null, token: 't'.repeat(24) });
  });

  it('refuses a short token, a port out of range and the main port reused', () => {
    expect(problems({ METRICS_TOKEN: 'short' })).toEqual([expect.stringMatching(/^METRICS_TOKEN: must be at least 24 characters/)]);
    expect(problems({ METRICS_PORT: '70000' })).toEqual([expect.stringMatching(/^METRICS_PORT: /)]);
    expect(problems({ PORT: '8080', METRICS_PORT: '8080' })).toEqual(['METRICS_PORT: must differ from PORT (the metrics listener is a separate one)']);
  });
});
