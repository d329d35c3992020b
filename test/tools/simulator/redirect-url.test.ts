import { describe, expect, it } from 'vitest';
import { appendQuery, isHttpUrl } from '../../../tools/simulator/redirect-url.js';

describe('appendQuery: parameters added to a client URL without rewriting it', () => {
  it.each([
    ['https://a.example/cb', 'https://a.example/cb?ticket=ST-1'],
    ['https://a.example/cb?x=1', 'https://a.example/cb?x=1&ticket=ST-1'],
    ['https://a.example/cb?', 'https://a.example/cb?ticket=ST-1'],
    ['https://a.example/cb?x=1&', 'https://a.example/cb?x=1&ticket=ST-1'],
    ['https://a.example/cb#frag', 'https://a.example/cb?ticket=ST-1#frag'],
    ['https://a.example/cb?x=a%20b+c#f?g', 'https://a.example/cb?x=a%20b+c&ticket=ST-1#f?g'],
  ])('%s → %s', (url, expected) => {
    expect(appendQuery(url, { ticket: 'ST-1' })).toBe(expected);
  });

  it('encodes the values and leaves out undefined ones', () => {
    expect(appendQuery('https://a.example/', { code: 'a b&c', state: undefined, tenant: 'acme' })).toBe('https://a.example/?code=a%20b%26c&tenant=acme');
  });
});

describe('isHttpUrl: only absolute http(s) URLs are redirect targets', () => {
  it.each(['https://a.example/', 'http://127.0.0.1:3000/x'])('accepts %s', (url) => expect(isHttpUrl(url)).toBe(true));
  it.each([undefined, '', '/relative', 'javascript:alert(1)', 'ftp://a.example/'])('refuses %s', (url) => expect(isHttpUrl(url)).toBe(false));
});
