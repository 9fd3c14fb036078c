import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { JSONWebKeySet } from 'jose';
import type { IssueCollector } from '../mapping/issue-collector.js';
import type { DocumentPath } from '../mapping/yaml-source.js';
import type { Credential } from '../server/auth/credential.js';
import { DEFAULT_REMOTE_JWKS, localJwks, remoteJwks } from '../server/auth/jwks.js';
import {
  hashSecretSha256,
  parseSecretHash,
  type SecretHash,
  secretHashProblem,
} from '../server/auth/secret-hash.js';
import type { RawCredential } from './raw-gateway-config.js';

/** Leeway on exp / nbf when the file sets none: clocks of an IdP and a server on-prem drift. */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 60;

/** Properties each credential type reads; any other set on it is reported, not silently ignored. */
const PROPERTIES_OF: Record<RawCredential['type'], readonly string[]> = {
  bearer: ['tokenHash', 'token'],
  jwt: [
    'issuer',
    'audience',
    'jwksUrl',
    'jwksFile',
    'jwksCacheSeconds',
    'jwksCooldownSeconds',
    'algorithms',
    'clockToleranceSeconds',
    'requiredClaims',
  ],
  basic: ['username', 'passwordHash', 'password'],
};
const COMMON = new Set(['name', 'type', 'readOnly', 'rateLimit']);

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface CredentialContext {
  readonly issues: IssueCollector;
  /** Folder of the configuration file: relative jwksFile paths start there. */
  readonly baseDir: string;
}

/** Exactly one of a hash or a plain secret (already resolved from its reference), as a SecretHash. */
function secretOf(
  raw: RawCredential,
  path: DocumentPath,
  hashKey: 'tokenHash' | 'passwordHash',
  plainKey: 'token' | 'password',
  context: CredentialContext,
): SecretHash | undefined {
  const hash = raw[hashKey];
  const plain = raw[plainKey];
  if ((hash === undefined) === (plain === undefined)) {
    context.issues.report(path, `give exactly one of "${hashKey}" and "${plainKey}"`, 'key');
    return undefined;
  }
  if (plain !== undefined) return hashSecretSha256(plain);
  const problem = secretHashProblem(hash ?? '');
  if (problem !== undefined) {
    context.issues.report([...path, hashKey], problem);
    return undefined;
  }
  return parseSecretHash(hash ?? '');
}

function readJwksFile(
  file: string,
  path: DocumentPath,
  context: CredentialContext,
): JSONWebKeySet | undefined {
  const absolute = isAbsolute(file) ? file : resolve(context.baseDir, file);
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(absolute, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    context.issues.report(
      path,
      code === undefined ? 'the JWKS file is not JSON' : `cannot read the JWKS file (${code})`,
    );
    return undefined;
  }
  const keys = (document as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    context.issues.report(path, 'the JWKS file has no "keys" list');
    return undefined;
  }
  return document as JSONWebKeySet;
}

function jwtKeys(raw: RawCredential, path: DocumentPath, context: CredentialContext) {
  if ((raw.jwksUrl === undefined) === (raw.jwksFile === undefined)) {
    context.issues.report(path, 'give exactly one of "jwksUrl" and "jwksFile"', 'key');
    return undefined;
  }
  if (raw.jwksFile !== undefined) {
    const document = readJwksFile(raw.jwksFile, [...path, 'jwksFile'], context);
    if (document === undefined) return undefined;
    try {
      return localJwks(document);
    } catch {
      context.issues.report([...path, 'jwksFile'], 'the JWKS file is not a valid JSON Web Key Set');
      return undefined;
    }
  }
  let url: URL;
  try {
    url = new URL(raw.jwksUrl ?? '');
  } catch {
    context.issues.report([...path, 'jwksUrl'], 'is not a valid URL');
    return undefined;
  }
  // Keys fetched in clear text could be swapped by anyone on the path.
  if (url.protocol !== 'https:' && !LOOPBACK.has(url.hostname)) {
    context.issues.report([...path, 'jwksUrl'], 'must use https (http only for localhost)');
    return undefined;
  }
  return remoteJwks(url, {
    cacheMaxAgeSeconds: raw.jwksCacheSeconds ?? DEFAULT_REMOTE_JWKS.cacheMaxAgeSeconds,
    cooldownSeconds: raw.jwksCooldownSeconds ?? DEFAULT_REMOTE_JWKS.cooldownSeconds,
    timeoutMs: DEFAULT_REMOTE_JWKS.timeoutMs,
  });
}

/** A credential of the file as the authenticator uses it; undefined (with issues reported) when it is wrong. */
export function compileCredential(
  raw: RawCredential,
  path: DocumentPath,
  context: CredentialContext,
): Credential | undefined {
  const allowed = new Set([...COMMON, ...PROPERTIES_OF[raw.type]]);
  let unusable = false;
  for (const key of Object.keys(raw)) {
    if (allowed.has(key)) continue;
    context.issues.report([...path, key], `"${key}" does not apply to a ${raw.type} credential`, 'key');
    unusable = true;
  }
  const base = { name: raw.name, readOnly: raw.readOnly ?? false };
  switch (raw.type) {
    case 'bearer': {
      const tokenHash = secretOf(raw, path, 'tokenHash', 'token', context);
      return tokenHash === undefined || unusable ? undefined : { ...base, kind: 'bearer', tokenHash };
    }
    case 'basic': {
      const passwordHash = secretOf(raw, path, 'passwordHash', 'password', context);
      return passwordHash === undefined || unusable
        ? undefined
        : { ...base, kind: 'basic', username: raw.username ?? '', passwordHash };
    }
    case 'jwt': {
      const keys = jwtKeys(raw, path, context);
      if (keys === undefined || unusable) return undefined;
      return {
        ...base,
        kind: 'jwt',
        keys,
        issuer: raw.issuer ?? [],
        audience: raw.audience ?? [],
        ...(raw.algorithms === undefined ? {} : { algorithms: raw.algorithms }),
        clockToleranceSeconds: raw.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
        requiredClaims: raw.requiredClaims ?? {},
      };
    }
  }
}
