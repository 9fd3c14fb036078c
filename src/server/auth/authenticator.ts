import { timingSafeEqual } from 'node:crypto';
import { ScimError, scimErrors } from '../../scim/errors.js';
import { parseAuthorizationHeader } from './authorization-header.js';
import type {
  AuthenticatedClient,
  BasicCredential,
  Credential,
  JwtCredential,
  StaticTokenCredential,
  TenantAuth,
} from './credential.js';
import { looksLikeJwt, verifyJwt } from './jwt-verifier.js';
import { hashSecretSha256, hexDigestsEqual, sha256, sha256Hex, verifySecret } from './secret-hash.js';

/**
 * Checks a request's Authorization header: who it is, or a 401 (503 if keys
 * are unreachable). A SHA-256 bearer token — the common case, checked on
 * every request — is answered synchronously; scrypt, JWT and Basic checks
 * return a promise. Failures are thrown or rejected.
 */
export type Authenticator = (
  authorization: string | undefined,
) => AuthenticatedClient | Promise<AuthenticatedClient>;

/** The realm and schemes a 401 advertises (RFC 6750 §3, RFC 7617 §2). */
export function wwwAuthenticate(credentials: readonly Credential[], error?: 'invalid_token'): string {
  const bearer = `Bearer realm="crosswalk"${error === undefined ? '' : `, error="${error}"`}`;
  return credentials.some((credential) => credential.kind === 'basic')
    ? `${bearer}, Basic realm="crosswalk", charset="UTF-8"`
    : bearer;
}

/** A 401 that carries its own WWW-Authenticate value (the error handler sends it). */
export class AuthenticationError extends ScimError {
  readonly challenge: string;

  constructor(detail: string, challenge: string) {
    super(401, detail);
    this.challenge = challenge;
  }
}

/** Plain tokens (tests, CROSSWALK_TOKEN) become hashed credentials like the configured ones. */
export function credentialsOf(auth: TenantAuth): Credential[] {
  const plain = (auth.bearerTokens ?? []).map(
    (bearer): StaticTokenCredential => ({
      kind: 'bearer',
      name: bearer.name,
      readOnly: bearer.readOnly ?? false,
      tokenHash: hashSecretSha256(bearer.token),
    }),
  );
  return [...plain, ...(auth.credentials ?? [])];
}

/** Successful slow (scrypt) verifications, by SHA-256 of the secret, so scrypt runs once per secret. */
const SCRYPT_CACHE_SIZE = 1000;

/** One frozen client per credential, made once: requests share it instead of allocating their own. */
function clientsOf(credentials: readonly Credential[]): (credential: Credential) => AuthenticatedClient {
  const clients = new Map<Credential, AuthenticatedClient>(
    credentials.map((credential) => [
      credential,
      Object.freeze({ name: credential.name, readOnly: credential.readOnly, kind: credential.kind }),
    ]),
  );
  return (credential) => clients.get(credential) as AuthenticatedClient;
}

export function createAuthenticator(auth: TenantAuth): Authenticator {
  const credentials = credentialsOf(auth);
  const toClient = clientsOf(credentials);
  const tokens = credentials.filter((c): c is StaticTokenCredential => c.kind === 'bearer');
  const fastTokens = tokens.filter((c) => c.tokenHash.algorithm === 'sha256');
  const slowTokens = tokens.filter((c) => c.tokenHash.algorithm === 'scrypt');
  const jwts = credentials.filter((c): c is JwtCredential => c.kind === 'jwt');
  const basics = credentials.filter((c): c is BasicCredential => c.kind === 'basic');
  const verified = new Map<string, Credential>();

  const remember = (key: string, credential: Credential): void => {
    if (verified.size >= SCRYPT_CACHE_SIZE) verified.delete(verified.keys().next().value ?? '');
    verified.set(key, credential);
  };

  const unauthorized = (detail: string, error?: 'invalid_token'): AuthenticationError =>
    new AuthenticationError(detail, wwwAuthenticate(credentials, error));

  const bearer = (token: string): AuthenticatedClient | Promise<AuthenticatedClient> => {
    const digest = sha256Hex(token);
    // Every SHA-256 token is compared, so timing shows neither the content nor which one matched.
    let match: Credential | undefined;
    for (const candidate of fastTokens) {
      if (candidate.tokenHash.algorithm !== 'sha256') continue;
      if (hexDigestsEqual(digest, candidate.tokenHash.digestHex) && match === undefined) match = candidate;
    }
    if (match !== undefined) return toClient(match);
    return slowBearer(token, digest);
  };

  const slowBearer = async (token: string, digest: string): Promise<AuthenticatedClient> => {
    const cacheKey = `bearer:${digest}`;
    const cached = verified.get(cacheKey);
    if (cached !== undefined) return toClient(cached);
    for (const candidate of slowTokens) {
      if (await verifySecret(token, candidate.tokenHash)) {
        remember(cacheKey, candidate);
        return toClient(candidate);
      }
    }

    if (jwts.length > 0 && looksLikeJwt(token)) {
      let unreachable = false;
      for (const candidate of jwts) {
        const verdict = await verifyJwt(token, candidate);
        if (verdict === 'valid') return toClient(candidate);
        if (verdict === 'unavailable') unreachable = true;
      }
      // Refusing a possibly valid token as "invalid" would make the client drop it; say "try later".
      if (unreachable)
        throw scimErrors.unavailable('The signing keys to check this token cannot be fetched now', 30);
    }
    throw unauthorized('The bearer token is not valid', 'invalid_token');
  };

  const basic = async (username: string, password: string): Promise<AuthenticatedClient> => {
    const cacheKey = `basic:${sha256(`${username}\u0000${password}`).toString('hex')}`;
    const cached = verified.get(cacheKey);
    if (cached !== undefined) return toClient(cached);
    const presentedUser = sha256(username);
    for (const candidate of basics) {
      const sameUser = timingSafeEqual(presentedUser, sha256(candidate.username));
      // The password is checked even for another user name, so timing does not reveal valid names.
      const samePassword = await verifySecret(password, candidate.passwordHash);
      if (sameUser && samePassword) {
        if (candidate.passwordHash.algorithm === 'scrypt') remember(cacheKey, candidate);
        return toClient(candidate);
      }
    }
    throw unauthorized('The user name or password is not valid');
  };

  return (authorization) => {
    const presented = parseAuthorizationHeader(authorization);
    if (presented === undefined) {
      const how = basics.length > 0 ? 'Bearer <token> or Basic' : 'Bearer <token>';
      throw unauthorized(`Authentication required: send Authorization: ${how}`);
    }
    if (presented.scheme === 'bearer') return bearer(presented.token);
    if (basics.length === 0)
      throw unauthorized('Basic authentication is not enabled here; send a bearer token');
    return basic(presented.username, presented.password);
  };
}
