import type { ChildTableAttribute, ScalarAttribute } from '../../mapping/compiled-mapping.js';
import { isScimError, scimErrors } from '../../scim/errors.js';
import type { AttributePath, CompareOperator, Filter, FilterValue } from '../../scim/filter/ast.js';
import { formatAttributePath } from '../../scim/filter/format-filter.js';
import { coerceSimpleValue } from '../../scim/schema/coerce-value.js';
import { findAttribute } from '../../scim/schema/find-attribute.js';
import type { AttributeDefinition, ResolvedAttribute } from '../../scim/schema/model.js';
import { mainOperand, type Operand } from './column-operand.js';
import { toColumnValue } from './column-values.js';
import { LIKE_ESCAPE, type SqlDialect } from './dialects/sql-dialect.js';
import { fitsId, type IdType } from './id-type.js';
import { allOf, anyOf, exists, fragment, SQL_FALSE, SQL_TRUE, type SqlFragment } from './sql-fragment.js';
import { entriesFor, type JoinTableAttribute, type SqlResourceLayout } from './sql-resource-layout.js';

type Predicate =
  | { readonly kind: 'present' }
  | { readonly kind: 'compare'; readonly op: CompareOperator; readonly value: FilterValue };

/**
 * How each case-insensitive column a filter touched is compared, by qualified
 * column: `native` (its type or collation ignores case; a plain index serves)
 * or `fold` (the dialect folds case in the SQL). For `crosswalk explain`.
 */
export type CaseNotes = Map<string, 'native' | 'fold'>;

/** Where the paths of a (sub-)filter are resolved: the main row, or one value of a multi-valued attribute. */
interface Scope {
  leaf(path: AttributePath, predicate: Predicate, negated: boolean): SqlFragment;
  valuePath(path: AttributePath, inner: Filter, negated: boolean): SqlFragment;
}

/**
 * A SCIM filter (RFC 7644 §3.4.2.2) as ONE parameterised WHERE clause.
 *
 * SQL's three-valued logic would turn `not (title eq "x")` into NULL for a
 * NULL title and drop the row, so negations are pushed down to the leaves
 * (negation normal form) and every negated leaf says how NULL answers
 * (`title IS NULL OR title <> ?`). Multi-valued attributes in child or join
 * tables become EXISTS subqueries, one per value path, so both conditions of
 * `emails[type eq "work" and value co "@x"]` hold on the same row. Anything
 * the mapping cannot answer is 400 invalidFilter.
 */
export function filterToSql(
  layout: SqlResourceLayout,
  dialect: SqlDialect,
  filter: Filter,
  notes?: CaseNotes,
): SqlFragment {
  return translate(filter, false, new MainScope(layout, dialect, notes));
}

/**
 * The condition a value filter (`members[value eq "x"]`) puts on the rows of
 * the attribute's own child or join table, for `DELETE … WHERE owner = ? AND …`.
 */
export function valueFilterToSql(
  layout: SqlResourceLayout,
  dialect: SqlDialect,
  attribute: { readonly schema: string; readonly attribute: string },
  filter: Filter,
): SqlFragment {
  return new MainScope(layout, dialect).elementCondition(attribute, filter);
}

function translate(filter: Filter, negated: boolean, scope: Scope): SqlFragment {
  switch (filter.kind) {
    case 'and':
      return negated
        ? anyOf(translate(filter.left, true, scope), translate(filter.right, true, scope))
        : allOf(translate(filter.left, false, scope), translate(filter.right, false, scope));
    case 'or':
      return negated
        ? allOf(translate(filter.left, true, scope), translate(filter.right, true, scope))
        : anyOf(translate(filter.left, false, scope), translate(filter.right, false, scope));
    case 'not':
      return translate(filter.filter, !negated, scope);
    case 'present':
      return scope.leaf(filter.path, { kind: 'present' }, negated);
    case 'compare':
      return scope.leaf(filter.path, { kind: 'compare', op: filter.op, value: filter.value }, negated);
    case 'valuePath':
      return scope.valuePath(filter.path, filter.filter, negated);
  }
}

const COMPARE_SQL: Record<'eq' | 'gt' | 'ge' | 'lt' | 'le', { positive: string; inverse: string }> = {
  eq: { positive: '=', inverse: '<>' },
  gt: { positive: '>', inverse: '<=' },
  ge: { positive: '>=', inverse: '<' },
  lt: { positive: '<', inverse: '>=' },
  le: { positive: '<=', inverse: '>' },
};

const isText = (definition: AttributeDefinition): boolean =>
  definition.type === 'string' || definition.type === 'reference';

/** RFC 7644 §3.4.2.2: which operators make sense for which attribute types. */
function checkOperator(definition: AttributeDefinition, op: CompareOperator, label: string): void {
  const fail = (why: string) => {
    throw scimErrors.invalidFilter(`Operator '${op}' cannot be used on '${label}': ${why}`);
  };
  if (definition.type === 'complex' || definition.type === 'binary') fail(`it is ${definition.type}`);
  if (definition.type === 'boolean' && op !== 'eq' && op !== 'ne') fail('it is boolean');
  if ((op === 'co' || op === 'sw' || op === 'ew') && !isText(definition)) fail(`it is ${definition.type}`);
}

/** The filter value in the attribute's type (Entra sends `"True"`); a mismatch is invalidFilter. */
function filterValue(definition: AttributeDefinition, value: FilterValue, label: string): unknown {
  try {
    if (
      definition.type === 'dateTime' &&
      typeof value === 'string' &&
      Number.isNaN(new Date(value).getTime())
    ) {
      throw scimErrors.invalidFilter(`'${value}' is not a dateTime`);
    }
    return coerceSimpleValue(definition, value, label);
  } catch (err) {
    if (isScimError(err))
      throw scimErrors.invalidFilter(`Value for '${label}' does not fit the attribute: ${err.message}`);
    throw err;
  }
}

function constantPredicate(
  value: unknown,
  definition: AttributeDefinition,
  predicate: Predicate,
  negated: boolean,
): SqlFragment {
  let matches: boolean;
  if (predicate.kind === 'present') {
    matches = value !== undefined && value !== null && value !== '';
  } else if (predicate.value === null) {
    matches =
      predicate.op === 'eq' ? value === undefined || value === null : predicate.op === 'ne' && value !== null;
  } else {
    const fold = (text: unknown) => (definition.caseExact ? String(text) : String(text).toLowerCase());
    const left = fold(value);
    const right = fold(predicate.value);
    const results: Record<CompareOperator, boolean> = {
      eq: left === right,
      ne: left !== right,
      co: left.includes(right),
      sw: left.startsWith(right),
      ew: left.endsWith(right),
      gt: left > right,
      ge: left >= right,
      lt: left < right,
      le: left <= right,
    };
    matches = results[predicate.op];
  }
  return matches !== negated ? SQL_TRUE : SQL_FALSE;
}

/**
 * A comparison with an id column: a value no key type can hold matches
 * nothing (`eq`) or everything (`ne`) without asking the database; ids are
 * not text, so there is no substring match on them.
 */
function idPredicate(
  types: readonly IdType[],
  op: CompareOperator,
  text: string,
  negated: boolean,
  label: string,
): SqlFragment | undefined {
  if ((op === 'co' || op === 'sw' || op === 'ew') && !types.includes('text')) {
    throw scimErrors.invalidFilter(`'${label}' holds ${types.join('/')} ids; compare it with eq or ne`);
  }
  if (types.some((type) => fitsId(type, text))) return undefined;
  if (op === 'eq') return negated ? SQL_TRUE : SQL_FALSE;
  if (op === 'ne') return negated ? SQL_FALSE : SQL_TRUE;
  throw scimErrors.invalidFilter(`'${label}' holds ${types.join('/')} ids; '${text}' is not one`);
}

function operandPredicate(
  dialect: SqlDialect,
  operand: Operand,
  predicate: Predicate,
  negated: boolean,
  label: string,
  notes?: CaseNotes,
): SqlFragment {
  if (operand.kind === 'constant')
    return constantPredicate(operand.value, operand.definition, predicate, negated);
  const { column, definition } = operand;

  if (predicate.kind === 'present') {
    // An empty string is "not present" (RFC 7643 §2.5); only text columns can hold one.
    if (isText(definition) && operand.transform === undefined) {
      return negated
        ? fragment('(?? IS NULL OR ?? = ?)', column, column, '')
        : fragment('(?? IS NOT NULL AND ?? <> ?)', column, column, '');
    }
    return negated ? fragment('?? IS NULL', column) : fragment('?? IS NOT NULL', column);
  }

  const { op, value } = predicate;
  if (value === null) {
    // `eq null` asks for "no value", `ne null` for "has a value"; nothing else compares with null.
    if (op === 'eq') return operandPredicate(dialect, operand, { kind: 'present' }, !negated, label, notes);
    if (op === 'ne') return operandPredicate(dialect, operand, { kind: 'present' }, negated, label, notes);
    throw scimErrors.invalidFilter(`Operator '${op}' cannot compare '${label}' with null`);
  }
  checkOperator(definition, op, label);
  const bound = toColumnValue(dialect, definition, filterValue(definition, value, label), operand.transform);
  if (operand.idTypes !== undefined) {
    const decided = idPredicate(operand.idTypes, op, String(bound), negated, label);
    if (decided !== undefined) return decided;
  }
  const caseExact = definition.caseExact || !isText(definition);
  const native = !caseExact && operand.nativeCaseInsensitive === true;
  if (!caseExact) notes?.set(column, native ? 'native' : 'fold');

  if (op === 'co' || op === 'sw' || op === 'ew') {
    const match = native
      ? fragment(`?? LIKE ? ESCAPE '${LIKE_ESCAPE}'`, column, dialect.likePattern(op, String(bound)))
      : dialect.patternMatch(column, op, String(bound), caseExact);
    if (!negated) return match;
    return fragment(`(?? IS NULL OR NOT (${match.sql}))`, column, ...match.bindings);
  }
  // A natively case-insensitive column compares plainly, so its ordinary index serves.
  // Numbers, booleans and dates compare plainly: case is a text matter (SQL Server rejects COLLATE on them).
  const sides = native || !isText(definition) ? { column: '??', value: '?' } : dialect.operands(caseExact);
  // `ne` and every negated comparison take the NULL-admitting inverse form.
  const useInverse = op === 'ne' ? !negated : negated;
  const sql = COMPARE_SQL[op === 'ne' ? 'eq' : op];
  if ((op === 'eq' || op === 'ne') && caseExact && isText(definition)) {
    // The dialect's exact equality may add an index-friendly pre-filter (MySQL on a `_ci` column).
    const equal = dialect.exactEquality(column, bound);
    return useInverse ? fragment(`(?? IS NULL OR NOT (${equal.sql}))`, column, ...equal.bindings) : equal;
  }
  if (useInverse)
    return fragment(`(?? IS NULL OR ${sides.column} ${sql.inverse} ${sides.value})`, column, column, bound);
  return fragment(`${sides.column} ${sql.positive} ${sides.value}`, column, bound);
}

/** Default sub-attribute of a multi-valued attribute named without one (`emails co "x"`). */
function elementPath(resolved: ResolvedAttribute): AttributePath {
  return { attribute: resolved.subAttribute?.name ?? 'value' };
}

class MainScope implements Scope {
  constructor(
    private readonly layout: SqlResourceLayout,
    private readonly dialect: SqlDialect,
    private readonly notes?: CaseNotes,
  ) {}

  private resolve(path: AttributePath): ResolvedAttribute {
    const resolved = this.layout.schema.resolve(path);
    if (resolved === undefined) {
      throw scimErrors.invalidFilter(
        `Unknown attribute '${formatAttributePath(path)}' for ${this.layout.name}`,
      );
    }
    return resolved;
  }

  leaf(path: AttributePath, predicate: Predicate, negated: boolean): SqlFragment {
    const resolved = this.resolve(path);
    const label = formatAttributePath(path);
    const operand = mainOperand(this.layout, resolved);
    if (operand !== undefined)
      return operandPredicate(this.dialect, operand, predicate, negated, label, this.notes);

    const { attribute, subAttribute } = resolved;
    const whole: AttributePath = { schema: resolved.schema, attribute: attribute.name };
    if (attribute.multiValued) {
      if (predicate.kind === 'present' && subAttribute === undefined)
        return this.anyValue(resolved, negated, label);
      const inner: Filter =
        predicate.kind === 'present'
          ? { kind: 'present', path: elementPath(resolved) }
          : { kind: 'compare', path: elementPath(resolved), op: predicate.op, value: predicate.value };
      return this.valuePath(whole, inner, negated);
    }
    if (attribute.type === 'complex' && subAttribute === undefined && predicate.kind === 'present') {
      // `name pr`: any mapped sub-attribute present.
      const parts = (attribute.subAttributes ?? []).flatMap((sub) => {
        const subOperand = mainOperand(this.layout, { ...resolved, subAttribute: sub });
        return subOperand === undefined
          ? []
          : [operandPredicate(this.dialect, subOperand, predicate, negated, label, this.notes)];
      });
      if (parts.length > 0) return negated ? allOf(...parts) : anyOf(...parts);
    }
    throw scimErrors.invalidFilter(
      `'${label}' is not mapped to a column of ${this.layout.name}; it cannot be filtered on`,
    );
  }

  /** `emails pr`: at least one value. */
  private anyValue(resolved: ResolvedAttribute, negated: boolean, label: string): SqlFragment {
    const table = this.tableFor(resolved);
    if (table !== undefined) return exists(this.ownedRows(table.table, table.ownerColumn, SQL_TRUE), negated);
    const picks = this.picksFor(resolved);
    if (picks.length === 0)
      throw scimErrors.invalidFilter(`'${label}' is not mapped for ${this.layout.name}`);
    const present = picks.map((pick) => pick.present(false));
    return negated ? allOf(...picks.map((pick) => pick.present(true))) : anyOf(...present);
  }

  valuePath(path: AttributePath, inner: Filter, negated: boolean): SqlFragment {
    const resolved = this.resolve(path);
    const label = formatAttributePath(path);
    if (resolved.subAttribute !== undefined)
      throw scimErrors.invalidFilter(`'${label}[…]' names a sub-attribute`);
    if (!resolved.attribute.multiValued) {
      if (resolved.attribute.type !== 'complex') throw scimErrors.invalidFilter(`'${label}' is not complex`);
      return translate(inner, negated, new NestedScope(this, resolved));
    }
    const table = this.tableFor(resolved);
    if (table !== undefined) {
      const element = new ElementScope(this.dialect, resolved, table, label, this.notes);
      const condition = translate(inner, false, element);
      // No row can match (an id no key can hold): no subquery needed.
      if (condition === SQL_FALSE) return negated ? SQL_TRUE : SQL_FALSE;
      return exists(this.ownedRows(table.table, table.ownerColumn, condition), negated);
    }
    const picks = this.picksFor(resolved);
    if (picks.length === 0)
      throw scimErrors.invalidFilter(`'${label}' is not mapped for ${this.layout.name}`);
    return negated
      ? allOf(...picks.map((pick) => anyOf(pick.present(true), translate(inner, true, pick))))
      : anyOf(...picks.map((pick) => allOf(pick.present(false), translate(inner, false, pick))));
  }

  elementCondition(path: AttributePath, inner: Filter): SqlFragment {
    const resolved = this.resolve(path);
    const label = formatAttributePath(path);
    const table = this.tableFor(resolved);
    if (table === undefined) throw scimErrors.invalidFilter(`'${label}' is not stored in its own table`);
    return translate(inner, false, new ElementScope(this.dialect, resolved, table, label, this.notes));
  }

  private ownedRows(table: string, ownerColumn: string, condition: SqlFragment): SqlFragment {
    const owner = fragment('?? = ??', `${table}.${ownerColumn}`, this.layout.qualified(this.layout.idColumn));
    const where = allOf(owner, condition);
    return { sql: `SELECT 1 FROM ?? WHERE ${where.sql}`, bindings: [table, ...where.bindings] };
  }

  /** A child table or join table holding the attribute's values, with sub-attribute → column. */
  private tableFor(resolved: ResolvedAttribute): ElementTable | undefined {
    const child: ChildTableAttribute | undefined = entriesFor(
      this.layout.childTables,
      resolved.schema,
      resolved.attribute.name,
    )[0];
    if (child !== undefined) {
      return {
        table: child.table,
        ownerColumn: child.ownerColumn,
        columns: child.columns,
        native: child.nativeCaseInsensitive === true,
      };
    }
    const join: JoinTableAttribute | undefined = entriesFor(
      this.layout.joinTables,
      resolved.schema,
      resolved.attribute.name,
    )[0];
    if (join === undefined) return undefined;
    const { table, ownerColumn, valueColumn, typeColumn } = join.joinTable;
    return {
      table,
      ownerColumn,
      columns: { value: valueColumn, ...(typeColumn === undefined ? {} : { type: typeColumn }) },
      idTypes: this.layout.idTypesOf(join.ref),
      native: false,
    };
  }

  /** Typed picks (`emails[type eq "work"].value` → a column), one virtual value per type. */
  private picksFor(resolved: ResolvedAttribute): PickScope[] {
    const byType = new Map<string, ScalarAttribute[]>();
    for (const entry of entriesFor(this.layout.scalars, resolved.schema, resolved.attribute.name)) {
      const typeValue = entry.scim.typeValue;
      if (typeValue === undefined) continue;
      byType.set(typeValue, [...(byType.get(typeValue) ?? []), entry]);
    }
    return [...byType].map(
      ([typeValue, entries]) =>
        new PickScope(this.dialect, this.layout, resolved, typeValue, entries, this.notes),
    );
  }
}

/** `name[givenName eq "x"]`: inner paths are sub-attributes of a single complex attribute on the main row. */
class NestedScope implements Scope {
  constructor(
    private readonly main: MainScope,
    private readonly parent: ResolvedAttribute,
  ) {}

  leaf(path: AttributePath, predicate: Predicate, negated: boolean): SqlFragment {
    const full = {
      schema: this.parent.schema,
      attribute: this.parent.attribute.name,
      subAttribute: path.attribute,
    };
    return this.main.leaf(full, predicate, negated);
  }

  valuePath(path: AttributePath): SqlFragment {
    throw scimErrors.invalidFilter(`Value paths cannot nest ('${formatAttributePath(path)}')`);
  }
}

function subDefinition(parent: ResolvedAttribute, path: AttributePath, label: string): AttributeDefinition {
  const sub =
    path.subAttribute === undefined
      ? findAttribute(parent.attribute.subAttributes, path.attribute)
      : undefined;
  if (sub === undefined) {
    throw scimErrors.invalidFilter(`Unknown sub-attribute '${formatAttributePath(path)}' of '${label}'`);
  }
  return sub;
}

/** The table holding a multi-valued attribute's values, as a filter sees it. */
interface ElementTable {
  readonly table: string;
  readonly ownerColumn: string;
  /** Sub-attribute → column. */
  readonly columns: Readonly<Record<string, string>>;
  /** Join tables: `value` holds ids of these key types (compared exactly). */
  readonly idTypes?: readonly IdType[];
  /** The text columns ignore case themselves. */
  readonly native: boolean;
}

/** One row of a child or join table, inside its EXISTS subquery. */
class ElementScope implements Scope {
  constructor(
    private readonly dialect: SqlDialect,
    private readonly parent: ResolvedAttribute,
    private readonly element: ElementTable,
    private readonly label: string,
    private readonly notes?: CaseNotes,
  ) {}

  leaf(path: AttributePath, predicate: Predicate, negated: boolean): SqlFragment {
    const sub = subDefinition(this.parent, path, this.label);
    const { columns, table, idTypes, native } = this.element;
    const key = Object.keys(columns).find((name) => name.toLowerCase() === sub.name.toLowerCase());
    const column = key === undefined ? undefined : columns[key];
    if (column === undefined) {
      throw scimErrors.invalidFilter(`'${this.label}.${sub.name}' is not stored; it cannot be filtered on`);
    }
    const isId = idTypes !== undefined && sub.name === 'value';
    const operand: Operand = {
      kind: 'column',
      column: `${table}.${column}`,
      definition: isId ? { ...sub, caseExact: true } : sub,
      ...(isId ? { idTypes } : {}),
      ...(native ? { nativeCaseInsensitive: true } : {}),
    };
    return operandPredicate(
      this.dialect,
      operand,
      predicate,
      negated,
      `${this.label}.${sub.name}`,
      this.notes,
    );
  }

  valuePath(path: AttributePath): SqlFragment {
    throw scimErrors.invalidFilter(`Value paths cannot nest ('${formatAttributePath(path)}')`);
  }
}

/** The one value of a given type that typed-pick columns hold (`type` is a constant, the rest columns). */
class PickScope implements Scope {
  constructor(
    private readonly dialect: SqlDialect,
    private readonly layout: SqlResourceLayout,
    private readonly parent: ResolvedAttribute,
    private readonly typeValue: string,
    private readonly entries: readonly ScalarAttribute[],
    private readonly notes?: CaseNotes,
  ) {}

  /** Whether this typed value exists (some column of it is not NULL), or (negated) does not. */
  present(negated: boolean): SqlFragment {
    const parts = this.entries.map((entry) =>
      fragment(negated ? '?? IS NULL' : '?? IS NOT NULL', this.layout.qualified(entry.target)),
    );
    return negated ? allOf(...parts) : anyOf(...parts);
  }

  leaf(path: AttributePath, predicate: Predicate, negated: boolean): SqlFragment {
    const label = formatAttributePath({ schema: this.parent.schema, attribute: this.parent.attribute.name });
    const sub = subDefinition(this.parent, path, label);
    const entry = this.entries.find(
      (candidate) => candidate.scim.subAttribute?.toLowerCase() === sub.name.toLowerCase(),
    );
    if (entry !== undefined) {
      const operand: Operand = {
        kind: 'column',
        column: this.layout.qualified(entry.target),
        definition: sub,
        ...(entry.transform === undefined ? {} : { transform: entry.transform }),
        ...(entry.nativeCaseInsensitive === true ? { nativeCaseInsensitive: true } : {}),
      };
      return operandPredicate(this.dialect, operand, predicate, negated, `${label}.${sub.name}`, this.notes);
    }
    if (sub.name === 'type') return constantPredicate(this.typeValue, sub, predicate, negated);
    throw scimErrors.invalidFilter(`'${label}.${sub.name}' is not mapped; it cannot be filtered on`);
  }

  valuePath(path: AttributePath): SqlFragment {
    throw scimErrors.invalidFilter(`Value paths cannot nest ('${formatAttributePath(path)}')`);
  }
}
