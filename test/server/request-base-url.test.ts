import fc from 'fast-check';
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { requestBaseUrl } from '../../src/server/discovery/request-base-url.js';

const request = (url: string) =>
  ({ url, protocol: 'https', host: 'gw.example' }) as unknown as FastifyRequest;

/** The rule as the function states it: the first segments of the path, empty ones dropped. */
function expected(url: string, prefix: string): string {
  const wanted = prefix.split('/').filter((segment) => segment !== '').length;
  const path = url.split('?')[0] ?? '';
  const segments = path
    .split('/')
    .filter((segment) => segment !== '')
    .slice(0, wanted);
  return `https://gw.example${segments.length === 0 ? '' : `/${segments.join('/')}`}`;
}

describe('requestBaseUrl', () => {
  it('takes as many leading segments of the path as the prefix has', () => {
    expect(requestBaseUrl(request('/scim/v2/Users/42?attributes=userName'), '/scim/v2')).toBe(
      'https://gw.example/scim/v2',
    );
    expect(requestBaseUrl(request('/tenants/acme/scim/v2/Groups'), '/tenants/:tenant/scim/v2')).toBe(
      'https://gw.example/tenants/acme/scim/v2',
    );
    expect(requestBaseUrl(request('/Users'), '/')).toBe('https://gw.example');
    expect(requestBaseUrl(request('//scim///v2/Users'), '/scim/v2')).toBe('https://gw.example/scim/v2');
    expect(requestBaseUrl(request('/scim?x=/a/b'), '/scim/v2')).toBe('https://gw.example/scim');
  });

  it('agrees with the rule for any path and prefix', () => {
    const segment = fc.stringMatching(/^[a-zA-Z0-9%:.-]{0,4}$/);
    const path = fc
      .tuple(fc.array(segment, { maxLength: 6 }), fc.option(fc.stringMatching(/^[a-z=/&]{0,6}$/)))
      .map(([segments, query]) => `/${segments.join('/')}${query === null ? '' : `?${query}`}`);
    const prefix = fc
      .array(fc.stringMatching(/^[a-z:]{1,3}$/), { maxLength: 4 })
      .map((parts) => `/${parts.join('/')}`);
    fc.assert(
      fc.property(path, prefix, (url, mount) => {
        expect(requestBaseUrl(request(url), mount)).toBe(expected(url, mount));
      }),
      { numRuns: 2000 },
    );
  });
});
