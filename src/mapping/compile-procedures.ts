import type { ResourceSchema } from '../scim/schema/model.js';
import { parseAttributeKey } from './attribute-key.js';
import type {
  CompiledAttribute,
  ProcedureOperation,
  ProcedureParameter,
  ProcedureReturns,
  ProcedureSpec,
  ScimAttributeRef,
  SqlDialect,
  SqlResourceSpec,
} from './compiled-mapping.js';
import { didYouMean } from './did-you-mean.js';
import type { IssueCollector } from './issue-collector.js';
import { parseSqlType, sqlTypeText } from './procedure-sql-type.js';
import type { RawProcedure, RawSqlResource } from './raw-mapping.js';
import type { DocumentPath } from './yaml-source.js';

/** A compiled attribute with the key and place it came from. */
export interface PlacedAttribute {
  readonly compiled: CompiledAttribute;
  readonly key: string;
  readonly path: DocumentPath;
}

export interface ProcedureContext {
  readonly dialect: SqlDialect;
  readonly resourceName: string;
  readonly generate: SqlResourceSpec['id']['generate'];
  readonly fullSchema: ResourceSchema;
  readonly placed: readonly PlacedAttribute[];
  readonly issues: IssueCollector;
}

const ENTITY_SOURCES = ['$id', '$version'] as const;
const MEMBER_SOURCES = ['$memberId', '$memberType'] as const;
const MEMBER_OPERATIONS: readonly ProcedureOperation[] = ['addMember', 'removeMember'];

/** `usp_CreateUser`, `dbo.usp_CreateUser`, `hr.scim.create_user`: plain identifiers only, never quoted text. */
const PROCEDURE_NAME = /^[A-Za-z_][\w$#@]*(?:\.[A-Za-z_][\w$#@]*){0,2}$/;
/** A parameter name; SQL Server's leading `@` may be written and is dropped. */
const PARAMETER_NAME = /^@?([A-Za-z_][\w$#]*)$/;
const COLUMN_NAME = /^[A-Za-z_][\w$#]*$/;

export function canonicalPath(scim: ScimAttributeRef, coreUrn: string): string {
  const prefix = scim.schema === coreUrn ? '' : `${scim.schema}:`;
  const selector = scim.typeValue === undefined ? '' : `[type eq "${scim.typeValue}"]`;
  const sub = scim.subAttribute === undefined ? '' : `.${scim.subAttribute}`;
  return `${prefix}${scim.attribute}${selector}${sub}`;
}

const sameText = (a: string | undefined, b: string | undefined) =>
  (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

function sameScim(a: ScimAttributeRef, b: ScimAttributeRef): boolean {
  return (
    a.schema === b.schema &&
    a.attribute === b.attribute &&
    sameText(a.subAttribute, b.subAttribute) &&
    sameText(a.typeValue, b.typeValue)
  );
}

/** Attributes a write must hand to the procedures: writable scalars and child tables. */
function writableValues(placed: readonly PlacedAttribute[]): PlacedAttribute[] {
  return placed.filter(
    ({ compiled }) => !compiled.readOnly && (compiled.kind === 'scalar' || compiled.kind === 'childTable'),
  );
}

function hasWritableMembers(placed: readonly PlacedAttribute[]): boolean {
  return placed.some(
    ({ compiled }) =>
      compiled.kind === 'referenceList' && compiled.joinTable !== undefined && !compiled.readOnly,
  );
}

/** An attribute source → the mapped attribute it reads, or an issue. */
function attributeSource(
  from: string,
  fromPath: DocumentPath,
  context: ProcedureContext,
): ProcedureParameter | undefined {
  const { fullSchema, placed, issues } = context;
  const key = parseAttributeKey(from, fullSchema.schemaUrns);
  const resolved =
    'error' in key
      ? undefined
      : fullSchema.resolve({
          ...(key.schema === undefined ? {} : { schema: key.schema }),
          attribute: key.attribute,
          ...(key.subAttribute === undefined ? {} : { subAttribute: key.subAttribute }),
        });
  if (resolved === undefined || 'error' in key) {
    issues.report(fromPath, `"${from}" is not a SCIM attribute of ${fullSchema.resourceType.name}`);
    return undefined;
  }
  const scim: ScimAttributeRef = {
    schema: resolved.schema,
    attribute: resolved.attribute.name,
    ...(resolved.subAttribute === undefined ? {} : { subAttribute: resolved.subAttribute.name }),
    ...(key.typeValue === undefined ? {} : { typeValue: key.typeValue }),
  };
  const canonical = canonicalPath(scim, fullSchema.coreSchema.id);
  const mapped = placed.find((entry) => sameScim(entry.compiled.scim, scim));
  if (mapped === undefined) {
    issues.report(
      fromPath,
      `"${canonical}" is not mapped in attributes: a parameter passes a mapped attribute's value`,
    );
    return undefined;
  }
  if (mapped.compiled.kind === 'referenceList') {
    issues.report(
      fromPath,
      `"${canonical}" is a reference list: its values go one at a time to addMember/removeMember ($memberId)`,
    );
    return undefined;
  }
  if (mapped.compiled.readOnly) {
    issues.report(fromPath, `"${canonical}" is readOnly in the mapping, so no write passes it`);
    return undefined;
  }
  return { from: canonical, scim: mapped.compiled.scim };
}

function compileParameters(
  operation: ProcedureOperation,
  procedure: RawProcedure,
  procedurePath: DocumentPath,
  context: ProcedureContext,
): Record<string, ProcedureParameter> {
  const { issues, dialect } = context;
  const isMember = MEMBER_OPERATIONS.includes(operation);
  const allowed: string[] = [...ENTITY_SOURCES, ...(isMember ? MEMBER_SOURCES : [])];
  const parameters: Record<string, ProcedureParameter> = {};
  for (const [name, source] of Object.entries(procedure.parameters ?? {})) {
    const parameterPath = [...procedurePath, 'parameters', name];
    const bare = PARAMETER_NAME.exec(name)?.[1];
    if (bare === undefined) {
      issues.report(parameterPath, `"${name}" is not a parameter name (letters, digits and _)`, 'key');
      continue;
    }
    const from = typeof source === 'string' ? source : source.from;
    const fromPath = typeof source === 'string' ? parameterPath : [...parameterPath, 'from'];
    let type: string | undefined;
    if (typeof source !== 'string' && source.type !== undefined) {
      const parsed = parseSqlType(source.type, dialect);
      if ('error' in parsed) issues.report([...parameterPath, 'type'], parsed.error);
      else type = sqlTypeText(parsed);
    }
    let compiled: ProcedureParameter | undefined;
    if (from.startsWith('$')) {
      const canonical = allowed.find((candidate) => candidate.toLowerCase() === from.toLowerCase());
      if (canonical === undefined) {
        issues.report(
          fromPath,
          `unknown source "${from}"${didYouMean(from, allowed)} (known: ${allowed.join(', ')} or a SCIM attribute)`,
        );
      } else if (operation === 'create' && canonical === '$version') {
        issues.report(fromPath, 'a resource being created has no version yet');
      } else if (operation === 'create' && canonical === '$id' && context.generate === 'database') {
        issues.report(
          fromPath,
          'the database generates this id (generate: database): create cannot receive $id; name the new id under returns',
        );
      } else {
        compiled = { from: canonical };
      }
    } else {
      compiled = attributeSource(from, fromPath, context);
    }
    if (compiled !== undefined) parameters[bare] = { ...compiled, ...(type === undefined ? {} : { type }) };
  }
  return parameters;
}

function compileReturns(
  raw: NonNullable<RawProcedure['returns']>,
  procedure: RawProcedure,
  path: DocumentPath,
  context: ProcedureContext,
): ProcedureReturns | undefined {
  const { issues, dialect } = context;
  if (typeof raw !== 'string' && (raw.column === undefined) === (raw.output === undefined)) {
    issues.report(
      path,
      'give either "column" (a column of the returned row) or "output" (an OUTPUT parameter)',
    );
    return undefined;
  }
  if (typeof raw === 'string' || raw.column !== undefined) {
    const column = typeof raw === 'string' ? raw : (raw.column ?? '');
    if (typeof raw !== 'string' && raw.type !== undefined) {
      issues.report([...path, 'type'], 'a type goes with "output", not "column"', 'key');
    }
    const columnPath = typeof raw === 'string' ? path : [...path, 'column'];
    if (!COLUMN_NAME.test(column)) {
      issues.report(columnPath, `"${column}" is not a column name`);
      return undefined;
    }
    return { column };
  }
  const output = PARAMETER_NAME.exec(raw.output ?? '')?.[1];
  if (output === undefined) {
    issues.report(
      [...path, 'output'],
      `"${raw.output ?? ''}" is not a parameter name (letters, digits and _)`,
    );
    return undefined;
  }
  if (dialect === 'postgres' && (procedure.kind ?? 'function') === 'function') {
    issues.report(
      [...path, 'output'],
      'a PostgreSQL function hands back a row: name its column (returns: { column: … }), or use kind: procedure with an INOUT parameter',
    );
    return undefined;
  }
  if (raw.type === undefined && dialect === 'mssql') {
    issues.report(path, 'SQL Server declares an OUTPUT parameter with its type: add type (e.g. int)', 'key');
  }
  let type: string | undefined;
  if (raw.type !== undefined) {
    const parsed = parseSqlType(raw.type, dialect);
    if ('error' in parsed) issues.report([...path, 'type'], parsed.error);
    else type = sqlTypeText(parsed);
  }
  return { output, ...(type === undefined ? {} : { type }) };
}

/** Sources an operation cannot do without. */
function checkRequiredSources(
  operation: ProcedureOperation,
  spec: ProcedureSpec,
  hasReturns: boolean,
  path: DocumentPath,
  context: ProcedureContext,
): void {
  const sources = new Set(Object.values(spec.parameters).map((parameter) => parameter.from));
  const needed =
    operation === 'create' ? [] : MEMBER_OPERATIONS.includes(operation) ? ['$id', '$memberId'] : ['$id'];
  for (const source of needed) {
    if (!sources.has(source))
      context.issues.report([...path, 'parameters'], `${operation} needs a parameter from ${source}`, 'key');
  }
  // A `returns` that failed to compile was reported already.
  if (operation === 'create' && !hasReturns && !sources.has('$id')) {
    context.issues.report(
      path,
      context.generate === 'database'
        ? 'create must hand back the id the database generates: add returns (a column of the row it returns, or { output: param })'
        : 'create needs the new id: pass it from $id (Crosswalk generates a UUID), or add returns',
      'key',
    );
  }
  if (operation === 'create' || operation === 'update') {
    const missing = writableValues(context.placed)
      .filter(({ compiled }) => !Object.values(spec.parameters).some((p) => p.scim === compiled.scim))
      .map(({ key }) => key);
    if (missing.length > 0) {
      context.issues.report(
        path,
        `${operation} passes no parameter for the writable attribute${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (add a parameter, or mark it readOnly)`,
        'key',
      );
    }
  }
}

/**
 * The `procedures` of a SQL resource: with them every write of the type goes
 * through stored procedures (reads still use the table or view), so create,
 * update and delete are required, and addMember/removeMember when the type
 * has a writable join table.
 */
export function compileProcedures(
  raw: NonNullable<RawSqlResource['procedures']>,
  path: DocumentPath,
  context: ProcedureContext,
): SqlResourceSpec['procedures'] {
  const { issues, dialect } = context;
  if (dialect === 'sqlite') {
    issues.report(path, 'SQLite has no stored procedures: leave "procedures" out', 'key');
    return undefined;
  }
  const members = hasWritableMembers(context.placed);
  const required: ProcedureOperation[] = [
    'create',
    'update',
    'delete',
    ...(members ? MEMBER_OPERATIONS : []),
  ];
  const missing = required.filter((operation) => raw[operation] === undefined);
  if (missing.length > 0) {
    issues.report(
      path,
      `${missing.join(', ')} missing: with procedures every write of ${context.resourceName} goes through them (${required.join(', ')})`,
      'key',
    );
  }
  const result: Partial<Record<ProcedureOperation, ProcedureSpec>> = {};
  for (const [operation, procedure] of Object.entries(raw) as [ProcedureOperation, RawProcedure][]) {
    const procedurePath = [...path, operation];
    if (MEMBER_OPERATIONS.includes(operation) && !members) {
      issues.report(
        procedurePath,
        `${operation} needs a writable reference list (members) in attributes`,
        'key',
      );
    }
    if (!PROCEDURE_NAME.test(procedure.name)) {
      issues.report(
        [...procedurePath, 'name'],
        `"${procedure.name}" is not a procedure name (an identifier, optionally schema-qualified: dbo.usp_CreateUser)`,
      );
    }
    if (procedure.kind === 'function' && dialect !== 'postgres') {
      issues.report(
        [...procedurePath, 'kind'],
        `functions are called only on PostgreSQL; ${dialect} calls procedures`,
      );
    }
    if (procedure.returns !== undefined && operation !== 'create') {
      issues.report([...procedurePath, 'returns'], 'only create hands back a value (the new id)', 'key');
    }
    const parameters = compileParameters(operation, procedure, procedurePath, context);
    const returns =
      procedure.returns === undefined || operation !== 'create'
        ? undefined
        : compileReturns(procedure.returns, procedure, [...procedurePath, 'returns'], context);
    const spec: ProcedureSpec = {
      name: procedure.name,
      kind: dialect === 'postgres' ? (procedure.kind ?? 'function') : 'procedure',
      parameters,
      ...(returns === undefined ? {} : { returns }),
    };
    checkRequiredSources(operation, spec, procedure.returns !== undefined, procedurePath, context);
    result[operation] = spec;
  }
  return result;
}
