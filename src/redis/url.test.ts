import { describe, expect, it } from 'vitest';
import { redisOptionsFromEnv } from './env.ts';
import { parseTarget, REDIS_URL_FORMS } from './url.ts';

describe('parseTarget', () => {
  it('reads the three forms of REDIS_URL', () => {
    expect(parseTarget('redis://127.0.0.1:6379/2')).toEqual({
      kind: 'single',
      url: 'redis://127.0.0.1:6379/2',
    });
    expect(parseTarget('rediss://u:p@h:1')).toEqual({ kind: 'single', url: 'rediss://u:p@h:1' });
    expect(parseTarget('redis://h:1?family=6')).toEqual({ kind: 'single', url: 'redis://h:1?family=6' });
    expect(parseTarget('redis+cluster://:s%40cret@127.0.0.1:7000,127.0.0.1:7001')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '127.0.0.1', port: 7000 },
        { host: '127.0.0.1', port: 7001 },
      ],
      username: undefined,
      password: 's@cret',
      tls: false,
    });
    expect(parseTarget('rediss+sentinel://app:pw@[::1]:26379,h2:26380/my%20primary/3')).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: '::1', port: 26379 },
        { host: 'h2', port: 26380 },
      ],
      name: 'my primary',
      username: 'app',
      password: 'pw',
      tls: true,
      db: 3,
    });
  });

  it('takes the same as options', () => {
    expect(parseTarget({ sentinels: [{ host: 'a', port: 1 }], name: 'm' })).toMatchObject({
      kind: 'sentinel',
      name: 'm',
      db: 0,
    });
    expect(parseTarget({ cluster: [{ host: 'a', port: 1 }] })).toMatchObject({ kind: 'cluster', tls: false });
    expect(() => parseTarget({ cluster: [] })).toThrow(
      'The cluster option needs at least one { host, port }.',
    );
    expect(() => parseTarget({ sentinels: [{ host: 'a', port: 0 }], name: 'm' })).toThrow(
      'The sentinels option holds {"host":"a","port":0}, not a { host, port } with a port 1-65535.',
    );
  });

  it('refuses a malformed URL, saying why, naming the accepted forms and hiding the password', () => {
    const cases: [string, string][] = [
      ['localhost:6379', 'not a URL of a known form'],
      ['http://h:1', 'unknown scheme "http:"'],
      ['redis://a:1,b:2', 'several hosts need redis+cluster:// or redis+sentinel://'],
      ['redis+cluster://h', '"h" is not host:port'],
      ['redis+cluster://h:1/0', 'a cluster URL has no path (Redis Cluster has one database)'],
      ['redis+sentinel://:secret@h:1,h:99999/m', '"h:99999" is not host:port'],
      ['redis+sentinel://h:1', 'the name of the primary is missing after the sentinels (…/mymaster)'],
      ['redis+sentinel://h:1/m/x', '"/m/x" is not /primary-name[/db]'],
      [
        'redis+cluster://h:1?tls=1',
        'options after "?" are taken by redis:// and rediss:// only (give the others as connectRedis options)',
      ],
    ];
    for (const [url, why] of cases) {
      const shown = url.replace('//:secret@', '//***@');
      expect(() => parseTarget(url)).toThrow(`Invalid REDIS_URL "${shown}": ${why}. Use ${REDIS_URL_FORMS}.`);
    }
    expect(() => parseTarget('redis+sentinel://:secret@h:1,h:99999/m')).not.toThrow(/secret/);
  });
});

describe('redisOptionsFromEnv', () => {
  it('reads the safe setting, and refuses what is not a whole number', () => {
    expect(redisOptionsFromEnv({})).toEqual({});
    expect(redisOptionsFromEnv({ REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '250' })).toEqual({
      waitReplicas: 1,
      waitTimeoutMs: 250,
    });
    expect(() => redisOptionsFromEnv({ REDIS_WAIT_REPLICAS: 'all' })).toThrow(
      "REDIS_WAIT_REPLICAS must be a whole number of replicas (0 or more), not 'all'.",
    );
  });
});
