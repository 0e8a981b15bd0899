import { describe, expect, it } from 'vitest';
import { assertSafeUrl, isPrivateAddress } from './network-guard.ts';

describe('isPrivateAddress', () => {
  it('flags loopback, private, link-local and unusual spellings of them', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '0.0.0.0']) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['::1', '[::1]', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::']) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    expect(isPrivateAddress('0x7f.1')).toBe(true);
    expect(isPrivateAddress('2130706433')).toBe(true);
  });

  it('lets public addresses through', () => {
    for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '172.32.0.1', '::ffff:8.8.8.8']) {
      expect(isPrivateAddress(a), a).toBe(false);
    }
  });
});

describe('assertSafeUrl', () => {
  it('refuses plain http off localhost, and private addresses unless allowed', async () => {
    await expect(assertSafeUrl(new URL('http://as.example.com/x'), 'the AS metadata', {})).rejects.toThrow(
      /must use https/,
    );
    await expect(assertSafeUrl(new URL('http://127.0.0.1:9/x'), 'the AS metadata', {})).rejects.toThrow(
      /loopback address\. Set allowLoopback: true/,
    );
    await expect(assertSafeUrl(new URL('https://10.0.0.1/'), 'x', {})).rejects.toMatchObject({
      code: 'private_address',
    });
    await expect(
      assertSafeUrl(new URL('http://127.0.0.1:9/x'), 'x', { allowPrivateNetwork: true }),
    ).resolves.toBeUndefined();
  });

  it('checks what a host name resolves to when a resolver is given', async () => {
    const resolveHost = async () => ['192.168.0.7'];
    await expect(assertSafeUrl(new URL('https://intranet.example/'), 'x', { resolveHost })).rejects.toThrow(
      /192\.168\.0\.7/,
    );
    await expect(
      assertSafeUrl(new URL('https://public.example/'), 'x', { resolveHost: async () => ['8.8.4.4'] }),
    ).resolves.toBeUndefined();
  });
});
