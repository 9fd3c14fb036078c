import type { Credential } from '../server/auth/credential.js';
import type { FailedAuthPolicy } from '../server/auth/failed-auth-limiter.js';
import type { ScimLimits } from '../server/limits.js';
import type { CredentialRateLimits } from '../server/rate-limit.js';
import type { ServerSettings } from '../server/server-settings.js';

/** One tenant of a loaded configuration: where it is served, its mapping file and its ready-to-use credentials. */
export interface TenantConfig {
  readonly name: string;
  /** Normalised, e.g. `/scim/v2` or `/acme/scim/v2`. */
  readonly basePath: string;
  /** Absolute path of the mapping file. */
  readonly mappingFile: string;
  readonly credentials: readonly Credential[];
  readonly rateLimits: CredentialRateLimits;
}

/** A validated gateway configuration with secrets resolved and hashed; no plain token or password remains. */
export interface GatewayConfig {
  /** Absolute path of the configuration file. */
  readonly source: string;
  readonly host?: string;
  readonly port?: number;
  readonly trustProxy: boolean;
  readonly server: ServerSettings;
  readonly bodyLimit?: number;
  readonly limits: Partial<Omit<ScimLimits, 'bodyLimit'>>;
  readonly backendTimeoutMs?: number;
  readonly failedAuth: FailedAuthPolicy | false;
  readonly tenants: readonly TenantConfig[];
}
