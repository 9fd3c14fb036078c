import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

/** A SCIM error body (RFC 7644 §3.12) with the expected status. */
export function expectScimError(response: LightMyRequestResponse, status: number): void {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/scim\+json/);
  expect(response.json()).toMatchObject({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
    status: String(status),
  });
}

export const SCIM_JSON = 'application/scim+json';

export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
