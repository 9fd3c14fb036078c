import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { scimErrors } from '../scim/errors.js';

export interface RequestRateLimit {
  /** Requests one credential may make per window; the next answers 429 with Retry-After. */
  readonly max: number;
  readonly windowSeconds: number;
}

export interface CredentialRateLimits {
  /** For every credential of the mount without its own. */
  readonly default?: RequestRateLimit;
  /** By credential name. */
  readonly byCredential?: Readonly<Record<string, RequestRateLimit>>;
}

/**
 * A request rate limit per credential (@fastify/rate-limit, in memory per
 * replica). Its hook is added to each route, so it runs after the mount's
 * authentication hook and can key by the credential name; unauthenticated
 * requests never get this far.
 */
export async function registerCredentialRateLimit(
  fastify: FastifyInstance,
  tenant: string,
  limits: CredentialRateLimits,
): Promise<void> {
  const limitOf = (name: string | undefined): RequestRateLimit | undefined =>
    (name === undefined ? undefined : limits.byCredential?.[name]) ?? limits.default;
  // Without any limit configured, nothing is registered.
  if (limits.default === undefined && Object.keys(limits.byCredential ?? {}).length === 0) return;
  const unlimited = Number.MAX_SAFE_INTEGER;

  await fastify.register(rateLimit, {
    global: true,
    hook: 'onRequest',
    keyGenerator: (request) => `${tenant}\u0000${request.credentialName ?? ''}`,
    max: (request) => limitOf(request.credentialName)?.max ?? unlimited,
    timeWindow: (request) => (limitOf(request.credentialName)?.windowSeconds ?? 60) * 1000,
    errorResponseBuilder: (request, context) =>
      scimErrors.tooManyRequests(
        `The credential '${request.credentialName ?? ''}' exceeded ${context.max} requests per ${Math.round(
          limitOf(request.credentialName)?.windowSeconds ?? 60,
        )} s`,
        Math.max(1, Math.ceil(context.ttl / 1000)),
      ),
  });
}
