/**
 * The mapping file as written, once it passed JSON Schema validation
 * (schema/crosswalk-mapping.schema.json). These types describe exactly what
 * that schema guarantees; everything else is checked by the compiler.
 */
export interface RawMapping {
  version: 1;
  backend: RawSqlBackend | RawLdapBackend;
  resources: Record<string, RawSqlResource | RawLdapResource>;
}

export interface RawSqlBackend {
  type: 'sql';
  dialect: 'sqlite' | 'postgres' | 'mysql' | 'mssql';
  connection: Record<string, unknown>;
  pool?: { min?: number; max?: number };
  preparedStatements?: number;
  timeouts?: { connectMs?: number };
  bootstrap?: { schema: string; seed?: string; whenTableMissing: string };
}

export interface RawLdapBackend {
  type: 'ldap';
  directory?: 'openldap' | 'activeDirectory' | 'generic';
  url: string;
  bind: { dn: string; password: string };
  startTls?: boolean;
  tls?: { ca?: string; caFile?: string; rejectUnauthorized?: boolean };
  pool?: { size?: number };
  timeouts?: { connectMs?: number; operationMs?: number };
}

export type RawTransform = string | { map: Record<string, string | number | boolean>; default?: unknown };
export type RawRef = string | string[];

export interface RawSqlResource {
  table: string;
  id: string | { column: string; generate?: 'uuid' | 'database'; type?: 'uuid' | 'integer' | 'text' };
  version?: string | { column: string; kind?: 'counter' | 'timestamp' | 'rowversion' };
  created?: string;
  lastModified?: string;
  constants?: Record<string, string | number | boolean>;
  attributes: Record<string, RawSqlAttribute>;
  procedures?: Partial<Record<'create' | 'update' | 'delete' | 'addMember' | 'removeMember', RawProcedure>>;
}

export type RawSqlAttribute =
  | string
  | {
      column?: string;
      transform?: RawTransform;
      ref?: RawRef;
      readOnly?: boolean;
      default?: unknown;
      table?: string;
      owner?: string;
      columns?: Record<string, string>;
      value?: string;
      type?: string;
      caseInsensitive?: 'native' | 'fold';
    };

export interface RawProcedure {
  name: string;
  kind?: 'function' | 'procedure';
  parameters?: Record<string, string | { from: string; type?: string }>;
  returns?: string | { column?: string; output?: string; type?: string };
}

export interface RawLdapResource {
  base: string;
  scope?: 'one' | 'sub';
  objectClass: string | string[];
  filter?: string;
  rdn: string;
  id?: string;
  attributes: Record<string, RawLdapAttribute>;
}

export type RawLdapAttribute =
  | string
  | { ldap: string; transform?: RawTransform; ref?: RawRef; readOnly?: boolean; default?: unknown };
