/**
 * The key-ring watch of one instance (memory store): a rotation's pub/sub message makes it re-read
 * at once; a ring changed without a message (a lost one) is caught by the periodic re-read; the
 * provider is rebuilt only when what it publishes or signs with changed.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { watchKeyRing } from '../../../src/oidc/key-ring-watch.js';
import { loadOrCreateSigningKeys, rotateSigningKeys, type KeyRing } from '../../../src/oidc/signing-keys.js';
import { createKeys } from '../../../src/store/keys.js';
import { createMemoryStore } from '../../../src/store/memory.js';
import { createSecretBox } from '../../../src/store/secret-box.js';

const silent = { info: () => undefined, warn: () => undefined };

async function setup(rereadMs: number) {
  const store = createMemoryStore();
  const keys = createKeys('w:');
  const secretBox = createSecretBox([randomBytes(32).toString('base64')]);
  const initial = await loadOrCreateSigningKeys({ store, keys, secretBox, jwksFile: null });
  const changes: KeyRing[] = [];
  const watch = watchKeyRing({ store, keys, secretBox, now: Date.now, logger: silent, initial, onChange: (r) => void changes.push(r), rereadMs });
  return { store, keys, secretBox, initial, changes, watch };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('key-ring watch', () => {
  it('a rotation announced on pub/sub is applied without waiting for the periodic re-read', async () => {
    const t = await setup(3_600_000);
    await rotateSigningKeys({ store: t.store, keys: t.keys, secretBox: t.secretBox }, { retireAfterMs: 1000 });
    await until(() => t.changes.length === 1);
    expect(t.changes[0]!.current).toBe(t.initial.current);
    expect(t.changes[0]!.jwks.keys).toHaveLength(2);
    await t.watch.close();
  });

  it('a ring rewritten without a message is picked up by the periodic re-read', async () => {
    const t = await setup(20);
    const key = t.keys.oidcSigningKeys();
    const raw = (await t.store.get(key))!;
    // A rotation whose announcement was lost: made on a store nobody listens to, then copied over.
    const other = createMemoryStore();
    await other.compareAndSet(key, null, raw);
    await rotateSigningKeys({ store: other, keys: t.keys, secretBox: t.secretBox }, { retireAfterMs: 1000 });
    expect(await t.store.compareAndSet(key, raw, (await other.get(key))!)).toBe(true);
    await until(() => t.changes.length === 1);
    expect(t.changes[0]!.jwks.keys).toHaveLength(2);
    await t.watch.close();
  });

  it('a ring deleted from the store is not made anew: the keys in use stay, and it says so', async () => {
    const t = await setup(3_600_000);
    const warnings: string[] = [];
    const watch = watchKeyRing({ store: t.store, keys: t.keys, secretBox: t.secretBox, now: Date.now, logger: { info: () => undefined, warn: (msg: string) => void warnings.push(msg) }, initial: t.initial, onChange: (r) => void t.changes.push(r) });
    await t.store.exec([{ op: 'del', key: t.keys.oidcSigningKeys() }]);
    await watch.refresh();
    expect(t.changes).toEqual([]);
    expect(await t.store.get(t.keys.oidcSigningKeys())).toBeNull();
    expect(warnings).toEqual(['the OIDC signing key ring is missing from the store; the keys in use stay']);
    await watch.close();
    await t.watch.close();
  });

  it('re-reading an unchanged ring rebuilds nothing', async () => {
    const t = await setup(3_600_000);
    await t.watch.refresh();
    await t.store.publish(t.keys.oidcSigningKeysChanged(), 'rotated');
    await t.watch.refresh();
    expect(t.changes).toEqual([]);
    await t.watch.close();
  });
});
