import { errors, type JWTPayload, jwtVerify } from 'jose';
import type { JwtCredential } from './credential.js';

/** `valid`: signature and claims hold. `invalid`: the token is wrong. `unavailable`: the keys could not be fetched. */
export type JwtVerdict = 'valid' | 'invalid' | 'unavailable';

/** jose codes that say something about the token, not about reaching the key set. */
const TOKEN_PROBLEMS = new Set([
  'ERR_JWT_EXPIRED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWT_INVALID',
  'ERR_JWS_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JWK_INVALID',
]);

/** Three base64url parts: worth handing to jose; anything else is an opaque token. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

function claimMatches(actual: unknown, expected: string | readonly string[]): boolean {
  const allowed = typeof expected === 'string' ? [expected] : expected;
  // A list-valued claim (roles, groups) matches when it holds an allowed value.
  const values = Array.isArray(actual) ? actual : [actual];
  return values.some((value) => typeof value === 'string' && allowed.includes(value));
}

function requiredClaimsHold(payload: JWTPayload, credential: JwtCredential): boolean {
  return Object.entries(credential.requiredClaims).every(([claim, expected]) =>
    claimMatches(payload[claim], expected),
  );
}

/** Checks signature, iss, aud, exp/nbf (with leeway) and the required claims of one credential. */
export async function verifyJwt(token: string, credential: JwtCredential): Promise<JwtVerdict> {
  try {
    const { payload } = await jwtVerify(token, credential.keys, {
      issuer: typeof credential.issuer === 'string' ? credential.issuer : [...credential.issuer],
      audience: typeof credential.audience === 'string' ? credential.audience : [...credential.audience],
      clockTolerance: credential.clockToleranceSeconds,
      ...(credential.algorithms === undefined ? {} : { algorithms: [...credential.algorithms] }),
      requiredClaims: ['exp'],
    });
    return requiredClaimsHold(payload, credential) ? 'valid' : 'invalid';
  } catch (error) {
    if (error instanceof errors.JOSEError && TOKEN_PROBLEMS.has(error.code)) return 'invalid';
    return 'unavailable';
  }
}
