/**
 * Reading OIDC_CLIENTS_FILE again (the file read through an injected reader; the watching itself
 * is proven on running bridges in test/e2e/runtime/clients-reload.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { createClientRegistry } from '../../../src/oidc/client-registry.js';
import { watchClientsFile } from '../../../src/oidc/clients-reload.js';

const crm = (uri: string) => JSON.stringify([{ client_id: 'crm', client_secret: 'crm-secret-for-tests-only-0123456789abcdef', redirect_uris: [uri] }]);

function setup(opts: { required: boolean; text: string | null }) {
  let text = opts.text;
  const lines: string[] = [];
  const registry = createClientRegistry([]);
  const reload = watchClientsFile({
    file: '/nonexistent-dir-for-tests/clients.json',
    required: opts.required,
    registry,
    validate: async () => undefined,
    logger: { info: (_o: object, msg: string) => void lines.push(msg), warn: (_o: object, msg: string) => void lines.push(msg), debug: () => undefined } as unknown as Parameters<typeof watchClientsFile>[0]['logger'],
    loadedText: null,
    readFile: () => {
      if (text === null) throw Object.assign(new Error('gone'), { code: 'ENOENT' });
      return text;
    },
  });
  return { registry, reload, lines, write: (t: string | null) => void (text = t) };
}

describe('clients reload', () => {
  it('a default file that appears later is applied; the same text again changes nothing', async () => {
    const t = setup({ required: false, text: null });
    expect(await t.reload.reload('SIGHUP')).toBe('unchanged');
    t.write(crm('https://crm.example.com/cb'));
    expect(await t.reload.reload('SIGHUP')).toBe('applied');
    expect(t.registry.ids()).toEqual(['crm']);
    expect(t.registry.isRedirectUri('https://crm.example.com/cb')).toBe(true);
    expect(t.registry.policies.get('crm')).toEqual({ allowedTenants: null, firstParty: true });
    expect(await t.reload.reload('SIGHUP')).toBe('unchanged');
    expect(t.lines).toEqual(['OpenID clients reloaded from /nonexistent-dir-for-tests/clients.json']);
  });

  it('a named file that disappears is refused, naming it; the clients in use stay', async () => {
    const t = setup({ required: true, text: crm('https://crm.example.com/cb') });
    expect(await t.reload.reload('SIGHUP')).toBe('applied');
    t.write(null);
    expect(await t.reload.reload('SIGHUP')).toBe('refused');
    expect(t.lines.at(-1)).toBe('OpenID clients not reloaded, the previous ones stay: OIDC_CLIENTS_FILE: /nonexistent-dir-for-tests/clients.json does not exist');
    expect(t.registry.ids()).toEqual(['crm']);
  });

  it('the registry answers oidc-provider a copy, and nothing for a client it does not hold', async () => {
    const t = setup({ required: true, text: crm('https://crm.example.com/cb') });
    await t.reload.reload('SIGHUP');
    const found = (await t.registry.adapter.find('crm')) as { redirect_uris: string[]; allowed_tenants?: unknown };
    expect(found.redirect_uris).toEqual(['https://crm.example.com/cb']);
    found.redirect_uris.push('https://evil.example.com/');
    expect(t.registry.isRedirectUri('https://evil.example.com/')).toBe(false);
    expect(((await t.registry.adapter.find('crm')) as { redirect_uris: string[] }).redirect_uris).toHaveLength(1);
    expect(await t.registry.adapter.find('erp')).toBeUndefined();
    await expect(t.registry.adapter.upsert('crm', {})).rejects.toThrow('not written through the provider');
  });
});
