import type { AttributePath, CompareOperator, Filter, FilterValue } from '../../../src/scim/filter/ast.js';
import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_RESOURCE_TYPE,
  GROUP_SCHEMA,
  USER_RESOURCE_TYPE,
  USER_SCHEMA,
} from '../../../src/scim/schema/core-schemas.js';
import { createResourceSchema } from '../../../src/scim/schema/resource-schema.js';

export const userSchema = createResourceSchema(USER_RESOURCE_TYPE, USER_SCHEMA, [ENTERPRISE_USER_SCHEMA]);
export const groupSchema = createResourceSchema(GROUP_RESOURCE_TYPE, GROUP_SCHEMA, []);

export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** `emails.value` / `urn:…:User:department` → AttributePath, split by hand as the parser would. */
export function path(text: string): AttributePath {
  let schema: string | undefined;
  let rest = text;
  if (text.startsWith('urn:')) {
    const colon = text.lastIndexOf(':');
    schema = text.slice(0, colon);
    rest = text.slice(colon + 1);
  }
  const [attribute = '', subAttribute] = rest.split('.');
  return {
    ...(schema === undefined ? {} : { schema }),
    attribute,
    ...(subAttribute === undefined ? {} : { subAttribute }),
  };
}

export const cmp = (attr: string, op: CompareOperator, value: FilterValue): Filter => ({
  kind: 'compare',
  path: path(attr),
  op,
  value,
});
export const pr = (attr: string): Filter => ({ kind: 'present', path: path(attr) });
export const and = (left: Filter, right: Filter): Filter => ({ kind: 'and', left, right });
export const or = (left: Filter, right: Filter): Filter => ({ kind: 'or', left, right });
export const not = (filter: Filter): Filter => ({ kind: 'not', filter });
export const valuePath = (attr: string, filter: Filter): Filter => ({
  kind: 'valuePath',
  path: path(attr),
  filter,
});
