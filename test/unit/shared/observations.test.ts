import { describe, expect, it } from 'vitest';
import { createObservations, type Observation } from '../../../src/shared/observations.js';

const login: Observation = { kind: 'login', method: 'unified', outcome: 'success', tenantId: 'acme', userName: 'zhang.san' };

describe('observations', () => {
  it('delivers each observation to every listener, in subscription order', () => {
    const bus = createObservations();
    const seen: string[] = [];
    bus.on((o) => seen.push(`a:${o.kind}`));
    bus.on((o) => seen.push(`b:${o.kind}`));
    bus.emit(login);
    expect(seen).toEqual(['a:login', 'b:login']);
  });

  it('a listener that throws is reported and the others still hear', () => {
    const errors: string[] = [];
    const bus = createObservations((err, kind) => errors.push(`${kind}:${(err as Error).message}`));
    const seen: Observation[] = [];
    bus.on(() => {
      throw new Error('boom');
    });
    bus.on((o) => seen.push(o));
    expect(() => bus.emit(login)).not.toThrow();
    expect(seen).toEqual([login]);
    expect(errors).toEqual(['login:boom']);
  });

  it('unsubscribing stops delivery', () => {
    const bus = createObservations();
    let count = 0;
    const off = bus.on(() => count++);
    bus.emit(login);
    off();
    bus.emit(login);
    expect(count).toBe(1);
  });
});
