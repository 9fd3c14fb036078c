import { isPlainObject } from '../schema/coerce-value.js';
import { findAttribute, findKey } from '../schema/find-attribute.js';
import type { AttributeDefinition } from '../schema/model.js';

function sameSimple(definition: AttributeDefinition | undefined, left: unknown, right: unknown): boolean {
  if (typeof left === 'string' && typeof right === 'string' && definition?.caseExact !== true) {
    return left.toLowerCase() === right.toLowerCase();
  }
  return left === right;
}

/** Structural equality of JSON values (key order ignored). */
export function deepEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (Array.isArray(left) && Array.isArray(right)) {
    return left.length === right.length && left.every((item, index) => deepEqual(item, right[index]));
  }
  if (isPlainObject(left) && isPlainObject(right)) {
    const keys = Object.keys(left);
    return keys.length === Object.keys(right).length && keys.every((key) => deepEqual(left[key], right[key]));
  }
  return false;
}

function subValue(item: Record<string, unknown>, name: string): unknown {
  const key = findKey(item, name);
  return key === undefined ? undefined : item[key];
}

/**
 * Whether two values of a multi-valued attribute denote the same value, so
 * PATCH add does not duplicate and Azure's `remove members [{value}]`
 * finds its targets: complex values with a `value` sub-attribute are the
 * same when their `value`s are (and their `type`s, when both carry one);
 * other values compare structurally, honouring `caseExact`.
 */
export function sameMultiValue(definition: AttributeDefinition, left: unknown, right: unknown): boolean {
  if (definition.type !== 'complex') return sameSimple(definition, left, right);
  if (!isPlainObject(left) || !isPlainObject(right)) return false;
  const valueSub = findAttribute(definition.subAttributes, 'value');
  const leftValue = subValue(left, 'value');
  const rightValue = subValue(right, 'value');
  if (valueSub === undefined || leftValue === undefined || rightValue === undefined)
    return deepEqual(left, right);
  if (!sameSimple(valueSub, leftValue, rightValue)) return false;
  const leftType = subValue(left, 'type');
  const rightType = subValue(right, 'type');
  if (leftType === undefined || rightType === undefined) return true;
  return sameSimple(findAttribute(definition.subAttributes, 'type'), leftType, rightType);
}
