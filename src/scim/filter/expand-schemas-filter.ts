import { scimErrors } from '../errors.js';
import type { ResourceSchema } from '../schema/model.js';
import type { AttributePath, CompareOperator, Filter } from './ast.js';

const ID: AttributePath = { attribute: 'id' };
/** Every resource has an id: the constant true and false a store can push down like any filter. */
const ALWAYS: Filter = { kind: 'present', path: ID };
const NEVER: Filter = { kind: 'not', filter: ALWAYS };

function isSchemasPath(schema: ResourceSchema, path: AttributePath): boolean {
  return (
    path.attribute.toLowerCase() === 'schemas' &&
    path.subAttribute === undefined &&
    (path.schema === undefined || path.schema.toLowerCase() === schema.coreSchema.id.toLowerCase())
  );
}

function holds(urn: string, op: CompareOperator, value: string): boolean {
  const [left, right] = [urn.toLowerCase(), value.toLowerCase()];
  switch (op) {
    case 'eq':
      return left === right;
    case 'ne':
      return left !== right;
    case 'co':
      return left.includes(right);
    case 'sw':
      return left.startsWith(right);
    case 'ew':
      return left.endsWith(right);
    case 'gt':
      return left > right;
    case 'ge':
      return left >= right;
    case 'lt':
      return left < right;
    case 'le':
      return left <= right;
  }
}

function anyOf(filters: readonly Filter[]): Filter {
  const [first, ...rest] = filters;
  if (first === undefined) return NEVER;
  return rest.reduce<Filter>((left, right) => ({ kind: 'or', left, right }), first);
}

/**
 * When a resource carries a schema URN in `schemas`: the core schema always;
 * an extension when one of its (mapped) attributes has a value — the rule
 * projection uses to write `schemas` in responses.
 */
function carries(schema: ResourceSchema, urn: string): Filter {
  if (urn === schema.coreSchema.id) return ALWAYS;
  const extension = schema.extensions.find((candidate) => candidate.id === urn);
  if (extension === undefined) return NEVER;
  return anyOf(
    extension.attributes.map(
      (attribute): Filter => ({ kind: 'present', path: { schema: urn, attribute: attribute.name } }),
    ),
  );
}

/**
 * Rewrites filters on `schemas` (RFC 7644 §3.4.2.2:
 * `schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"`)
 * into filters on the attributes that put a URN there, so every store can
 * push them down without knowing about `schemas`. A comparison is decided
 * for each URN the resource type knows (case-insensitively: URNs are), and
 * the resource matches when it carries one that satisfies it.
 */
export function expandSchemasFilter(schema: ResourceSchema, filter: Filter): Filter {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return {
        ...filter,
        left: expandSchemasFilter(schema, filter.left),
        right: expandSchemasFilter(schema, filter.right),
      };
    case 'not':
      return { ...filter, filter: expandSchemasFilter(schema, filter.filter) };
    case 'valuePath':
      return filter;
    case 'present':
      // Every resource has at least its core schema.
      return isSchemasPath(schema, filter.path) ? ALWAYS : filter;
    case 'compare': {
      if (!isSchemasPath(schema, filter.path)) return filter;
      const { op, value } = filter;
      if (typeof value !== 'string') {
        throw scimErrors.invalidFilter(
          `'schemas' holds URIs; compare it with a string, not ${JSON.stringify(value)}`,
        );
      }
      // `ne` is the negation of `eq`, as for every multi-valued attribute: no carried URN equals the value.
      if (op === 'ne') return { kind: 'not', filter: expandSchemasFilter(schema, { ...filter, op: 'eq' }) };
      return anyOf(
        schema.schemaUrns.filter((urn) => holds(urn, op, value)).map((urn) => carries(schema, urn)),
      );
    }
  }
}
