import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { LdapBackendConfig, SqlBackendConfig } from './compiled-mapping.js';
import type { IssueCollector } from './issue-collector.js';
import type { RawLdapBackend, RawSqlBackend } from './raw-mapping.js';

const BACKEND = ['backend'] as const;
/** Enough for every read and write shape of a typical mapping; see postgres-prepared-statements.ts. */
const DEFAULT_PREPARED_STATEMENTS = 100;

function absolutePath(path: string, baseDir: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

function compileSqlBackend(raw: RawSqlBackend, baseDir: string, issues: IssueCollector): SqlBackendConfig {
  // One SQLite connection: writes lock the whole file anyway.
  const fallback = raw.dialect === 'sqlite' ? { min: 1, max: 1 } : { min: 0, max: 10 };
  const pool = { min: raw.pool?.min ?? fallback.min, max: raw.pool?.max ?? fallback.max };
  if (pool.min > pool.max)
    issues.report([...BACKEND, 'pool', 'min'], `min (${pool.min}) is larger than max (${pool.max})`);
  if (raw.preparedStatements !== undefined && raw.dialect !== 'postgres')
    issues.report(
      [...BACKEND, 'preparedStatements'],
      `preparedStatements applies to PostgreSQL only, not to ${raw.dialect}`,
    );
  return {
    type: 'sql',
    dialect: raw.dialect,
    connection: { ...raw.connection },
    pool,
    preparedStatements:
      raw.dialect === 'postgres' ? (raw.preparedStatements ?? DEFAULT_PREPARED_STATEMENTS) : 0,
    timeouts: { connectMs: raw.timeouts?.connectMs ?? 10_000 },
    ...(raw.bootstrap === undefined
      ? {}
      : {
          bootstrap: {
            schemaFile: absolutePath(raw.bootstrap.schema, baseDir),
            ...(raw.bootstrap.seed === undefined
              ? {}
              : { seedFile: absolutePath(raw.bootstrap.seed, baseDir) }),
            whenTableMissing: raw.bootstrap.whenTableMissing,
          },
        }),
  };
}

function presentText(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function readCaFile(path: string, baseDir: string, issues: IssueCollector): string | undefined {
  try {
    return readFileSync(absolutePath(path, baseDir), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    issues.report([...BACKEND, 'tls', 'caFile'], `cannot read file "${path}" (${code})`);
    return undefined;
  }
}

function compileLdapBackend(raw: RawLdapBackend, baseDir: string, issues: IssueCollector): LdapBackendConfig {
  // An unresolved reference was reported already; checking its text would only add noise.
  const url = raw.url.trim();
  if (!url.includes('${') && !/^ldaps?:\/\/[^/]/i.test(url)) {
    issues.report([...BACKEND, 'url'], 'must start with ldap:// or ldaps://');
  }
  const startTls = raw.startTls ?? false;
  if (startTls && /^ldaps:/i.test(url)) {
    issues.report([...BACKEND, 'startTls'], 'StartTLS is for ldap:// URLs; ldaps:// is encrypted already');
  }
  // An empty value (`caFile: ${env:LDAP_CA_FILE:-}` with the variable unset) means "no CA given",
  // not "read the mapping's folder" (EISDIR).
  let ca = presentText(raw.tls?.ca);
  const caFile = presentText(raw.tls?.caFile);
  if (caFile !== undefined) {
    if (ca !== undefined)
      issues.report([...BACKEND, 'tls', 'caFile'], 'give either "ca" or "caFile", not both', 'key');
    // Unresolved (`validate` without secrets): the file is only known where the mapping is deployed.
    else if (!caFile.includes('${')) ca = readCaFile(caFile, baseDir, issues);
  }
  return {
    type: 'ldap',
    directory: raw.directory ?? 'generic',
    url,
    bind: { dn: raw.bind.dn, password: raw.bind.password },
    startTls,
    tls: { ...(ca === undefined ? {} : { ca }), rejectUnauthorized: raw.tls?.rejectUnauthorized ?? true },
    pool: { size: raw.pool?.size ?? 4 },
    timeouts: { connectMs: raw.timeouts?.connectMs ?? 5000, operationMs: raw.timeouts?.operationMs ?? 10000 },
  };
}

/** The backend section with defaults filled in and relative file paths made absolute. */
export function compileBackend(
  raw: RawSqlBackend | RawLdapBackend,
  baseDir: string,
  issues: IssueCollector,
): SqlBackendConfig | LdapBackendConfig {
  return raw.type === 'sql'
    ? compileSqlBackend(raw, baseDir, issues)
    : compileLdapBackend(raw, baseDir, issues);
}
