import type { AttributePath, Filter, FilterValue } from './ast.js';

/** `[schema:]attribute[.subAttribute]` as the grammar writes it. */
export function formatAttributePath(path: AttributePath): string {
  const name = path.subAttribute === undefined ? path.attribute : `${path.attribute}.${path.subAttribute}`;
  return path.schema === undefined ? name : `${path.schema}:${name}`;
}

function formatValue(value: FilterValue): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : JSON.stringify(value);
  return JSON.stringify(value);
}

/** Operands bind tighter than `and`/`or`; parentheses keep the tree's shape on re-parse. */
function formatOperand(filter: Filter, parent: 'and' | 'or', side: 'left' | 'right'): string {
  const text = formatFilter(filter);
  if (filter.kind === 'or' && parent === 'and') return `(${text})`;
  // Both operators are left-associative: a same-kind right child needs parentheses.
  if (filter.kind === parent && side === 'right') return `(${text})`;
  return text;
}

/**
 * Prints a filter AST as canonical SCIM filter text (lower-case keywords,
 * JSON values, Entra's `attr[...].sub` form written as a plain value path).
 * parseFilter(formatFilter(ast)) yields the same AST. Used in logs and `explain`.
 */
export function formatFilter(filter: Filter): string {
  switch (filter.kind) {
    case 'compare':
      return `${formatAttributePath(filter.path)} ${filter.op} ${formatValue(filter.value)}`;
    case 'present':
      return `${formatAttributePath(filter.path)} pr`;
    case 'and':
    case 'or':
      return `${formatOperand(filter.left, filter.kind, 'left')} ${filter.kind} ${formatOperand(filter.right, filter.kind, 'right')}`;
    case 'not':
      return `not (${formatFilter(filter.filter)})`;
    case 'valuePath':
      return `${formatAttributePath(filter.path)}[${formatFilter(filter.filter)}]`;
  }
}
