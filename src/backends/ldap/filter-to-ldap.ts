import {
  AndFilter,
  EqualityFilter,
  ExtensibleFilter,
  type Filter,
  GreaterThanEqualsFilter,
  LessThanEqualsFilter,
  NotFilter,
  OrFilter,
  PresenceFilter,
  SubstringFilter,
} from 'ldapts';
import type { ScalarAttribute } from '../../mapping/compiled-mapping.js';
import { ACCOUNT_DISABLE } from '../../mapping/transforms/account-enabled.js';
import { scimErrors } from '../../scim/errors.js';
import type {
  AttributePath,
  CompareFilter,
  CompareOperator,
  Filter as ScimFilter,
} from '../../scim/filter/ast.js';
import { formatAttributePath } from '../../scim/filter/format-filter.js';
import type { AttributeDefinition, ResolvedAttribute } from '../../scim/schema/model.js';
import type { DirectoryProfile } from './directory-profile.js';
import type { ReferenceTarget } from './entry-codec.js';
import type { DnListAttribute, LdapLayout } from './ldap-resource-layout.js';
import { isoToGeneralized, toLdapText } from './ldap-values.js';
import { idFilter, matchNothing } from './resource-id.js';

/** AD's LDAP_MATCHING_RULE_BIT_AND: `(userAccountControl:1.2.840.113556.1.4.803:=2)`. */
const AD_BIT_AND = '1.2.840.113556.1.4.803';

export interface FilterContext {
  readonly layout: LdapLayout;
  readonly profile: DirectoryProfile;
  /** Referenced resources by lower-cased SCIM id (members.value, manager.value), resolved beforehand. */
  readonly references: ReadonlyMap<string, ReferenceTarget>;
}

const matchAll = (): Filter => new PresenceFilter({ attribute: 'objectClass' });
const anyOf = (filters: Filter[]): Filter =>
  filters.length === 1 && filters[0] !== undefined ? filters[0] : new OrFilter({ filters });
const allOf = (filters: Filter[]): Filter =>
  filters.length === 1 && filters[0] !== undefined ? filters[0] : new AndFilter({ filters });

function unsupported(path: AttributePath, why: string): never {
  throw scimErrors.invalidFilter(`Cannot filter on '${formatAttributePath(path)}': ${why}`);
}

function resolve(ctx: FilterContext, path: AttributePath): ResolvedAttribute {
  const resolved = ctx.layout.schema.resolve(path);
  if (resolved === undefined) unsupported(path, 'no such attribute');
  return resolved;
}

/** Scalars that hold `attribute[.sub]`; `manager.value` is held by the whole-`manager` mapping. */
function scalarsAt(
  ctx: FilterContext,
  resolved: ResolvedAttribute,
  sub: string | undefined,
): ScalarAttribute[] {
  const { layout } = ctx;
  const name = resolved.attribute.name;
  return layout.scalars.filter((entry) => {
    if (entry.scim.schema !== resolved.schema || entry.scim.attribute !== name) return false;
    const mapped = entry.scim.subAttribute?.toLowerCase();
    if (mapped === sub?.toLowerCase()) return true;
    return sub?.toLowerCase() === 'value' && mapped === undefined && resolved.attribute.type === 'complex';
  });
}

/** The attribute named by a compare's path: the sub-attribute, or `value` of a complex attribute. */
function subOf(resolved: ResolvedAttribute): string | undefined {
  if (resolved.subAttribute !== undefined) return resolved.subAttribute.name;
  return resolved.attribute.type === 'complex' ? 'value' : undefined;
}

function valueDefinition(resolved: ResolvedAttribute, sub: string | undefined): AttributeDefinition {
  if (resolved.subAttribute !== undefined) return resolved.subAttribute;
  const child = resolved.attribute.subAttributes?.find((s) => s.name.toLowerCase() === sub?.toLowerCase());
  return child ?? resolved.attribute;
}

function checkValueType(
  path: AttributePath,
  definition: AttributeDefinition,
  op: CompareOperator,
  value: unknown,
): void {
  if (value === null) {
    if (op !== 'eq' && op !== 'ne') unsupported(path, `'${op}' needs a value`);
    return;
  }
  const ordered = op === 'gt' || op === 'ge' || op === 'lt' || op === 'le';
  const substring = op === 'co' || op === 'sw' || op === 'ew';
  switch (definition.type) {
    case 'boolean':
      if (typeof value !== 'boolean') unsupported(path, 'expects true or false');
      if (ordered || substring) unsupported(path, `'${op}' does not apply to a boolean`);
      return;
    case 'integer':
    case 'decimal':
      if (typeof value !== 'number') unsupported(path, 'expects a number');
      if (substring) unsupported(path, `'${op}' does not apply to a number`);
      return;
    case 'dateTime':
      if (typeof value !== 'string' || isoToGeneralized(value) === undefined)
        unsupported(path, 'expects a dateTime such as 2024-01-01T00:00:00Z');
      if (substring) unsupported(path, `'${op}' does not apply to a dateTime`);
      return;
    default:
      if (typeof value !== 'string') unsupported(path, 'expects a string');
  }
}

/** One comparison on one LDAP attribute, with the operator semantics LDAP lacks emulated. */
function compareAttribute(
  ctx: FilterContext,
  attribute: string,
  definition: AttributeDefinition,
  op: CompareOperator,
  value: string | Buffer,
): Filter {
  const isString = definition.type === 'string' || definition.type === 'reference';
  const equal = (): Filter => {
    if (isString && definition.caseExact && ctx.profile.kind === 'openldap' && typeof value === 'string') {
      // Case-exact SCIM attribute over a case-ignoring LDAP attribute: ask for exact matching.
      return new ExtensibleFilter({ matchType: attribute, rule: 'caseExactMatch', value });
    }
    return new EqualityFilter({ attribute, value });
  };
  const text = typeof value === 'string' ? value : value.toString('utf8');
  const orderingRule = isString ? ctx.profile.stringOrderingRule : undefined;
  // With an ordering rule in an extensible match, `(a:rule:=v)` is "a < v" (RFC 4517 §4.2.x).
  const less = (): Filter =>
    new ExtensibleFilter({ matchType: attribute, rule: orderingRule ?? '', value: text });
  const present = (): Filter => new PresenceFilter({ attribute });
  switch (op) {
    case 'eq':
      return equal();
    case 'ne':
      return new NotFilter({ filter: equal() });
    case 'co':
      return text === '' ? present() : new SubstringFilter({ attribute, any: [text] });
    case 'sw':
      return text === '' ? present() : new SubstringFilter({ attribute, initial: text });
    case 'ew':
      return text === '' ? present() : new SubstringFilter({ attribute, final: text });
    case 'ge':
      if (orderingRule !== undefined) return allOf([present(), new NotFilter({ filter: less() })]);
      return new GreaterThanEqualsFilter({ attribute, value: text });
    case 'le':
      if (orderingRule !== undefined) return anyOf([less(), equal()]);
      return new LessThanEqualsFilter({ attribute, value: text });
    case 'gt':
      // LDAP has only >=: gt = (&(a>=v)(!(a=v))).
      if (orderingRule !== undefined)
        return allOf([present(), new NotFilter({ filter: less() }), new NotFilter({ filter: equal() })]);
      return allOf([
        new GreaterThanEqualsFilter({ attribute, value: text }),
        new NotFilter({ filter: equal() }),
      ]);
    case 'lt':
      if (orderingRule !== undefined) return less();
      return allOf([
        new LessThanEqualsFilter({ attribute, value: text }),
        new NotFilter({ filter: equal() }),
      ]);
  }
}

function referenceDn(ctx: FilterContext, id: unknown): ReferenceTarget | undefined {
  return typeof id === 'string' ? ctx.references.get(id.toLowerCase()) : undefined;
}

/** `attr eq <id>` on an attribute holding DNs: the id becomes the DN it names. */
function compareReference(
  ctx: FilterContext,
  path: AttributePath,
  attribute: string,
  op: CompareOperator,
  value: unknown,
): Filter {
  if (op !== 'eq' && op !== 'ne') unsupported(path, `references support only 'eq' and 'ne'`);
  const target = referenceDn(ctx, value);
  const equal = target === undefined ? matchNothing() : new EqualityFilter({ attribute, value: target.dn });
  return op === 'eq' ? equal : new NotFilter({ filter: equal });
}

function compareScalar(
  ctx: FilterContext,
  path: AttributePath,
  entry: ScalarAttribute,
  definition: AttributeDefinition,
  op: CompareOperator,
  value: CompareFilter['value'],
): Filter {
  if (value === null) {
    const present = new PresenceFilter({ attribute: entry.target });
    return op === 'eq' ? new NotFilter({ filter: present }) : present;
  }
  if (entry.ref !== undefined) return compareReference(ctx, path, entry.target, op, value);
  if (entry.transform?.name === 'adAccountEnabled') {
    // active ↔ the ACCOUNTDISABLE bit, tested bitwise so other bits do not matter.
    const disabled = new ExtensibleFilter({
      matchType: entry.target,
      rule: AD_BIT_AND,
      value: String(ACCOUNT_DISABLE),
    });
    const wantsEnabled = (op === 'eq') === (value === true);
    return wantsEnabled ? new NotFilter({ filter: disabled }) : disabled;
  }
  let ldap: unknown = value;
  if (entry.transform !== undefined) {
    if (op !== 'eq' && op !== 'ne') unsupported(path, `'${op}' does not apply to a transformed value`);
    ldap = entry.transform.toBackend(value);
  }
  const converted = Buffer.isBuffer(ldap) ? ldap : toLdapText(definition, ldap, formatAttributePath(path));
  return compareAttribute(ctx, entry.target, definition, op, converted);
}

function metaAttribute(ctx: FilterContext, path: AttributePath, resolved: ResolvedAttribute): string {
  const sub = resolved.subAttribute?.name;
  if (sub === 'created') return ctx.profile.createdAttribute;
  if (sub === 'lastModified') return ctx.profile.modifiedAttribute;
  return unsupported(path, 'only meta.created and meta.lastModified can be filtered');
}

function compare(ctx: FilterContext, filter: CompareFilter): Filter {
  const { path, op, value } = filter;
  const resolved = resolve(ctx, path);
  const name = resolved.attribute.name;
  if (name === 'id' && resolved.schema === ctx.layout.schema.coreSchema.id) {
    if (op !== 'eq' && op !== 'ne') unsupported(path, `ids support only 'eq' and 'ne'`);
    if (typeof value !== 'string') unsupported(path, 'expects a string');
    const equal = idFilter(ctx.profile, ctx.layout.spec.idAttribute, value);
    return op === 'eq' ? equal : new NotFilter({ filter: equal });
  }
  if (name === 'meta') {
    const attribute = metaAttribute(ctx, path, resolved);
    const definition = resolved.subAttribute ?? resolved.attribute;
    checkValueType(path, definition, op, value);
    if (value === null) return new NotFilter({ filter: new PresenceFilter({ attribute }) });
    return compareAttribute(
      ctx,
      attribute,
      definition,
      op,
      toLdapText(definition, value, formatAttributePath(path)),
    );
  }
  const list = ctx.layout.referenceFor(resolved.schema, name);
  if (list !== undefined) {
    const sub = resolved.subAttribute?.name ?? 'value';
    if (sub !== 'value') unsupported(path, `only ${name}.value can be filtered`);
    return compareReference(ctx, path, list.ldapAttribute, op, value);
  }
  const sub = subOf(resolved);
  const scalars = scalarsAt(ctx, resolved, sub);
  if (scalars.length === 0) unsupported(path, 'it is not mapped to the directory');
  const definition = valueDefinition(resolved, sub);
  if (scalars.every((entry) => entry.ref === undefined)) checkValueType(path, definition, op, value);
  return anyOf(scalars.map((entry) => compareScalar(ctx, path, entry, definition, op, value)));
}

function presenceOf(ctx: FilterContext, list: DnListAttribute): Filter {
  const present = new PresenceFilter({ attribute: list.ldapAttribute });
  const placeholder = ctx.layout.spec.objectClasses.some((oc) =>
    ctx.profile.memberPlaceholderClasses.includes(oc.toLowerCase()),
  );
  // groupOfNames keeps an empty DN as placeholder value; it is not a member.
  if (!placeholder) return present;
  return allOf([
    present,
    new NotFilter({ filter: new EqualityFilter({ attribute: list.ldapAttribute, value: '' }) }),
  ]);
}

function present(ctx: FilterContext, path: AttributePath): Filter {
  const resolved = resolve(ctx, path);
  const name = resolved.attribute.name;
  if (name === 'id' && resolved.schema === ctx.layout.schema.coreSchema.id) return matchAll();
  if (name === 'meta') return new PresenceFilter({ attribute: metaAttribute(ctx, path, resolved) });
  const list = ctx.layout.referenceFor(resolved.schema, name);
  if (list !== undefined) return presenceOf(ctx, list);
  const scalars =
    resolved.subAttribute === undefined
      ? ctx.layout.scalars.filter(
          (entry) => entry.scim.schema === resolved.schema && entry.scim.attribute === name,
        )
      : scalarsAt(ctx, resolved, resolved.subAttribute.name);
  if (scalars.length === 0) unsupported(path, 'it is not mapped to the directory');
  return anyOf(scalars.map((entry) => new PresenceFilter({ attribute: entry.target })));
}

/** Inside `emails[…]` for the values of one type: `type` is a constant, other sub-attributes are attributes. */
function insideTyped(
  ctx: FilterContext,
  resolved: ResolvedAttribute,
  typeValue: string | undefined,
  scalars: ScalarAttribute[],
  inner: ScimFilter,
): Filter {
  const recurse = (filter: ScimFilter) => insideTyped(ctx, resolved, typeValue, scalars, filter);
  switch (inner.kind) {
    case 'and':
      return allOf([recurse(inner.left), recurse(inner.right)]);
    case 'or':
      return anyOf([recurse(inner.left), recurse(inner.right)]);
    case 'not':
      return new NotFilter({ filter: recurse(inner.filter) });
    case 'valuePath':
      return unsupported(inner.path, 'value filters do not nest');
    case 'present':
    case 'compare': {
      const sub = inner.path.attribute;
      const fullPath: AttributePath = { attribute: resolved.attribute.name, subAttribute: sub };
      if (sub.toLowerCase() === 'type' && typeValue !== undefined) {
        if (inner.kind === 'present') return matchAll();
        const same = typeof inner.value === 'string' && inner.value.toLowerCase() === typeValue.toLowerCase();
        const holds = inner.op === 'eq' ? same : inner.op === 'ne' ? !same : undefined;
        if (holds === undefined) unsupported(fullPath, `only 'eq' and 'ne' apply to type`);
        return holds ? matchAll() : matchNothing();
      }
      const mine = scalars.filter(
        (entry) => (entry.scim.subAttribute ?? 'value').toLowerCase() === sub.toLowerCase(),
      );
      if (mine.length === 0) unsupported(fullPath, 'it is not mapped to the directory');
      if (inner.kind === 'present')
        return anyOf(mine.map((entry) => new PresenceFilter({ attribute: entry.target })));
      const definition = valueDefinition(resolved, sub);
      checkValueType(fullPath, definition, inner.op, inner.value);
      return anyOf(
        mine.map((entry) => compareScalar(ctx, fullPath, entry, definition, inner.op, inner.value)),
      );
    }
  }
}

/** Inside `members[…]`: `value eq <id>` becomes the DN; `type eq "Group"` is checked against the ids it is ANDed with. */
function insideReferences(
  ctx: FilterContext,
  list: DnListAttribute,
  inner: ScimFilter,
  typeOfIds?: readonly string[],
): Filter {
  const path = (sub: string): AttributePath => ({ attribute: list.scim.attribute, subAttribute: sub });
  switch (inner.kind) {
    case 'and': {
      const ids = [inner.left, inner.right]
        .filter(
          (side): side is CompareFilter =>
            side.kind === 'compare' && side.path.attribute.toLowerCase() === 'value' && side.op === 'eq',
        )
        .map((side) => referenceDn(ctx, side.value)?.type ?? '');
      return allOf([
        insideReferences(ctx, list, inner.left, ids),
        insideReferences(ctx, list, inner.right, ids),
      ]);
    }
    case 'or':
      return anyOf([insideReferences(ctx, list, inner.left), insideReferences(ctx, list, inner.right)]);
    case 'not':
      return new NotFilter({ filter: insideReferences(ctx, list, inner.filter) });
    case 'valuePath':
      return unsupported(inner.path, 'value filters do not nest');
    case 'present':
      if (inner.path.attribute.toLowerCase() === 'value') return presenceOf(ctx, list);
      return unsupported(path(inner.path.attribute), 'it is not stored in the directory');
    case 'compare': {
      const sub = inner.path.attribute.toLowerCase();
      if (sub === 'value')
        return compareReference(ctx, path('value'), list.ldapAttribute, inner.op, inner.value);
      if (sub === 'type' && typeOfIds !== undefined && typeOfIds.length > 0 && inner.op === 'eq') {
        const wanted = String(inner.value).toLowerCase();
        return typeOfIds.every((type) => type.toLowerCase() === wanted) ? matchAll() : matchNothing();
      }
      return unsupported(
        path(inner.path.attribute),
        'only value (and type next to value eq …) can be filtered',
      );
    }
  }
}

function valuePath(ctx: FilterContext, path: AttributePath, inner: ScimFilter): Filter {
  const resolved = resolve(ctx, path);
  const list = ctx.layout.referenceFor(resolved.schema, resolved.attribute.name);
  if (list !== undefined) return insideReferences(ctx, list, inner);
  const scalars = ctx.layout.scalars.filter(
    (entry) => entry.scim.schema === resolved.schema && entry.scim.attribute === resolved.attribute.name,
  );
  if (scalars.length === 0) unsupported(path, 'it is not mapped to the directory');
  // One alternative per mapped type: the value of that type exists and satisfies the inner filter.
  const types = [...new Set(scalars.map((entry) => entry.scim.typeValue))];
  return anyOf(
    types.map((typeValue) => {
      const mine = scalars.filter((entry) => entry.scim.typeValue === typeValue);
      const exists = anyOf(mine.map((entry) => new PresenceFilter({ attribute: entry.target })));
      return allOf([exists, insideTyped(ctx, resolved, typeValue, mine, inner)]);
    }),
  );
}

/**
 * A SCIM filter → one LDAP filter object (RFC 4515 semantics, values
 * escaped by the encoder, never concatenated). What the directory cannot
 * answer is 400 invalidFilter.
 */
export function filterToLdap(ctx: FilterContext, filter: ScimFilter): Filter {
  switch (filter.kind) {
    case 'and':
      return allOf([filterToLdap(ctx, filter.left), filterToLdap(ctx, filter.right)]);
    case 'or':
      return anyOf([filterToLdap(ctx, filter.left), filterToLdap(ctx, filter.right)]);
    case 'not':
      return new NotFilter({ filter: filterToLdap(ctx, filter.filter) });
    case 'present':
      return present(ctx, filter.path);
    case 'compare':
      return compare(ctx, filter);
    case 'valuePath':
      return valuePath(ctx, filter.path, filter.filter);
  }
}

/** The ids a filter compares reference attributes with (members.value, manager.value), to resolve to DNs first. */
export function referenceIdsInFilter(layout: LdapLayout, filter: ScimFilter): string[] {
  const ids: string[] = [];
  const isReference = (path: AttributePath): boolean => {
    const resolved = layout.schema.resolve(path);
    if (resolved === undefined) return false;
    if (layout.referenceFor(resolved.schema, resolved.attribute.name) !== undefined) return true;
    return layout.scalars.some(
      (entry) =>
        entry.ref !== undefined &&
        entry.scim.schema === resolved.schema &&
        entry.scim.attribute === resolved.attribute.name,
    );
  };
  const walk = (node: ScimFilter, insideReference: boolean): void => {
    switch (node.kind) {
      case 'and':
      case 'or':
        walk(node.left, insideReference);
        walk(node.right, insideReference);
        return;
      case 'not':
        walk(node.filter, insideReference);
        return;
      case 'valuePath':
        walk(node.filter, isReference(node.path));
        return;
      case 'present':
        return;
      case 'compare': {
        const relevant = insideReference
          ? node.path.attribute.toLowerCase() === 'value'
          : isReference(node.path);
        if (relevant && typeof node.value === 'string') ids.push(node.value);
      }
    }
  };
  walk(filter, false);
  return ids;
}
