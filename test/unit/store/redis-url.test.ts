import { describe, expect, it } from 'vitest';
import { redisOptionsFromUrl } from '../../../src/store/redis-url.js';

const refused = (url: string) => {
  try {
    redisOptionsFromUrl(url);
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error(`expected ${url} to be refused`);
};

describe('redisOptionsFromUrl: standalone', () => {
  it('redis://host:port/db gives host, port and db', () => {
    expect(redisOptionsFromUrl('redis://cache.internal:6380/2')).toEqual({
      kind: 'standalone',
      password: undefined,
      options: { host: 'cache.internal', port: 6380, db: 2 },
    });
  });

  it('the port defaults to 6379 and the db to none', () => {
    expect(redisOptionsFromUrl('redis://localhost').options).toEqual({ host: 'localhost', port: 6379 });
    expect(redisOptionsFromUrl('redis://localhost/').options).toEqual({ host: 'localhost', port: 6379 });
  });

  it('user and password are percent-decoded', () => {
    const target = redisOptionsFromUrl('redis://app%2Duser:p%40ss%3Aword@h:1');
    expect(target.options).toMatchObject({ username: 'app-user', password: 'p@ss:word' });
    expect(target.password).toBe('p@ss:word');
  });

  it('redis://:password@ sets only the password; an unencoded @ in the password still parses', () => {
    expect(redisOptionsFromUrl('redis://:s3cr@t@h:1').options).toEqual({ host: 'h', port: 1, password: 's3cr@t' });
  });

  it('rediss:// turns TLS on', () => {
    expect(redisOptionsFromUrl('rediss://h:6380').options).toEqual({ host: 'h', port: 6380, tls: {} });
  });

  it('an IPv6 literal in brackets is a host', () => {
    expect(redisOptionsFromUrl('redis://[::1]:7000').options).toEqual({ host: '::1', port: 7000 });
  });

  it('the scheme is case-insensitive', () => {
    expect(redisOptionsFromUrl('REDIS://h:1').kind).toBe('standalone');
  });
});

describe('redisOptionsFromUrl: Sentinel', () => {
  it('redis+sentinel://:pass@h1:p1,h2:p2/master/db lists the sentinels, the master name and db', () => {
    expect(redisOptionsFromUrl('redis+sentinel://:pw@s1:26379,s2:26380/mymaster/3')).toEqual({
      kind: 'sentinel',
      password: 'pw',
      options: {
        sentinels: [
          { host: 's1', port: 26379 },
          { host: 's2', port: 26380 },
        ],
        name: 'mymaster',
        password: 'pw',
        db: 3,
      },
    });
  });

  it('sentinel ports default to 26379', () => {
    expect(redisOptionsFromUrl('redis+sentinel://s1,s2/m').options).toMatchObject({
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
      ],
    });
  });

  it('rediss+sentinel:// uses TLS towards the master and the sentinels', () => {
    expect(redisOptionsFromUrl('rediss+sentinel://s1/m').options).toMatchObject({ tls: {}, enableTLSForSentinelMode: true, sentinelTLS: {} });
  });

  it('a Sentinel URL without a master name is refused', () => {
    expect(refused('redis+sentinel://s1:26379')).toMatchObject({ code: 'config_invalid', message: expect.stringContaining('master name') });
  });
});

describe('redisOptionsFromUrl: Cluster', () => {
  it('redis+cluster://:pass@h1:p1,h2:p2 lists the seed nodes; the password goes to every node', () => {
    const target = redisOptionsFromUrl('redis+cluster://:pw@n1:7000,n2:7001');
    expect(target).toMatchObject({
      kind: 'cluster',
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
      ],
      options: { redisOptions: { password: 'pw' } },
    });
  });

  it('rediss+cluster:// puts TLS in the node options and keeps host names for certificate checks', () => {
    const target = redisOptionsFromUrl('rediss+cluster://n1:7000');
    if (target.kind !== 'cluster') throw new Error('expected cluster');
    expect(target.options.redisOptions).toEqual({ tls: {} });
    expect(typeof target.options.dnsLookup).toBe('function');
  });

  it('a cluster URL with a database other than 0 is refused', () => {
    expect(refused('redis+cluster://n1:7000/2').code).toBe('config_invalid');
    expect(redisOptionsFromUrl('redis+cluster://n1:7000/0').kind).toBe('cluster');
  });
});

describe('redisOptionsFromUrl: refusals never echo the URL', () => {
  const cases: [string, RegExp][] = [
    ['', /empty/],
    ['http://h:1', /must start with/],
    ['h:6379', /must start with/],
    ['redis://h:notaport', /port/],
    ['redis://h:70000', /port/],
    ['redis://h:1/notadb', /database/],
    ['redis://h1:1,h2:2', /several hosts/],
    ['redis://secret-only@h:1', /colon/],
    ['redis://h:1?password=x', /query/],
    ['redis://:pw@bad_host!:1', /host name/],
    ['redis://:%zz@h:1', /percent-encoding/],
    ['redis://:pw@:6379', /host #1/],
  ];
  for (const [url, why] of cases) {
    it(`refuses ${JSON.stringify(url)} with config_invalid (${why.source})`, () => {
      const err = refused(url);
      expect(err.code).toBe('config_invalid');
      expect(err.message).toMatch(/^REDIS_URL: /);
      expect(err.message).toMatch(why);
    });
  }

  it('a password mistaken for a port does not appear in the message', () => {
    const err = refused('redis://h:hunter2secret');
    expect(err.message).not.toContain('hunter2secret');
  });
});
