import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { IssueCollector } from '../mapping/issue-collector.js';
import type { MappingIssue } from '../mapping/mapping-error.js';
import { resolveSecretsIn } from '../mapping/secret-references.js';
import { schemaIssues } from '../mapping/validate-against-schema.js';
import { parseYamlSource } from '../mapping/yaml-source.js';
import type { Credential } from '../server/auth/credential.js';
import { DEFAULT_FAILED_AUTH_POLICY } from '../server/auth/failed-auth-limiter.js';
import type { RequestRateLimit } from '../server/rate-limit.js';
import type { ServerSettings } from '../server/server-settings.js';
import type { PemSource, TlsSettings } from '../server/tls/tls-settings.js';
import { compileCredential } from './compile-credential.js';
import { ConfigError } from './config-error.js';
import { configValidator } from './config-json-schema.js';
import type { GatewayConfig, TenantConfig } from './gateway-config.js';
import type { RawGatewayConfig, RawRequestRate, RawServer, RawTenant } from './raw-gateway-config.js';

export const DEFAULT_SCIM_PATH = '/scim/v2';
/** Paths the gateway itself answers, outside every tenant. */
const RESERVED_PATHS = ['/healthz', '/readyz', '/metrics'];
const DEFAULT_WINDOW_SECONDS = 60;

const seconds = (value: number | undefined): number | undefined =>
  value === undefined ? undefined : Math.round(value * 1000);

function rate(raw: RawRequestRate): RequestRateLimit {
  return { max: raw.max, windowSeconds: raw.windowSeconds ?? DEFAULT_WINDOW_SECONDS };
}

function absolute(path: string, baseDir: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

function pemSource(
  file: string | undefined,
  pem: string | undefined,
  fileKey: string,
  pemKey: string,
  baseDir: string,
  issues: IssueCollector,
): PemSource | undefined {
  if ((file === undefined) === (pem === undefined)) {
    issues.report(['server', 'tls'], `give exactly one of "${fileKey}" and "${pemKey}"`, 'key');
    return undefined;
  }
  return file !== undefined ? { file: absolute(file, baseDir) } : { pem: pem ?? '' };
}

function compileTls(raw: RawServer['tls'], baseDir: string, issues: IssueCollector): TlsSettings | undefined {
  if (raw === undefined) return undefined;
  const cert = pemSource(raw.certFile, raw.cert, 'certFile', 'cert', baseDir, issues);
  const key = pemSource(raw.keyFile, raw.key, 'keyFile', 'key', baseDir, issues);
  if (cert === undefined || key === undefined) return undefined;
  return {
    cert,
    key,
    ...(raw.passphrase === undefined ? {} : { passphrase: raw.passphrase }),
    minVersion: raw.minVersion ?? 'TLSv1.2',
    ...(raw.watchIntervalSeconds === undefined
      ? {}
      : { watchIntervalMs: Math.round(raw.watchIntervalSeconds * 1000) }),
  };
}

function compileServerSettings(raw: RawServer, baseDir: string, issues: IssueCollector): ServerSettings {
  const limits = raw.limits ?? {};
  const tls = compileTls(raw.tls, baseDir, issues);
  const entries: [keyof ServerSettings, number | undefined][] = [
    ['maxHeaderSize', limits.headerBytes],
    ['requestTimeoutMs', seconds(limits.requestTimeoutSeconds)],
    ['headersTimeoutMs', seconds(limits.headersTimeoutSeconds)],
    ['keepAliveTimeoutMs', seconds(limits.keepAliveTimeoutSeconds)],
    ['connectionTimeoutMs', seconds(limits.idleTimeoutSeconds)],
  ];
  return {
    ...(tls === undefined ? {} : { tls }),
    ...Object.fromEntries(entries.filter(([, value]) => value !== undefined)),
  };
}

function basePathOf(tenant: RawTenant): string {
  if (tenant.basePath !== undefined) return tenant.basePath.replace(/\/+$/, '');
  return tenant.name === 'default' ? DEFAULT_SCIM_PATH : `/${tenant.name}${DEFAULT_SCIM_PATH}`;
}

function compileTenants(
  raw: readonly RawTenant[],
  baseDir: string,
  issues: IssueCollector,
  defaultRate: RequestRateLimit | undefined,
): TenantConfig[] {
  const names = new Map<string, number>();
  const paths: { path: string; index: number }[] = [];
  // Plain and SHA-256 tokens by digest: one token in two tenants would open both.
  const tokenOwners = new Map<string, string>();
  const tenants: TenantConfig[] = [];

  raw.forEach((tenant, index) => {
    const at = ['tenants', index];
    const earlier = names.get(tenant.name);
    if (earlier !== undefined) {
      issues.report([...at, 'name'], `tenant "${tenant.name}" is already defined at tenants[${earlier}]`);
    }
    names.set(tenant.name, index);

    const basePath = basePathOf(tenant);
    if (
      basePath === '' ||
      RESERVED_PATHS.some((reserved) => basePath === reserved || basePath.startsWith(`${reserved}/`))
    ) {
      issues.report(
        [...at, 'basePath'],
        `"${basePath || '/'}" is not available (the gateway serves /healthz, /readyz, /metrics)`,
      );
    }
    for (const other of paths) {
      if (
        other.path === basePath ||
        other.path.startsWith(`${basePath}/`) ||
        basePath.startsWith(`${other.path}/`)
      ) {
        issues.report(
          [...at, tenant.basePath === undefined ? 'name' : 'basePath'],
          `base path ${basePath} overlaps ${other.path} of tenants[${other.index}]`,
        );
      }
    }
    paths.push({ path: basePath, index });

    const credentialNames = new Set<string>();
    const credentials: Credential[] = [];
    const byCredential: Record<string, RequestRateLimit> = {};
    tenant.credentials.forEach((rawCredential, position) => {
      const path = [...at, 'credentials', position];
      if (credentialNames.has(rawCredential.name)) {
        issues.report(
          [...path, 'name'],
          `credential "${rawCredential.name}" is already defined in this tenant`,
        );
      }
      credentialNames.add(rawCredential.name);
      const credential = compileCredential(rawCredential, path, { issues, baseDir });
      if (credential === undefined) return;
      credentials.push(credential);
      if (rawCredential.rateLimit !== undefined)
        byCredential[credential.name] = rate(rawCredential.rateLimit);
      if (credential.kind === 'bearer' && credential.tokenHash.algorithm === 'sha256') {
        const digest = credential.tokenHash.digestHex;
        const owner = tokenOwners.get(digest);
        if (owner !== undefined && owner !== tenant.name) {
          issues.report(
            path,
            `the same token is configured for tenant "${owner}"; each tenant needs its own`,
            'key',
          );
        }
        tokenOwners.set(digest, tenant.name);
      }
    });

    tenants.push({
      name: tenant.name,
      basePath,
      mappingFile: absolute(tenant.mapping, baseDir),
      credentials,
      rateLimits: {
        ...(defaultRate === undefined ? {} : { default: defaultRate }),
        ...(Object.keys(byCredential).length === 0 ? {} : { byCredential }),
      },
    });
  });
  return tenants;
}

/**
 * YAML → JSON Schema → secret references → semantic checks. Every problem is
 * reported at once at its line and column; secrets are resolved, plain ones
 * hashed, and no message ever repeats a secret value.
 */
export function loadGatewayConfigText(
  text: string,
  fileName: string,
  env: NodeJS.ProcessEnv = process.env,
): GatewayConfig {
  const parsed = parseYamlSource(text, fileName);
  if (parsed.source === undefined) throw new ConfigError(parsed.issues);
  const source = parsed.source;
  if (source.data === null || source.data === undefined) {
    throw new ConfigError([{ file: fileName, line: 1, column: 1, message: 'the file is empty' }]);
  }
  const validate = configValidator();
  if (!validate(source.data)) throw new ConfigError(schemaIssues(source, validate));

  const baseDir = dirname(resolve(fileName));
  const resolved = resolveSecretsIn(source.data, source, { env, baseDir });
  // Resolution replaces strings by strings only, so the shape JSON Schema checked still holds.
  const raw = resolved.data as RawGatewayConfig;
  const issues = new IssueCollector(source);
  const server = raw.server ?? {};
  const limits = server.limits ?? {};
  const failed = server.rateLimit?.failedAuthentication;
  const perCredential = server.rateLimit?.perCredential;

  const config: GatewayConfig = {
    source: resolve(fileName),
    ...(server.host === undefined ? {} : { host: server.host }),
    ...(server.port === undefined ? {} : { port: server.port }),
    trustProxy: server.trustProxy ?? false,
    server: compileServerSettings(server, baseDir, issues),
    ...(limits.bodyBytes === undefined ? {} : { bodyLimit: limits.bodyBytes }),
    limits: {
      ...(limits.defaultPageSize === undefined ? {} : { defaultPageSize: limits.defaultPageSize }),
      ...(limits.maxPageSize === undefined ? {} : { maxPageSize: limits.maxPageSize }),
      ...(limits.maxBulkOperations === undefined ? {} : { maxBulkOperations: limits.maxBulkOperations }),
    },
    ...(limits.backendTimeoutSeconds === undefined
      ? {}
      : { backendTimeoutMs: Math.round(limits.backendTimeoutSeconds * 1000) }),
    failedAuth:
      failed === undefined
        ? DEFAULT_FAILED_AUTH_POLICY
        : failed.maxFailures === 0
          ? false
          : {
              maxFailures: failed.maxFailures,
              windowSeconds: failed.windowSeconds ?? DEFAULT_WINDOW_SECONDS,
            },
    tenants: compileTenants(
      raw.tenants,
      baseDir,
      issues,
      perCredential === undefined ? undefined : rate(perCredential),
    ),
  };
  const all: MappingIssue[] = [...resolved.issues, ...issues.issues];
  if (all.length > 0) throw new ConfigError(all);
  return config;
}

/** Reads and checks a gateway configuration file; `env` supplies `${env:…}` references. */
export async function loadGatewayConfigFile(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<GatewayConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError([
      { file: path, line: 1, column: 1, message: `cannot read the configuration file (${code})` },
    ]);
  }
  return loadGatewayConfigText(text, path, env);
}
