import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

export interface RemoteJwksOptions {
  /** How long fetched keys are trusted before a refetch (seconds). */
  readonly cacheMaxAgeSeconds: number;
  /** Least time between two fetches, even for tokens with an unknown `kid` (seconds). */
  readonly cooldownSeconds: number;
  /** Give up on one fetch after this long (milliseconds). */
  readonly timeoutMs: number;
}

export const DEFAULT_REMOTE_JWKS: RemoteJwksOptions = {
  cacheMaxAgeSeconds: 600,
  cooldownSeconds: 30,
  timeoutMs: 5000,
};

/** Keys from a JWKS document read from a file at load. */
export function localJwks(document: JSONWebKeySet): JWTVerifyGetKey {
  return createLocalJWKSet(document);
}

/**
 * Keys fetched from a URL (Entra: https://login.microsoftonline.com/{tid}/discovery/keys),
 * cached for cacheMaxAge; a token with an unknown `kid` triggers at most one
 * refetch per cooldown, so forged tokens cannot make us hammer the provider.
 */
export function remoteJwks(url: URL, options: RemoteJwksOptions = DEFAULT_REMOTE_JWKS): JWTVerifyGetKey {
  return createRemoteJWKSet(url, {
    cacheMaxAge: options.cacheMaxAgeSeconds * 1000,
    cooldownDuration: options.cooldownSeconds * 1000,
    timeoutDuration: options.timeoutMs,
  });
}
