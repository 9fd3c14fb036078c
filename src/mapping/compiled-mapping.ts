import type { ResourceSchema } from '../scim/schema/model.js';
import type { ValueTransform } from './transforms/value-transform.js';

/**
 * The output of the mapping compiler: frozen, validated, secrets resolved.
 * Backends consume only this, never the YAML.
 */
export interface CompiledMapping {
  /** Absolute path of the file it came from (for messages). */
  readonly source: string;
  readonly backend: SqlBackendConfig | LdapBackendConfig;
  readonly resourceTypes: readonly CompiledResourceType[];
}

export type SqlDialect = 'sqlite' | 'postgres' | 'mysql' | 'mssql';

export interface SqlBackendConfig {
  readonly type: 'sql';
  readonly dialect: SqlDialect;
  /** Driver connection settings, secrets already resolved (never log this). */
  readonly connection: Readonly<Record<string, unknown>>;
  readonly pool: { readonly min: number; readonly max: number };
  /** Statements each connection keeps prepared on the server (PostgreSQL; 0 = none). */
  readonly preparedStatements: number;
  /** Longest wait for a pooled connection, connecting included (knex acquireConnectionTimeout); default 10 s. */
  readonly timeouts?: { readonly connectMs: number };
  /** Optional SQL files run at start-up when the schema is missing (the embedded demo uses it). Absolute paths. */
  readonly bootstrap?: {
    readonly schemaFile: string;
    readonly seedFile?: string;
    readonly whenTableMissing: string;
  };
}

export interface LdapBackendConfig {
  readonly type: 'ldap';
  readonly directory: 'openldap' | 'activeDirectory' | 'generic';
  readonly url: string;
  readonly bind: { readonly dn: string; readonly password: string };
  readonly startTls: boolean;
  readonly tls: { readonly ca?: string; readonly rejectUnauthorized: boolean };
  readonly pool: { readonly size: number };
  readonly timeouts: { readonly connectMs: number; readonly operationMs: number };
}

export interface CompiledResourceType {
  /** `User` */
  readonly name: string;
  /** Narrowed to the mapped attributes, with the mapping's mutability applied. */
  readonly schema: ResourceSchema;
  readonly attributes: readonly CompiledAttribute[];
  readonly sql?: SqlResourceSpec;
  readonly ldap?: LdapResourceSpec;
}

/** Canonical SCIM side of a mapping entry. */
export interface ScimAttributeRef {
  /** Schema URN that defines the attribute (core or extension). */
  readonly schema: string;
  /** Canonical top-level attribute name, e.g. `emails`, `name`, `manager`. */
  readonly attribute: string;
  /** `givenName` for `name.givenName`; `value` for `emails[type eq "work"].value`. */
  readonly subAttribute?: string;
  /** `work` for `emails[type eq "work"].value`: the mapped column/attribute holds the one value of that type. */
  readonly typeValue?: string;
}

interface CompiledAttributeBase {
  readonly scim: ScimAttributeRef;
  /** readOnly in the mapping (computed columns, operational attributes). */
  readonly readOnly: boolean;
  /** Resource types a reference points to (`manager` → [User], `members` → [User, Group]). */
  readonly ref?: readonly string[];
}

/**
 * One SCIM value ↔ one column (SQL) or one single-valued LDAP attribute.
 * Covers `userName`, `name.givenName`, the enterprise `manager` (with ref),
 * and typed picks such as `emails[type eq "work"].value`.
 */
export interface ScalarAttribute extends CompiledAttributeBase {
  readonly kind: 'scalar';
  /** Column name (SQL) or LDAP attribute name. */
  readonly target: string;
  readonly transform?: ValueTransform;
  /** Written on create when the client sends nothing. */
  readonly defaultValue?: unknown;
  /** SQL: the column itself ignores case (citext, a `_ci` collation), so case-insensitive attributes compare plainly. */
  readonly nativeCaseInsensitive?: boolean;
}

/**
 * A multi-valued complex attribute (emails, phoneNumbers, addresses) stored
 * as rows of a child table: one row per value, one column per sub-attribute.
 */
export interface ChildTableAttribute extends CompiledAttributeBase {
  readonly kind: 'childTable';
  readonly table: string;
  /** Column in the child table holding the owner's id. */
  readonly ownerColumn: string;
  /** Sub-attribute name (`value`, `type`, `primary`, `display`) → column. */
  readonly columns: Readonly<Record<string, string>>;
  /** The text columns ignore case themselves (citext, a `_ci` collation): compare them plainly. */
  readonly nativeCaseInsensitive?: boolean;
}

/**
 * A multi-valued reference attribute: group `members` (SQL join table or LDAP
 * `member` DNs), or a user's read-only `groups`.
 */
export interface ReferenceListAttribute extends CompiledAttributeBase {
  readonly kind: 'referenceList';
  /** SQL: the join table. */
  readonly joinTable?: {
    readonly table: string;
    /** Column holding this resource's id (group_id). */
    readonly ownerColumn: string;
    /** Column holding the referenced id (member_id). */
    readonly valueColumn: string;
    /** Optional column holding the referenced resource type name ('User' / 'Group'). */
    readonly typeColumn?: string;
  };
  /** LDAP: the attribute holding DNs (`member`, `memberOf`). */
  readonly ldapAttribute?: string;
}

export type CompiledAttribute = ScalarAttribute | ChildTableAttribute | ReferenceListAttribute;

export interface SqlResourceSpec {
  readonly table: string;
  readonly id: {
    readonly column: string;
    readonly generate: 'uuid' | 'database';
    /**
     * What the key can hold; an id that cannot be one is not found, without
     * asking the database. The compiler always sets it; absent means `integer`
     * for `generate: database`, `uuid` otherwise.
     */
    readonly type?: 'uuid' | 'integer' | 'text';
  };
  /** Optimistic concurrency source → meta.version. */
  readonly version?: { readonly column: string; readonly kind: 'counter' | 'timestamp' | 'rowversion' };
  readonly createdColumn?: string;
  readonly lastModifiedColumn?: string;
  /** Column → fixed value: written on insert, and every statement sees only rows holding them. */
  readonly constants?: Readonly<Record<string, string | number | boolean>>;
  /**
   * Stored procedures that make every write of this resource type (reads
   * still use `table`); absent → plain INSERT/UPDATE/DELETE. create, update
   * and delete are always present; addMember/removeMember when the type has
   * a writable join table.
   */
  readonly procedures?: Readonly<Partial<Record<ProcedureOperation, ProcedureSpec>>>;
}

export type ProcedureOperation = 'create' | 'update' | 'delete' | 'addMember' | 'removeMember';

export interface ProcedureSpec {
  /** Validated identifier, optionally schema-qualified: `dbo.usp_CreateUser`. */
  readonly name: string;
  /** PostgreSQL `function` (`select * from fn(…)`) or `procedure` (`CALL`); the other dialects call procedures. */
  readonly kind: 'function' | 'procedure';
  /** Parameter name → source, in the mapping's order (MySQL binds by position). */
  readonly parameters: Readonly<Record<string, ProcedureParameter>>;
  /** How create hands back a database-generated id: a column of the row it returns, or an OUTPUT parameter. */
  readonly returns?: ProcedureReturns;
}

export interface ProcedureParameter {
  /** `$id`, `$version`, `$memberId`, `$memberType`, or the canonical SCIM path of a mapped attribute (`name.givenName`). */
  readonly from: string;
  /** For an attribute source: the mapped attribute it reads (a scalar's column value, or a child table's values as JSON). */
  readonly scim?: ScimAttributeRef;
  /** Validated SQL type, canonical text (`nvarchar(256)`). */
  readonly type?: string;
}

export type ProcedureReturns =
  | { readonly column: string }
  | { readonly output: string; readonly type?: string };

export interface LdapResourceSpec {
  readonly base: string;
  readonly scope: 'one' | 'sub';
  readonly objectClasses: readonly string[];
  /** Extra filter ANDed into every search, e.g. `(objectClass=inetOrgPerson)`. */
  readonly baseFilter?: string;
  /** RDN template, e.g. `uid={userName}` or `CN={displayName}`: attribute = template of SCIM attribute names. */
  readonly rdn: { readonly attribute: string; readonly template: string };
  /** Operational attribute used as SCIM id: `entryUUID` or `objectGUID`. */
  readonly idAttribute: string;
}
