import type { JWTVerifyGetKey } from 'jose';
import type { SecretHash } from './secret-hash.js';

/** A plain bearer token given in code or by CROSSWALK_TOKEN; hashed before use, never kept as is. */
export interface BearerCredential {
  /** Who this token belongs to (kept on the request for audit logs; never the token). */
  readonly name: string;
  readonly token: string;
  readonly readOnly?: boolean;
}

/** What a SCIM mount accepts: plain tokens (tests, CLI) and/or credentials from the gateway configuration. */
export interface TenantAuth {
  readonly bearerTokens?: readonly BearerCredential[];
  readonly credentials?: readonly Credential[];
}

interface CredentialBase {
  /** Shown in logs, audit records and rate-limit keys; never a secret. */
  readonly name: string;
  /** Reads only: writes answer 403. */
  readonly readOnly: boolean;
}

/** A static bearer token, held as a hash. */
export interface StaticTokenCredential extends CredentialBase {
  readonly kind: 'bearer';
  readonly tokenHash: SecretHash;
}

/** An OAuth 2.0 access token (JWT) signed by a key of a JWKS. */
export interface JwtCredential extends CredentialBase {
  readonly kind: 'jwt';
  readonly keys: JWTVerifyGetKey;
  readonly issuer: string | readonly string[];
  readonly audience: string | readonly string[];
  /** Allowed signature algorithms; jose's default (any the key supports) when absent. */
  readonly algorithms?: readonly string[];
  /** Seconds of leeway on exp / nbf / iat. */
  readonly clockToleranceSeconds: number;
  /** Claim → the value it must have (or one of several); Entra: `tid`, `appid`. */
  readonly requiredClaims: Readonly<Record<string, string | readonly string[]>>;
}

/** HTTP Basic: a user name and a password hash. */
export interface BasicCredential extends CredentialBase {
  readonly kind: 'basic';
  readonly username: string;
  readonly passwordHash: SecretHash;
}

export type Credential = StaticTokenCredential | JwtCredential | BasicCredential;

/** The credential a request authenticated with. */
export interface AuthenticatedClient {
  readonly name: string;
  readonly readOnly: boolean;
  readonly kind: Credential['kind'];
}
