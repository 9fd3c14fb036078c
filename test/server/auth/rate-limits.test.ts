import { describe, expect, it } from 'vitest';
import { FailedAuthLimiter } from '../../../src/server/auth/failed-auth-limiter.js';
import { startAuthDemo } from './auth-demo.js';
import { expectScimError } from './scim-response.js';

const USERS = '/scim/v2/Users?count=1';
const GOOD = { authorization: 'Bearer good-token-3c5e7a9b1d2f4e6a' };
const OTHER = { authorization: 'Bearer other-token-8d6b4f2a0c1e3d5b' };
const WRONG = { authorization: 'Bearer wrong-token' };

describe('failed authentication brake', () => {
  it('after N failures from one address, that address gets 429 with Retry-After — even with a valid token', async () => {
    const demo = await startAuthDemo({
      auth: { bearerTokens: [{ name: 'good', token: 'good-token-3c5e7a9b1d2f4e6a' }] },
      failedAuth: { maxFailures: 3, windowSeconds: 60 },
    });
    const from = (remoteAddress: string, headers: Record<string, string>) =>
      demo.app.inject({ url: USERS, headers, remoteAddress });
    try {
      for (let i = 0; i < 3; i++) expectScimError(await from('203.0.113.7', WRONG), 401);
      const blocked = await from('203.0.113.7', WRONG);
      expectScimError(blocked, 429);
      const retryAfter = Number(blocked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expectScimError(await from('203.0.113.7', GOOD), 429);
      // Other clients are not affected, and a missing header is not counted as a guess.
      expect((await from('198.51.100.9', GOOD)).statusCode).toBe(200);
      for (let i = 0; i < 5; i++) expectScimError(await from('198.51.100.10', {}), 401);
      expect((await from('198.51.100.10', GOOD)).statusCode).toBe(200);
    } finally {
      await demo.close();
    }
  });

  it('counts across tenants: the brake is per client, not per mount', async () => {
    const demo = await startAuthDemo({
      auth: { bearerTokens: [{ name: 'good', token: 'good-token-3c5e7a9b1d2f4e6a' }] },
      failedAuth: { maxFailures: 2, windowSeconds: 60 },
    });
    try {
      expectScimError(
        await demo.app.inject({ url: USERS, headers: WRONG, remoteAddress: '203.0.113.8' }),
        401,
      );
      expectScimError(
        await demo.app.inject({ url: '/scim/v2/Groups', headers: WRONG, remoteAddress: '203.0.113.8' }),
        401,
      );
      expectScimError(
        await demo.app.inject({ url: USERS, headers: GOOD, remoteAddress: '203.0.113.8' }),
        429,
      );
    } finally {
      await demo.close();
    }
  });

  it('the window ends: the client may try again', () => {
    let clock = 1_000_000;
    const limiter = new FailedAuthLimiter({ maxFailures: 2, windowSeconds: 10 }, () => clock);
    limiter.recordFailure('a');
    expect(limiter.retryAfter('a')).toBeUndefined();
    limiter.recordFailure('a');
    expect(limiter.retryAfter('a')).toBe(10);
    clock += 4_200;
    expect(limiter.retryAfter('a')).toBe(6);
    clock += 6_000;
    expect(limiter.retryAfter('a')).toBeUndefined();
    limiter.recordFailure('a');
    expect(limiter.retryAfter('a')).toBeUndefined();
  });

  it('stays bounded under a flood of addresses', () => {
    const limiter = new FailedAuthLimiter({ maxFailures: 1, windowSeconds: 60 });
    for (let i = 0; i < 25_000; i++) limiter.recordFailure(`10.0.${i >> 8}.${i & 255}`);
    // The most recent address is still tracked; the map never exceeded its cap (checked by size).
    expect(limiter.retryAfter('10.0.97.167')).toBeGreaterThan(0);
    expect((limiter as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThanOrEqual(
      10_000,
    );
  });
});

describe('request rate limit per credential', () => {
  it('the request after `max` in a window answers 429 with Retry-After; other credentials keep their own budget', async () => {
    const demo = await startAuthDemo({
      auth: {
        bearerTokens: [
          { name: 'good', token: 'good-token-3c5e7a9b1d2f4e6a' },
          { name: 'other', token: 'other-token-8d6b4f2a0c1e3d5b' },
        ],
      },
      rateLimits: {
        default: { max: 3, windowSeconds: 60 },
        byCredential: { other: { max: 5, windowSeconds: 60 } },
      },
    });
    try {
      // The budget follows the credential, whichever address it comes from.
      for (let i = 0; i < 3; i++) {
        const response = await demo.app.inject({
          url: USERS,
          headers: GOOD,
          remoteAddress: `192.0.2.${i + 1}`,
        });
        expect(response.statusCode, response.body).toBe(200);
      }
      const limited = await demo.app.inject({ url: USERS, headers: GOOD });
      expectScimError(limited, 429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.json().detail).toContain("'good'");

      for (let i = 0; i < 5; i++)
        expect((await demo.app.inject({ url: USERS, headers: OTHER })).statusCode).toBe(200);
      expectScimError(await demo.app.inject({ url: USERS, headers: OTHER }), 429);
      // Unauthenticated requests are answered 401 before any budget is spent or checked.
      expectScimError(await demo.app.inject({ url: USERS, headers: WRONG }), 401);
      // Health checks are outside every SCIM mount.
      expect((await demo.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await demo.close();
    }
  });
});
