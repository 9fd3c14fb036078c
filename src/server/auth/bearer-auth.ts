import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { scimErrors } from '../../scim/errors.js';

export interface BearerCredential {
  /** Who this token belongs to (kept on the request for audit logs; never the token). */
  readonly name: string;
  readonly token: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Name of the credential that authenticated the request. */
    credentialName?: string;
  }
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Checks `Authorization: Bearer <token>` against the configured tokens.
 * Comparing SHA-256 digests with timingSafeEqual keeps both the content and
 * the length of the tokens out of response timing; every credential is
 * compared, so which one matched does not show either.
 */
export function createBearerAuthenticator(
  credentials: readonly BearerCredential[],
): (request: FastifyRequest) => void {
  const known = credentials.map((credential) => ({
    name: credential.name,
    digest: digest(credential.token),
  }));
  return (request) => {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header) : null;
    const token = match?.[1];
    if (token === undefined)
      throw scimErrors.unauthorized('Authentication required: send Authorization: Bearer <token>');
    const presented = digest(token);
    let name: string | undefined;
    for (const candidate of known) {
      if (timingSafeEqual(presented, candidate.digest) && name === undefined) name = candidate.name;
    }
    if (name === undefined) throw scimErrors.unauthorized('The bearer token is not valid');
    request.credentialName = name;
  };
}
