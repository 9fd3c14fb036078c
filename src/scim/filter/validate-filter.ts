import { scimErrors } from '../errors.js';
import { findAttribute } from '../schema/find-attribute.js';
import type { AttributeDefinition, ResolvedAttribute, ResourceSchema } from '../schema/model.js';
import type { AttributePath, CompareOperator, Filter } from './ast.js';

const ORDERING_OPERATORS: ReadonlySet<CompareOperator> = new Set(['gt', 'ge', 'lt', 'le']);
const SUBSTRING_OPERATORS: ReadonlySet<CompareOperator> = new Set(['co', 'sw', 'ew']);
const TEXT_TYPES: ReadonlySet<AttributeDefinition['type']> = new Set(['string', 'reference']);

export function formatAttributePath(path: AttributePath): string {
  const name = path.subAttribute === undefined ? path.attribute : `${path.attribute}.${path.subAttribute}`;
  return path.schema === undefined ? name : `${path.schema}:${name}`;
}

/**
 * The definition a comparison actually tests: the named (sub-)attribute, or —
 * for a complex attribute named without sub-attribute — its `value`
 * sub-attribute (RFC 7644 §3.4.2.2: `emails co "x"` means `emails.value`).
 */
export function comparedDefinition(resolved: ResolvedAttribute): AttributeDefinition | undefined {
  const target = resolved.subAttribute ?? resolved.attribute;
  if (target.type !== 'complex') return target;
  return findAttribute(target.subAttributes, 'value');
}

function checkOperator(definition: AttributeDefinition, op: CompareOperator, label: string): void {
  if (ORDERING_OPERATORS.has(op) && (definition.type === 'boolean' || definition.type === 'binary')) {
    throw scimErrors.invalidFilter(`Operator '${op}' cannot compare ${definition.type} attribute '${label}'`);
  }
  if (SUBSTRING_OPERATORS.has(op) && !TEXT_TYPES.has(definition.type)) {
    throw scimErrors.invalidFilter(
      `Operator '${op}' needs a string attribute; '${label}' is ${definition.type}`,
    );
  }
}

/** Resolves every path of `filter` relative to the multi-valued/complex `parent` (inside `emails[…]`). */
function validateRelative(parent: AttributeDefinition, filter: Filter, parentLabel: string): void {
  switch (filter.kind) {
    case 'and':
    case 'or':
      validateRelative(parent, filter.left, parentLabel);
      validateRelative(parent, filter.right, parentLabel);
      return;
    case 'not':
      validateRelative(parent, filter.filter, parentLabel);
      return;
    case 'valuePath':
      throw scimErrors.invalidFilter(`Nested value filter inside '${parentLabel}[…]' is not allowed`);
    case 'present':
    case 'compare': {
      const { path } = filter;
      const label = `${parentLabel}.${path.attribute}`;
      if (path.subAttribute !== undefined || path.schema !== undefined) {
        throw scimErrors.invalidFilter(
          `'${formatAttributePath(path)}' is not a sub-attribute of '${parentLabel}'`,
        );
      }
      // A multi-valued simple attribute (no sub-attributes) is filtered through `value`.
      const sub =
        parent.subAttributes === undefined
          ? path.attribute.toLowerCase() === 'value'
            ? parent
            : undefined
          : findAttribute(parent.subAttributes, path.attribute);
      if (sub === undefined) throw scimErrors.invalidFilter(`Unknown attribute '${label}' in filter`);
      if (filter.kind === 'compare') {
        if (sub.type === 'complex')
          throw scimErrors.invalidFilter(`Cannot compare complex attribute '${label}'`);
        checkOperator(sub, filter.op, label);
      }
      return;
    }
  }
}

/** For a PATCH path's value filter: checks `filter` against the attribute it selects values of. */
export function validateValueFilter(parent: ResolvedAttribute, filter: Filter): void {
  if (!parent.attribute.multiValued && parent.attribute.type !== 'complex') {
    throw scimErrors.invalidFilter(`'${parent.attribute.name}' is neither multi-valued nor complex`);
  }
  validateRelative(parent.attribute, filter, parent.attribute.name);
}

/**
 * Checks that every attribute a filter names exists in the resource type's
 * (mapping-narrowed) schemas and that each operator suits the attribute's
 * type — so backends never get a filter they would answer silently wrong.
 */
export function validateFilter(schema: ResourceSchema, filter: Filter): void {
  switch (filter.kind) {
    case 'and':
    case 'or':
      validateFilter(schema, filter.left);
      validateFilter(schema, filter.right);
      return;
    case 'not':
      validateFilter(schema, filter.filter);
      return;
    case 'present': {
      if (schema.resolve(filter.path) === undefined) {
        throw scimErrors.invalidFilter(`Unknown attribute '${formatAttributePath(filter.path)}' in filter`);
      }
      return;
    }
    case 'compare': {
      const label = formatAttributePath(filter.path);
      const resolved = schema.resolve(filter.path);
      if (resolved === undefined) throw scimErrors.invalidFilter(`Unknown attribute '${label}' in filter`);
      const definition = comparedDefinition(resolved);
      if (definition === undefined) {
        throw scimErrors.invalidFilter(`Cannot compare complex attribute '${label}'; name a sub-attribute`);
      }
      checkOperator(definition, filter.op, label);
      return;
    }
    case 'valuePath': {
      const label = formatAttributePath(filter.path);
      if (filter.path.subAttribute !== undefined) {
        throw scimErrors.invalidFilter(`A value filter applies to an attribute, not to '${label}'`);
      }
      const resolved = schema.resolve(filter.path);
      if (resolved === undefined) throw scimErrors.invalidFilter(`Unknown attribute '${label}' in filter`);
      validateValueFilter(resolved, filter.filter);
      return;
    }
  }
}
