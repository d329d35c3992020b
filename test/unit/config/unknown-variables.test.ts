/**
 * Which unknown variables are warned about: those of the bridge's families, read off the schema,
 * so a family another room adds (CAS_, METRICS_, …) is covered as soon as its variable exists.
 */
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../../../src/config/schema.js';
import { closestKnown, familiesOf, levenshtein, unknownVariableWarnings } from '../../../src/config/unknown-variables.js';

describe('unknown variables', () => {
  it('the families are the first words of the schema’s variables, Node’s own NODE_ left out', () => {
    expect(familiesOf(CONFIG_VARIABLES)).toEqual(expect.arrayContaining(['KOO_', 'OIDC_', 'REDIS_', 'SESSION_', 'SHUTDOWN_']));
    expect(familiesOf(CONFIG_VARIABLES)).not.toContain('NODE_');
    expect(familiesOf(['NODE_ENV', 'PORT', 'CAS_TICKET_TTL', 'RATE_LIMIT_LOGIN', 'METRICS_PORT'])).toEqual(['CAS_', 'RATE_', 'METRICS_']);
  });

  it('a variable added to the schema is known, and its family watched, without another list to edit', () => {
    const known = [...CONFIG_VARIABLES, 'ZEBRA_STREAM_MAXLEN'];
    expect(unknownVariableWarnings({ ZEBRA_STREAM_MAXLEN: '1000', ZEBRA_STREAM_MAXLNE: '1000' }, known)).toEqual([
      'ZEBRA_STREAM_MAXLNE is not a koobridge setting and is ignored (did you mean ZEBRA_STREAM_MAXLEN?)',
    ]);
    expect(unknownVariableWarnings({ ZEBRA_STREAM_MAXLNE: '1000' }, CONFIG_VARIABLES)).toEqual([]);
  });

  it('suggests a known name at most two edits away, none further', () => {
    expect(levenshtein('KOO_APPID', 'KOO_APP_ID')).toBe(1);
    expect(closestKnown('OIDC_ID_TOKEN_TL', CONFIG_VARIABLES)).toBe('OIDC_ID_TOKEN_TTL');
    expect(closestKnown('SESION_IDLE_TIMOUT', CONFIG_VARIABLES)).toBe('SESSION_IDLE_TIMEOUT');
    expect(closestKnown('KOO_TENANT', CONFIG_VARIABLES)).toBeNull();
  });

  it('Kubernetes service links and unset values are not warned about', () => {
    expect(unknownVariableWarnings({ REDIS_PORT: 'tcp://10.0.0.1:6379', REDIS_SERVICE_PORT: '6379', REDIS_PORT_6379_TCP_PROTO: 'tcp', KOO_UNSET: undefined }, CONFIG_VARIABLES)).toEqual([]);
  });
});
