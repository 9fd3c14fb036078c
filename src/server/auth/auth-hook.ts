import type { FastifyInstance, FastifyRequest } from 'fastify';
import { scimErrors } from '../../scim/errors.js';
import { AuthenticationError, createAuthenticator } from './authenticator.js';
import type { AuthenticatedClient, TenantAuth } from './credential.js';
import type { FailedAuthLimiter } from './failed-auth-limiter.js';
import { isWriteRequest } from './read-only-guard.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Name of the credential that authenticated the request (for logs, audit, rate limits). */
    credentialName?: string;
    /** The credential that authenticated the request. */
    credential?: AuthenticatedClient;
  }
}

export interface AuthHookOptions {
  readonly auth: TenantAuth;
  /** Shared by all mounts of the app: failures count per client address, whichever tenant they hit. */
  readonly failedAuth?: FailedAuthLimiter;
}

/**
 * Authentication, the failed-attempt brake and the read-only rule, as one
 * onRequest hook: it runs before the body is read, so anonymous or blocked
 * clients cannot make us parse megabytes.
 */
export function registerAuthentication(fastify: FastifyInstance, options: AuthHookOptions): void {
  const authenticate = createAuthenticator(options.auth);
  const limiter = options.failedAuth;

  /** Records who the client is; the refusal to hand to `done` when it may not do this, else undefined. */
  const admitted = (request: FastifyRequest, client: AuthenticatedClient): Error | undefined => {
    request.credentialName = client.name;
    request.credential = client;
    // The matched route pattern, so an encoded or odd URL cannot pass a write off as `/.search`.
    if (client.readOnly && isWriteRequest(request.method, request.routeTemplate ?? request.url))
      return scimErrors.forbidden(`The credential '${client.name}' may only read`);
    return undefined;
  };
  const refuse = (request: FastifyRequest, error: unknown): unknown => {
    // A missing header is a client that has not tried yet; a wrong one is a guess.
    if (error instanceof AuthenticationError && request.headers.authorization !== undefined)
      limiter?.recordFailure(request.ip);
    return error;
  };

  // Callback-style, and synchronous for SHA-256 bearer tokens: it runs on every request.
  fastify.addHook('onRequest', (request, _reply, done) => {
    let outcome: AuthenticatedClient | Promise<AuthenticatedClient>;
    try {
      const blockedFor = limiter?.retryAfter(request.ip);
      if (blockedFor !== undefined) {
        throw scimErrors.tooManyRequests(
          'Too many failed authentication attempts from this client; try again later',
          blockedFor,
        );
      }
      outcome = authenticate(request.headers.authorization);
    } catch (error) {
      done(refuse(request, error) as Error);
      return;
    }
    if (outcome instanceof Promise) {
      outcome.then(
        (client) => done(admitted(request, client)),
        (error: unknown) => done(refuse(request, error) as Error),
      );
      return;
    }
    done(admitted(request, outcome));
  });
}
