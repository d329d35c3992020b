import { describe, expect, it } from 'vitest';
import { allowedReturnTo } from '../../../src/login/urls.js';
import { parseReturnPrefix, type ReturnPrefix } from '../../../src/shared/return-prefix.js';

const prefixes = (...entries: string[]) => entries.map((e) => parseReturnPrefix(e) as ReturnPrefix);
const settings = {
  allowedReturnUrls: ['https://exact.example.com/done'],
  allowedReturnPrefixes: prefixes('https://app.example.com', 'https://apps.example.com/crm', 'http://127.0.0.1:8080/'),
};
const returnTo = (value: string) => allowedReturnTo(settings, value);

describe('return_to: exact URLs and prefixes, never an open redirect', () => {
  it('accepts an exact allowed URL as given', () => {
    expect(returnTo('https://exact.example.com/done')).toBe('https://exact.example.com/done');
    expect(returnTo('https://exact.example.com/done/more')).toBeNull();
  });

  it('accepts any page of an allowed origin, query and fragment kept (deep links)', () => {
    expect(returnTo('https://app.example.com/orders/42?tab=items&x=%2F#top')).toBe('https://app.example.com/orders/42?tab=items&x=%2F#top');
    expect(returnTo('https://app.example.com')).toBe('https://app.example.com/');
    expect(returnTo('http://127.0.0.1:8080/deep?a=1&b=2')).toBe('http://127.0.0.1:8080/deep?a=1&b=2');
    expect(returnTo('https://app.example.com/?who=li.si@acme')).toBe('https://app.example.com/?who=li.si@acme');
  });

  it('accepts a path prefix and what lies below it, not a sibling path that merely starts alike', () => {
    expect(returnTo('https://apps.example.com/crm')).toBe('https://apps.example.com/crm');
    expect(returnTo('https://apps.example.com/crm/leads/7')).toBe('https://apps.example.com/crm/leads/7');
    expect(returnTo('https://apps.example.com/crmevil')).toBeNull();
    expect(returnTo('https://apps.example.com/erp')).toBeNull();
  });

  it('resolves dot segments before judging the path, and redirects to the resolved URL', () => {
    expect(returnTo('https://apps.example.com/crm/../erp')).toBeNull();
    expect(returnTo('https://apps.example.com/crm/%2e%2e/erp')).toBeNull();
    expect(returnTo('https://apps.example.com/crm/a/../b')).toBe('https://apps.example.com/crm/b');
  });

  it.each([
    ['scheme-relative', '//evil.com/'],
    ['scheme-relative to an allowed host', '//app.example.com/'],
    ['a relative path', '/orders'],
    ['a host that only starts with an allowed one', 'https://app.example.com.evil.com/'],
    ['an allowed host as user name', 'https://app.example.com@evil.com/'],
    ['an allowed host as user name and password', 'https://app.example.com:443@evil.com/'],
    ['userinfo on the allowed host', 'https://user:pw@app.example.com/'],
    ['a backslash the browser reads as a slash', 'https://evil.com\\@app.example.com/'],
    ['backslashes for slashes', 'https:\\\\app.example.com\\'],
    ['a missing slash', 'https:/app.example.com/'],
    ['no slashes', 'https:app.example.com/'],
    ['another scheme', 'http://app.example.com/'],
    ['another port', 'https://app.example.com:8443/'],
    ['javascript:', 'javascript:alert(1)//https://app.example.com/'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['a tab inside', 'https://app.example.com/\t/evil.com'],
    ['a newline before', '\nhttps://app.example.com/'],
    ['a space', 'https://app.example.com/ a'],
    ['non-ASCII', 'https://app.example.com/é'],
    ['a lookalike IDN host', 'https://аpp.example.com/'],
  ])('refuses %s (%j)', (_why, value) => {
    expect(returnTo(value)).toBeNull();
  });

  it('an upper-case spelling of an allowed origin is the same origin', () => {
    expect(returnTo('HTTPS://APP.EXAMPLE.COM/x')).toBe('https://app.example.com/x');
  });
});

describe('ALLOWED_RETURN_PREFIXES entries', () => {
  it('reads an origin as the whole origin and a path as a directory', () => {
    expect(parseReturnPrefix('https://app.example.com')).toEqual({ origin: 'https://app.example.com', path: '/' });
    expect(parseReturnPrefix('https://apps.example.com/crm')).toEqual({ origin: 'https://apps.example.com', path: '/crm/' });
  });

  it.each(['app.example.com', '//app.example.com', 'ftp://app.example.com', 'https://u:p@app.example.com', 'https://app.example.com/?q=1', 'https://app.example.com/#x', 'https:app.example.com'])(
    'refuses %j',
    (entry) => expect(typeof parseReturnPrefix(entry)).toBe('string'),
  );
});
