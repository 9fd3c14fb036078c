import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { ScimError, scimErrors } from '../../src/scim/errors.js';
import { scimErrorHandler } from '../../src/server/error-handler.js';

/** The handler on its own: errors a route may throw, and how each reaches the client. */
async function responseFor(error: unknown) {
  const app = Fastify({ logger: false });
  app.setErrorHandler(scimErrorHandler);
  app.get('/boom', async () => {
    throw error;
  });
  const response = await app.inject({ url: '/boom' });
  await app.close();
  return response;
}

describe('scimErrorHandler', () => {
  it.each([
    [scimErrors.invalidFilter('bad'), 400, 'invalidFilter'],
    [scimErrors.uniqueness('taken'), 409, 'uniqueness'],
    [scimErrors.preconditionFailed('stale'), 412, undefined],
    [new ScimError(429, 'slow down', undefined, { retryAfter: 30 }), 429, undefined],
  ])('ScimError %# keeps its status and scimType', async (error, status, scimType) => {
    const response = await responseFor(error);
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toBe('application/scim+json; charset=utf-8');
    expect(response.json()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: String(status),
      ...(scimType === undefined ? {} : { scimType }),
      detail: error.message,
    });
  });

  it('sends Retry-After when the error carries it', async () => {
    const response = await responseFor(scimErrors.unavailable('backend down', 7));
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('7');
  });

  it('an unexpected error becomes a generic 500 that leaks nothing', async () => {
    const response = await responseFor(new Error('SELECT * FROM users WHERE password = ? -- secret123'));
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '500',
      detail: 'Internal server error',
    });
    expect(response.body).not.toContain('secret123');
  });

  it('a thrown non-Error is a 500 too', async () => {
    expect((await responseFor('just a string')).statusCode).toBe(500);
  });
});
