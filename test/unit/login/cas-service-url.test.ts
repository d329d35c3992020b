import { describe, expect, it } from 'vitest';
import { serviceUrlOf } from '../../../src/login/urls.js';

describe('CAS service URL', () => {
  it('is the request URL without the ticket, other parameters kept byte for byte', () => {
    expect(serviceUrlOf('https://b.example.com', '/sso/cas', 'tenant=acme&ticket=ST-1')).toBe('https://b.example.com/sso/cas?tenant=acme');
    expect(serviceUrlOf('https://b.example.com', '/sso/cas', 'ticket=ST-1&tenant=acme&from=tile%20x')).toBe('https://b.example.com/sso/cas?tenant=acme&from=tile%20x');
  });
});
