/** The configuration file as JSON Schema (schema/crosswalk-config.schema.json) accepts it. */
export interface RawGatewayConfig {
  readonly version: 1;
  readonly server?: RawServer;
  readonly tenants: readonly RawTenant[];
}

export interface RawServer {
  readonly host?: string;
  readonly port?: number;
  readonly trustProxy?: boolean;
  readonly tls?: RawTls;
  readonly limits?: RawLimits;
  readonly rateLimit?: {
    readonly perCredential?: RawRequestRate;
    readonly failedAuthentication?: { readonly maxFailures: number; readonly windowSeconds?: number };
  };
}

export interface RawTls {
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly passphrase?: string;
  readonly minVersion?: 'TLSv1.2' | 'TLSv1.3';
  readonly watchIntervalSeconds?: number;
}

export interface RawLimits {
  readonly bodyBytes?: number;
  readonly headerBytes?: number;
  readonly requestTimeoutSeconds?: number;
  readonly headersTimeoutSeconds?: number;
  readonly keepAliveTimeoutSeconds?: number;
  readonly idleTimeoutSeconds?: number;
  readonly backendTimeoutSeconds?: number;
  readonly defaultPageSize?: number;
  readonly maxPageSize?: number;
  readonly maxBulkOperations?: number;
}

export interface RawRequestRate {
  readonly max: number;
  readonly windowSeconds?: number;
}

export interface RawTenant {
  readonly name: string;
  readonly basePath?: string;
  readonly mapping: string;
  readonly credentials: readonly RawCredential[];
}

export interface RawCredential {
  readonly name: string;
  readonly type: 'bearer' | 'jwt' | 'basic';
  readonly readOnly?: boolean;
  readonly rateLimit?: RawRequestRate;
  readonly tokenHash?: string;
  readonly token?: string;
  readonly issuer?: string | readonly string[];
  readonly audience?: string | readonly string[];
  readonly jwksUrl?: string;
  readonly jwksFile?: string;
  readonly jwksCacheSeconds?: number;
  readonly jwksCooldownSeconds?: number;
  readonly algorithms?: readonly string[];
  readonly clockToleranceSeconds?: number;
  readonly requiredClaims?: Readonly<Record<string, string | readonly string[]>>;
  readonly username?: string;
  readonly passwordHash?: string;
  readonly password?: string;
}
