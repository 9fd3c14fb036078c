import type { ProcedureSpec, ScimAttributeRef } from '../../../mapping/compiled-mapping.js';
import { parseSqlType, type SqlType } from '../../../mapping/procedure-sql-type.js';
import type { ScimResource } from '../../../scim/schema/model.js';
import type { SqlDialect } from '../dialects/sql-dialect.js';
import { childRowsFromResource, columnsFromResource, type Row } from '../resource-codec.js';
import { type SqlResourceLayout, sameName } from '../sql-resource-layout.js';
import type { CallArgument, ProcedureCall } from './procedure-call.js';

/** What a call's `$…` sources and attribute sources read from. */
export interface CallSources {
  readonly id?: string;
  /** The stored version value as the database returned it (a Buffer for rowversion). */
  readonly version?: unknown;
  readonly memberId?: string;
  readonly memberType?: string;
  readonly resource?: ScimResource;
}

function sameScim(a: ScimAttributeRef, b: ScimAttributeRef): boolean {
  return (
    sameName(a.schema, b.schema) &&
    sameName(a.attribute, b.attribute) &&
    sameName(a.subAttribute, b.subAttribute) &&
    sameName(a.typeValue, b.typeValue)
  );
}

function typeOf(text: string | undefined, dialect: SqlDialect): SqlType | undefined {
  if (text === undefined) return undefined;
  const parsed = parseSqlType(text, dialect.name);
  // The compiler checked it; a hand-built mapping with a bad type fails loudly here.
  if ('error' in parsed) throw new Error(`Procedure parameter type: ${parsed.error}`);
  return parsed;
}

/** A child-table attribute's values as JSON text: `[{"value":"a@x","type":"work","primary":true}]`. */
function childValuesJson(
  dialect: SqlDialect,
  layout: SqlResourceLayout,
  scim: ScimAttributeRef,
  resource: ScimResource,
): string {
  const entry = layout.childTables.find((candidate) => sameScim(candidate.scim, scim));
  if (entry === undefined) return '[]';
  const rows = childRowsFromResource(dialect, layout, entry, resource, null);
  const values = rows.map((row) =>
    Object.fromEntries(Object.entries(entry.columns).map(([sub, column]) => [sub, row[column] ?? null])),
  );
  return JSON.stringify(values);
}

/**
 * The call one procedure of the mapping makes for one write: every
 * parameter's value from its source, converted exactly as the table path
 * would convert it for its column (defaults and transforms applied).
 */
export function buildProcedureCall(
  dialect: SqlDialect,
  layout: SqlResourceLayout,
  spec: ProcedureSpec,
  sources: CallSources,
): ProcedureCall {
  let columns: Row | undefined;
  const args: CallArgument[] = [];
  for (const [name, parameter] of Object.entries(spec.parameters)) {
    let value: unknown;
    switch (parameter.from) {
      case '$id':
        value = sources.id ?? null;
        break;
      case '$version':
        value = sources.version ?? null;
        break;
      case '$memberId':
        value = sources.memberId ?? null;
        break;
      case '$memberType':
        value = sources.memberType ?? null;
        break;
      default: {
        const scim = parameter.scim;
        const resource = sources.resource;
        if (scim === undefined || resource === undefined) {
          value = null;
          break;
        }
        const scalar = layout.scalars.find((entry) => sameScim(entry.scim, scim));
        if (scalar !== undefined) {
          columns ??= columnsFromResource(dialect, layout, resource);
          value = columns[scalar.target] ?? null;
        } else {
          value = childValuesJson(dialect, layout, scim, resource);
        }
      }
    }
    const type = typeOf(parameter.type, dialect);
    args.push({ name, value, ...(type === undefined ? {} : { type }) });
  }
  const returns = spec.returns;
  const outputType = returns !== undefined && 'output' in returns ? typeOf(returns.type, dialect) : undefined;
  return {
    name: spec.name,
    kind: spec.kind,
    arguments: args,
    ...(returns !== undefined && 'output' in returns
      ? { output: { name: returns.output, ...(outputType === undefined ? {} : { type: outputType }) } }
      : {}),
  };
}
