import type { AttributeDefinition, ResolvedAttribute, ResourceSchema } from '../scim/schema/model.js';
import { type AttributeKey, parseAttributeKey } from './attribute-key.js';
import type { CompiledAttribute, ScimAttributeRef } from './compiled-mapping.js';
import { didYouMean } from './did-you-mean.js';
import type { IssueCollector } from './issue-collector.js';
import type { RawLdapAttribute, RawRef, RawSqlAttribute, RawTransform } from './raw-mapping.js';
import { BUILTIN_TRANSFORMS, builtinTransform } from './transforms/builtin-transforms.js';
import { createValueMapTransform } from './transforms/value-map.js';
import type { ValueTransform } from './transforms/value-transform.js';
import type { DocumentPath } from './yaml-source.js';

export interface AttributeContext {
  readonly resourceName: string;
  readonly backend: 'sql' | 'ldap';
  /** The resource type's full (not yet narrowed) schema: every attribute a mapping may name. */
  readonly fullSchema: ResourceSchema;
  /** Resource types this mapping defines, the only valid `ref` targets. */
  readonly definedResourceTypes: readonly string[];
  readonly issues: IssueCollector;
}

/** The entry in one shape whatever its form in the file: the string shorthand becomes `{ column }` / `{ ldap }`. */
interface EntryFields {
  target?: string;
  transform?: RawTransform;
  ref?: RawRef;
  readOnly?: boolean;
  default?: unknown;
  hasDefault: boolean;
  table?: string;
  owner?: string;
  columns?: Record<string, string>;
  value?: string;
  type?: string;
  caseInsensitive?: 'native' | 'fold';
}

function entryFields(raw: RawSqlAttribute | RawLdapAttribute): EntryFields {
  if (typeof raw === 'string') return { target: raw, hasDefault: false };
  const { default: defaultValue, ...rest } = raw;
  const target = 'ldap' in raw ? raw.ldap : 'column' in raw ? raw.column : undefined;
  return {
    ...rest,
    ...(target === undefined ? {} : { target }),
    hasDefault: 'default' in raw,
    ...('default' in raw ? { default: defaultValue } : {}),
  };
}

function allAttributeNames(schema: ResourceSchema): string[] {
  return [
    'externalId',
    ...[schema.coreSchema, ...schema.extensions].flatMap((s) => s.attributes.map((a) => a.name)),
  ];
}

function resolveKey(
  key: AttributeKey,
  context: AttributeContext,
  path: DocumentPath,
): ResolvedAttribute | undefined {
  const { fullSchema, issues, resourceName } = context;
  const lookup = {
    ...(key.schema === undefined ? {} : { schema: key.schema }),
    attribute: key.attribute,
  };
  const top = fullSchema.resolve(lookup);
  if (top === undefined) {
    const hint = didYouMean(key.attribute, allAttributeNames(fullSchema));
    issues.report(path, `unknown SCIM attribute "${key.attribute}" for ${resourceName}${hint}`, 'key');
    return undefined;
  }
  if (key.subAttribute === undefined) return top;
  const resolved = fullSchema.resolve({ ...lookup, schema: top.schema, subAttribute: key.subAttribute });
  if (resolved === undefined) {
    const names = (top.attribute.subAttributes ?? []).map((sub) => sub.name);
    const hint = didYouMean(key.subAttribute, names);
    const message =
      names.length === 0
        ? `"${top.attribute.name}" has no sub-attributes`
        : `"${top.attribute.name}" has no sub-attribute "${key.subAttribute}"${hint}`;
    issues.report(path, message, 'key');
  }
  return resolved;
}

const SCIM_TYPE_CHECKS: Readonly<Record<string, (value: unknown) => boolean>> = {
  string: (value) => typeof value === 'string',
  reference: (value) => typeof value === 'string',
  dateTime: (value) => typeof value === 'string' && !Number.isNaN(Date.parse(value)),
  binary: (value) => typeof value === 'string',
  boolean: (value) => typeof value === 'boolean',
  integer: (value) => Number.isInteger(value),
  decimal: (value) => typeof value === 'number',
};

function compileTransform(
  raw: RawTransform,
  definition: AttributeDefinition,
  path: DocumentPath,
  issues: IssueCollector,
): ValueTransform | undefined {
  if (typeof raw === 'string') {
    const builtin = builtinTransform(raw);
    if (builtin === undefined) {
      const names = Object.keys(BUILTIN_TRANSFORMS);
      issues.report(path, `unknown transform "${raw}"${didYouMean(raw, names)} (known: ${names.join(', ')})`);
      return undefined;
    }
    if (builtin.scimType !== definition.type) {
      issues.report(
        path,
        `transform ${raw} is for ${builtin.scimType} attributes; ${definition.name} is ${definition.type}`,
      );
      return undefined;
    }
    return builtin.transform;
  }
  if (definition.type === 'boolean') {
    const keys = Object.keys(raw.map).map((k) => k.toLowerCase());
    const stray = keys.find((k) => k !== 'true' && k !== 'false');
    if (stray !== undefined) {
      issues.report(
        [...path, 'map'],
        `${definition.name} is boolean: map keys must be "true" and "false" (got "${stray}")`,
      );
      return undefined;
    }
  }
  return createValueMapTransform(raw.map, {
    ...('default' in raw ? { default: raw.default } : {}),
    scimType: definition.type,
  });
}

function refTargets(
  raw: RawRef,
  definition: AttributeDefinition,
  context: AttributeContext,
  path: DocumentPath,
): string[] | undefined {
  const names = typeof raw === 'string' ? [raw] : raw;
  const allowed = definition.subAttributes?.find((sub) => sub.name === '$ref')?.referenceTypes;
  if (allowed === undefined) {
    context.issues.report([...path, 'ref'], `${definition.name} is not a reference: remove "ref"`);
    return undefined;
  }
  const targets: string[] = [];
  let ok = true;
  names.forEach((name, index) => {
    const refPath = typeof raw === 'string' ? [...path, 'ref'] : [...path, 'ref', index];
    const defined = context.definedResourceTypes.find((type) => type.toLowerCase() === name.toLowerCase());
    if (defined === undefined) {
      const hint = didYouMean(name, context.definedResourceTypes);
      context.issues.report(
        refPath,
        `ref names "${name}", a resource type this mapping does not define${hint}`,
      );
      ok = false;
    } else if (!allowed.includes(defined)) {
      context.issues.report(refPath, `${definition.name} can only refer to ${allowed.join(' or ')}`);
      ok = false;
    } else {
      targets.push(defined);
    }
  });
  return ok ? targets : undefined;
}

/** Keys that belong to another form of entry than the one chosen, reported one by one. */
function rejectKeys(
  fields: EntryFields,
  keys: readonly (keyof EntryFields)[],
  why: string,
  path: DocumentPath,
  context: AttributeContext,
): boolean {
  let ok = true;
  for (const key of keys) {
    if (fields[key] === undefined || (key === 'default' && !fields.hasDefault)) continue;
    // `target` is how the file's `column` / `ldap` is held here.
    const written = key === 'target' ? (context.backend === 'sql' ? 'column' : 'ldap') : key;
    context.issues.report([...path, written], `"${written}" ${why}`, 'key');
    ok = false;
  }
  return ok;
}

/**
 * Checks one `attributes` entry against the SCIM schema and compiles it.
 * Reports every problem it finds and returns undefined when there was one.
 */
export function compileAttribute(
  key: string,
  raw: RawSqlAttribute | RawLdapAttribute,
  path: DocumentPath,
  context: AttributeContext,
): CompiledAttribute | undefined {
  const { issues, backend } = context;
  const parsed = parseAttributeKey(key, context.fullSchema.schemaUrns);
  if ('error' in parsed) {
    issues.report(path, parsed.error, 'key');
    return undefined;
  }
  const resolved = resolveKey(parsed, context, path);
  if (resolved === undefined) return undefined;
  const attribute = resolved.attribute;
  const sub = resolved.subAttribute;
  const name = sub === undefined ? attribute.name : `${attribute.name}.${sub.name}`;

  if (!resolved.isExtension && (attribute.name === 'id' || attribute.name === 'meta')) {
    const where =
      attribute.name === 'id'
        ? 'the resource\'s "id" setting'
        : "the resource's created/lastModified/version settings";
    issues.report(path, `${attribute.name} is not mapped under attributes: it comes from ${where}`, 'key');
    return undefined;
  }

  const fields = entryFields(raw);
  const scim: ScimAttributeRef = {
    schema: resolved.schema,
    attribute: attribute.name,
    ...(sub === undefined ? {} : { subAttribute: sub.name }),
    ...(parsed.typeValue === undefined ? {} : { typeValue: parsed.typeValue }),
  };
  const readOnly = fields.readOnly === true;
  const targetKey = backend === 'sql' ? 'column' : 'ldap';

  if (parsed.typeValue !== undefined) {
    const hasType = attribute.subAttributes?.some((s) => s.name === 'type') === true;
    if (!attribute.multiValued || !hasType) {
      issues.report(
        path,
        `[type eq "…"] picks one value of a multi-valued attribute with a type; ${attribute.name} is not one`,
        'key',
      );
      return undefined;
    }
    if (sub === undefined || sub.name === 'type') {
      issues.report(
        path,
        `name the sub-attribute the ${targetKey} holds, e.g. ${attribute.name}[type eq "${parsed.typeValue}"].value`,
        'key',
      );
      return undefined;
    }
  }

  const isList = attribute.multiValued && parsed.typeValue === undefined;
  const isReference = attribute.subAttributes?.some((s) => s.name === '$ref') === true;

  // SQL child table: { table, owner, columns }
  if (backend === 'sql' && fields.columns !== undefined) {
    const entryOk = rejectKeys(
      fields,
      ['target', 'value', 'type', 'ref', 'transform', 'default'],
      'does not belong in a child table entry ({ table, owner, columns })',
      path,
      context,
    );
    if (!isList || attribute.type !== 'complex' || sub !== undefined) {
      issues.report(path, `a child table holds a multi-valued complex attribute; ${name} is not one`, 'key');
      return undefined;
    }
    if (fields.table === undefined || fields.owner === undefined) {
      issues.report(path, `a child table entry needs "table", "owner" and "columns"`, 'key');
      return undefined;
    }
    const columns: Record<string, string> = {};
    let columnsOk = true;
    for (const [subName, column] of Object.entries(fields.columns)) {
      const subDefinition = attribute.subAttributes?.find(
        (s) => s.name.toLowerCase() === subName.toLowerCase(),
      );
      if (subDefinition === undefined) {
        const hint = didYouMean(
          subName,
          (attribute.subAttributes ?? []).map((s) => s.name),
        );
        issues.report(
          [...path, 'columns', subName],
          `"${attribute.name}" has no sub-attribute "${subName}"${hint}`,
          'key',
        );
        columnsOk = false;
      } else {
        columns[subDefinition.name] = column;
      }
    }
    const hasValue = attribute.subAttributes?.some((s) => s.name === 'value') === true;
    if (columnsOk && hasValue && columns.value === undefined) {
      issues.report(
        [...path, 'columns'],
        `map the "value" sub-attribute of ${attribute.name} to a column`,
        'key',
      );
      columnsOk = false;
    }
    if (!entryOk || !columnsOk) return undefined;
    return {
      kind: 'childTable',
      scim,
      readOnly,
      table: fields.table,
      ownerColumn: fields.owner,
      columns,
      ...(fields.caseInsensitive === 'native' ? { nativeCaseInsensitive: true } : {}),
    };
  }

  // SQL join table: { table, owner, value, type?, ref }
  if (
    backend === 'sql' &&
    (fields.table !== undefined || fields.value !== undefined || fields.owner !== undefined)
  ) {
    const entryOk = rejectKeys(
      fields,
      ['target', 'transform', 'default', 'caseInsensitive'],
      'does not belong in a join table entry ({ table, owner, value, type?, ref })',
      path,
      context,
    );
    if (!isList || !isReference || sub !== undefined) {
      issues.report(
        path,
        `a join table holds a list of references (members, groups); ${name} is not one`,
        'key',
      );
      return undefined;
    }
    if (
      fields.table === undefined ||
      fields.owner === undefined ||
      fields.value === undefined ||
      fields.ref === undefined
    ) {
      issues.report(path, `a join table entry needs "table", "owner", "value" and "ref"`, 'key');
      return undefined;
    }
    const ref = refTargets(fields.ref, attribute, context, path);
    if (!entryOk || ref === undefined) return undefined;
    return {
      kind: 'referenceList',
      scim,
      readOnly,
      ref,
      joinTable: {
        table: fields.table,
        ownerColumn: fields.owner,
        valueColumn: fields.value,
        ...(fields.type === undefined ? {} : { typeColumn: fields.type }),
      },
    };
  }

  if (fields.target === undefined) {
    issues.report(
      path,
      `say where ${name} is stored: "column" (a scalar), "table"/"owner"/"columns" (a child table) or "table"/"owner"/"value"/"ref" (a join table)`,
      'key',
    );
    return undefined;
  }

  if (isList) {
    // LDAP reference list: { ldap: member, ref: [User, Group] }
    if (backend === 'ldap' && isReference && sub === undefined && fields.ref !== undefined) {
      const entryOk = rejectKeys(
        fields,
        ['transform', 'default', 'caseInsensitive'],
        'does not belong in a reference list',
        path,
        context,
      );
      const ref = refTargets(fields.ref, attribute, context, path);
      if (!entryOk || ref === undefined) return undefined;
      return { kind: 'referenceList', scim, readOnly, ref, ldapAttribute: fields.target };
    }
    const how = isReference
      ? backend === 'sql'
        ? `map it to a join table: { table, owner, value, ref: [User, Group] }`
        : `map it as { ldap: ${fields.target}, ref: [User, Group] }`
      : backend === 'sql'
        ? `map it to a child table ({ table, owner, columns }) or pick one value with ${attribute.name}[type eq "work"].value`
        : `pick one value with ${attribute.name}[type eq "work"].value`;
    issues.report(path, `${attribute.name} is multi-valued: ${how}`, 'key');
    return undefined;
  }

  // A scalar: one column / LDAP attribute.
  if (attribute.type === 'complex' && sub === undefined && !(isReference && fields.ref !== undefined)) {
    const example = attribute.subAttributes?.[0]?.name ?? 'value';
    issues.report(
      path,
      `${attribute.name} is complex: map its sub-attributes (e.g. ${attribute.name}.${example})`,
      'key',
    );
    return undefined;
  }
  let ok = true;
  let ref: string[] | undefined;
  if (fields.ref !== undefined) {
    if (sub !== undefined && sub.name !== 'value') {
      issues.report(
        [...path, 'ref'],
        `"ref" belongs on ${attribute.name} (or ${attribute.name}.value), not on ${name}`,
        'key',
      );
      ok = false;
    } else {
      ref = refTargets(fields.ref, attribute, context, path);
      ok &&= ref !== undefined;
    }
  }
  const definition = sub ?? attribute;
  const valueDefinition =
    definition.type === 'complex'
      ? (definition.subAttributes?.find((s) => s.name === 'value') ?? definition)
      : definition;
  if (
    fields.caseInsensitive !== undefined &&
    (valueDefinition.caseExact || (valueDefinition.type !== 'string' && valueDefinition.type !== 'reference'))
  ) {
    issues.report(
      [...path, 'caseInsensitive'],
      `${name} is compared case-exactly (RFC 7643): caseInsensitive does not apply`,
    );
    ok = false;
  }
  let transform: ValueTransform | undefined;
  if (fields.transform !== undefined) {
    transform = compileTransform(fields.transform, valueDefinition, [...path, 'transform'], issues);
    ok &&= transform !== undefined;
  }
  if (fields.hasDefault) {
    const check = SCIM_TYPE_CHECKS[valueDefinition.type];
    if (check !== undefined && !check(fields.default)) {
      issues.report(
        [...path, 'default'],
        `default must be a ${valueDefinition.type} value like ${name} itself`,
      );
      ok = false;
    }
  }
  if (!ok) return undefined;
  return {
    kind: 'scalar',
    scim,
    readOnly,
    ...(ref === undefined ? {} : { ref }),
    target: fields.target,
    ...(transform === undefined ? {} : { transform }),
    ...(fields.hasDefault ? { defaultValue: fields.default } : {}),
    ...(fields.caseInsensitive === 'native' ? { nativeCaseInsensitive: true } : {}),
  };
}
