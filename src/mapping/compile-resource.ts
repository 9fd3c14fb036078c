import type { ResourceSchema, SchemaDefinition } from '../scim/schema/model.js';
import { type MappedAttribute, narrowSchema } from '../scim/schema/narrow-schema.js';
import { createResourceSchema } from '../scim/schema/resource-schema.js';
import { parseAttributeKey } from './attribute-key.js';
import { type AttributeContext, compileAttribute } from './compile-attribute.js';
import { compileProcedures, type PlacedAttribute } from './compile-procedures.js';
import type {
  CompiledResourceType,
  LdapResourceSpec,
  ScimAttributeRef,
  SqlDialect,
  SqlResourceSpec,
} from './compiled-mapping.js';
import { didYouMean } from './did-you-mean.js';
import type { IssueCollector } from './issue-collector.js';
import { KNOWN_RESOURCE_TYPES, REQUIRED_MAPPED_ATTRIBUTES } from './known-resource-types.js';
import type { RawLdapResource, RawSqlResource } from './raw-mapping.js';
import type { DocumentPath } from './yaml-source.js';

export interface ResourceContext {
  readonly backend: 'sql' | 'ldap';
  readonly directory?: 'openldap' | 'activeDirectory' | 'generic';
  /** SQL mappings: the dialect (procedure types and version kinds depend on it). */
  readonly sqlDialect?: SqlDialect;
  readonly definedResourceTypes: readonly string[];
  readonly issues: IssueCollector;
}

/** One use of a column / LDAP attribute, to find the same one used twice. */
interface TargetUse {
  readonly target: string;
  readonly label: string;
  readonly path: DocumentPath;
  readonly readOnly: boolean;
}

function sameScim(a: ScimAttributeRef, b: ScimAttributeRef): boolean {
  const lower = (text: string | undefined) => text?.toLowerCase();
  return (
    a.schema === b.schema &&
    a.attribute === b.attribute &&
    a.subAttribute === b.subAttribute &&
    lower(a.typeValue) === lower(b.typeValue)
  );
}

function checkDuplicateScim(placed: readonly PlacedAttribute[], issues: IssueCollector): void {
  placed.forEach((entry, index) => {
    const earlier = placed.slice(0, index);
    const twin = earlier.find((other) => sameScim(other.compiled.scim, entry.compiled.scim));
    const whole = earlier.find(
      (other) =>
        other.compiled.scim.schema === entry.compiled.scim.schema &&
        other.compiled.scim.attribute === entry.compiled.scim.attribute &&
        (other.compiled.kind !== 'scalar' || entry.compiled.kind !== 'scalar'),
    );
    const clash = twin ?? whole;
    if (clash !== undefined) {
      issues.report(
        entry.path,
        `${entry.compiled.scim.attribute} is already mapped by "${clash.key}" (line ${issues.lineOf(clash.path)})`,
        'key',
      );
    }
  });
}

/** The same column (or LDAP attribute) twice in one table is an error unless all but one use is readOnly. */
function checkDuplicateTargets(uses: readonly TargetUse[], noun: string, issues: IssueCollector): void {
  uses.forEach((use, index) => {
    const first = uses
      .slice(0, index)
      .find((other) => other.target.toLowerCase() === use.target.toLowerCase());
    if (first === undefined || use.readOnly || first.readOnly) return;
    issues.report(
      use.path,
      `${noun} "${use.target}" is already used by ${first.label} (line ${issues.lineOf(first.path)}); mark one of them readOnly to show it twice`,
    );
  });
}

function attributeUses(placed: readonly PlacedAttribute[]): TargetUse[] {
  return placed.flatMap(({ compiled, key, path }) => {
    if (compiled.kind === 'scalar') {
      return [{ target: compiled.target, label: key, path, readOnly: compiled.readOnly }];
    }
    if (compiled.kind === 'referenceList' && compiled.ldapAttribute !== undefined) {
      return [{ target: compiled.ldapAttribute, label: key, path, readOnly: compiled.readOnly }];
    }
    return [];
  });
}

/** Columns of each child and join table, checked per table. */
function checkSideTables(placed: readonly PlacedAttribute[], issues: IssueCollector): void {
  for (const { compiled, key, path } of placed) {
    const uses: TargetUse[] = [];
    if (compiled.kind === 'childTable') {
      uses.push({
        target: compiled.ownerColumn,
        label: `${key} owner`,
        path: [...path, 'owner'],
        readOnly: false,
      });
      for (const [sub, column] of Object.entries(compiled.columns)) {
        uses.push({
          target: column,
          label: `${key} ${sub}`,
          path: [...path, 'columns', sub],
          readOnly: false,
        });
      }
    } else if (compiled.kind === 'referenceList' && compiled.joinTable !== undefined) {
      const { ownerColumn, valueColumn, typeColumn } = compiled.joinTable;
      uses.push({ target: ownerColumn, label: `${key} owner`, path: [...path, 'owner'], readOnly: false });
      uses.push({ target: valueColumn, label: `${key} value`, path: [...path, 'value'], readOnly: false });
      if (typeColumn !== undefined) {
        uses.push({ target: typeColumn, label: `${key} type`, path: [...path, 'type'], readOnly: false });
      }
    }
    checkDuplicateTargets(uses, 'column', issues);
  }
}

function compileSqlSpec(
  raw: RawSqlResource,
  path: DocumentPath,
  fullSchema: ResourceSchema,
  placed: readonly PlacedAttribute[],
  issues: IssueCollector,
  dialect: SqlDialect | undefined,
): SqlResourceSpec {
  const generate = typeof raw.id === 'string' ? 'uuid' : (raw.id.generate ?? 'uuid');
  const id = {
    column: typeof raw.id === 'string' ? raw.id : raw.id.column,
    generate,
    type:
      (typeof raw.id === 'string' ? undefined : raw.id.type) ??
      (generate === 'database' ? ('integer' as const) : ('uuid' as const)),
  };
  if (generate === 'uuid' && id.type === 'integer') {
    issues.report(
      [...path, 'id', 'type'],
      'Crosswalk generates UUIDs: an integer key needs generate: database',
    );
  }
  const version =
    raw.version === undefined
      ? undefined
      : typeof raw.version === 'string'
        ? { column: raw.version, kind: 'counter' as const }
        : { column: raw.version.column, kind: raw.version.kind ?? 'counter' };
  if (version?.kind === 'rowversion' && dialect !== undefined && dialect !== 'mssql') {
    issues.report(
      [...path, 'version', 'kind'],
      `rowversion is SQL Server's; on ${dialect} use counter or timestamp`,
    );
  }
  const uses: TargetUse[] = [
    { target: id.column, label: 'id', path: [...path, 'id'], readOnly: false },
    ...(version === undefined
      ? []
      : [{ target: version.column, label: 'version', path: [...path, 'version'], readOnly: false }]),
    ...(raw.created === undefined
      ? []
      : [{ target: raw.created, label: 'created', path: [...path, 'created'], readOnly: false }]),
    // A timestamp version column may double as lastModified (`updated_at`).
    ...(raw.lastModified === undefined ||
    (version?.kind === 'timestamp' && version.column.toLowerCase() === raw.lastModified.toLowerCase())
      ? []
      : [
          {
            target: raw.lastModified,
            label: 'lastModified',
            path: [...path, 'lastModified'],
            readOnly: false,
          },
        ]),
    ...attributeUses(placed),
    ...Object.keys(raw.constants ?? {}).map((column) => ({
      target: column,
      label: 'constants',
      path: [...path, 'constants', column],
      readOnly: false,
    })),
  ];
  checkDuplicateTargets(uses, 'column', issues);
  checkSideTables(placed, issues);
  const procedures =
    raw.procedures === undefined
      ? undefined
      : compileProcedures(raw.procedures, [...path, 'procedures'], {
          dialect: dialect ?? 'sqlite',
          resourceName: fullSchema.resourceType.name,
          generate: id.generate,
          fullSchema,
          placed,
          issues,
        });
  return {
    table: raw.table,
    id,
    ...(version === undefined ? {} : { version }),
    ...(raw.created === undefined ? {} : { createdColumn: raw.created }),
    ...(raw.lastModified === undefined ? {} : { lastModifiedColumn: raw.lastModified }),
    ...(raw.constants === undefined ? {} : { constants: { ...raw.constants } }),
    ...(procedures === undefined ? {} : { procedures }),
  };
}

const RDN_PATTERN = /^\s*([A-Za-z][\w-]*|\d+(?:\.\d+)+)\s*=\s*(.*\S)\s*$/;

function compileRdn(
  rdn: string,
  path: DocumentPath,
  fullSchema: ResourceSchema,
  placed: readonly PlacedAttribute[],
  issues: IssueCollector,
): LdapResourceSpec['rdn'] | undefined {
  const match = RDN_PATTERN.exec(rdn);
  const placeholders =
    match === null ? [] : [...(match[2] ?? '').matchAll(/\{([^{}]*)\}/g)].map((m) => m[1] ?? '');
  if (match === null || placeholders.length === 0) {
    issues.report(path, `"${rdn}" is not an RDN template such as uid={userName}`);
    return undefined;
  }
  let ok = true;
  for (const placeholder of placeholders) {
    const key = parseAttributeKey(placeholder, fullSchema.schemaUrns);
    const mapped =
      'error' in key
        ? undefined
        : placed.find((entry) => {
            const scim = entry.compiled.scim;
            const resolved = fullSchema.resolve({
              ...(key.schema === undefined ? {} : { schema: key.schema }),
              attribute: key.attribute,
              ...(key.subAttribute === undefined ? {} : { subAttribute: key.subAttribute }),
            });
            return (
              entry.compiled.kind === 'scalar' &&
              resolved !== undefined &&
              scim.schema === resolved.schema &&
              scim.attribute === resolved.attribute.name &&
              scim.subAttribute === resolved.subAttribute?.name &&
              scim.typeValue?.toLowerCase() === key.typeValue?.toLowerCase()
            );
          });
    if (mapped === undefined) {
      issues.report(path, `{${placeholder}} is not a mapped attribute of ${fullSchema.resourceType.name}`);
      ok = false;
    }
  }
  return ok && match[1] !== undefined && match[2] !== undefined
    ? { attribute: match[1], template: match[2] }
    : undefined;
}

function compileLdapSpec(
  raw: RawLdapResource,
  path: DocumentPath,
  fullSchema: ResourceSchema,
  placed: readonly PlacedAttribute[],
  context: ResourceContext,
): LdapResourceSpec | undefined {
  const { issues } = context;
  const idAttribute = raw.id ?? (context.directory === 'activeDirectory' ? 'objectGUID' : 'entryUUID');
  checkDuplicateTargets(
    [{ target: idAttribute, label: 'id', path: [...path, 'id'], readOnly: false }, ...attributeUses(placed)],
    'LDAP attribute',
    issues,
  );
  if (raw.filter !== undefined && !/^\(.*\)$/s.test(raw.filter.trim())) {
    issues.report([...path, 'filter'], `an LDAP filter is written in parentheses, e.g. (objectClass=person)`);
  }
  const rdn = compileRdn(raw.rdn, [...path, 'rdn'], fullSchema, placed, issues);
  if (rdn === undefined) return undefined;
  return {
    base: raw.base,
    scope: raw.scope ?? 'one',
    objectClasses: typeof raw.objectClass === 'string' ? [raw.objectClass] : raw.objectClass,
    ...(raw.filter === undefined ? {} : { baseFilter: raw.filter.trim() }),
    rdn,
    idAttribute,
  };
}

/** What narrowSchema needs: each mapped attribute/sub-attribute of one schema, with readOnly. */
function mappedIn(schemaUrn: string, placed: readonly PlacedAttribute[]): MappedAttribute[] {
  return placed.flatMap(({ compiled }): MappedAttribute[] => {
    const { scim, readOnly } = compiled;
    if (scim.schema !== schemaUrn) return [];
    if (compiled.kind === 'childTable') {
      return Object.keys(compiled.columns).map((subAttribute) => ({
        attribute: scim.attribute,
        subAttribute,
        readOnly,
      }));
    }
    if (scim.subAttribute === undefined) return [{ attribute: scim.attribute, readOnly }];
    const picked: MappedAttribute[] = [
      { attribute: scim.attribute, subAttribute: scim.subAttribute, readOnly },
    ];
    // A typed pick shows its type (`emails: [{ value, type: "work" }]`).
    if (scim.typeValue !== undefined)
      picked.push({ attribute: scim.attribute, subAttribute: 'type', readOnly });
    return picked;
  });
}

/**
 * The schema a deployment really serves: only mapped attributes, mapping
 * readOnly applied, an extension only when something of it is mapped.
 */
function narrowedResourceSchema(
  fullSchema: ResourceSchema,
  placed: readonly PlacedAttribute[],
): ResourceSchema {
  const core = narrowSchema(fullSchema.coreSchema, mappedIn(fullSchema.coreSchema.id, placed));
  const extensions: SchemaDefinition[] = fullSchema.extensions
    .map((extension) => narrowSchema(extension, mappedIn(extension.id, placed)))
    .filter((extension) => extension.attributes.length > 0);
  const resourceType = {
    ...fullSchema.resourceType,
    schemaExtensions: fullSchema.resourceType.schemaExtensions.filter((ref) =>
      extensions.some((extension) => extension.id === ref.schema),
    ),
  };
  return createResourceSchema(resourceType, core, extensions);
}

/** Checks and compiles one entry of `resources`. */
export function compileResource(
  name: string,
  raw: RawSqlResource | RawLdapResource,
  path: DocumentPath,
  context: ResourceContext,
): CompiledResourceType | undefined {
  const { issues } = context;
  const known = KNOWN_RESOURCE_TYPES.get(name);
  if (known === undefined) {
    const names = [...KNOWN_RESOURCE_TYPES.keys()];
    issues.report(
      path,
      `unknown resource type "${name}"${didYouMean(name, names)} (Crosswalk serves ${names.join(' and ')})`,
      'key',
    );
    return undefined;
  }
  const fullSchema = createResourceSchema(known.definition, known.core, known.extensions);
  const attributeContext: AttributeContext = {
    resourceName: name,
    backend: context.backend,
    fullSchema,
    definedResourceTypes: context.definedResourceTypes,
    issues,
  };
  const before = issues.issues.length;
  const placed: PlacedAttribute[] = [];
  for (const [key, entry] of Object.entries(raw.attributes)) {
    const entryPath = [...path, 'attributes', key];
    const compiled = compileAttribute(key, entry, entryPath, attributeContext);
    if (compiled !== undefined) placed.push({ compiled, key, path: entryPath });
  }
  checkDuplicateScim(placed, issues);

  const required = REQUIRED_MAPPED_ATTRIBUTES.get(name);
  // Judged by the keys, so an entry with another problem does not also count as missing.
  const named = (key: string): boolean => {
    const parsed = parseAttributeKey(key, fullSchema.schemaUrns);
    return (
      !('error' in parsed) &&
      parsed.schema === undefined &&
      parsed.attribute.toLowerCase() === required?.toLowerCase()
    );
  };
  if (required !== undefined && !Object.keys(raw.attributes).some(named)) {
    issues.report([...path, 'attributes'], `${required} is not mapped (every ${name} needs one)`, 'key');
  }

  const sql =
    context.backend === 'sql'
      ? compileSqlSpec(raw as RawSqlResource, path, fullSchema, placed, issues, context.sqlDialect)
      : undefined;
  const ldap =
    context.backend === 'ldap'
      ? compileLdapSpec(raw as RawLdapResource, path, fullSchema, placed, context)
      : undefined;
  if (issues.issues.length > before) return undefined;

  return {
    name,
    schema: narrowedResourceSchema(fullSchema, placed),
    attributes: placed.map((entry) => entry.compiled),
    ...(sql === undefined ? {} : { sql }),
    ...(ldap === undefined ? {} : { ldap }),
  };
}
