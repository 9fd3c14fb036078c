import { isPlainObject } from './schema/coerce-value.js';
import { findAttribute } from './schema/find-attribute.js';
import type { AttributeDefinition, ResourceSchema, ScimResource } from './schema/model.js';
import { splitAttributeName } from './schema/resource-schema.js';

/** `attributes` / `excludedAttributes` as the client sent them (RFC 7644 §3.4.2.5). */
export interface AttributeSelection {
  readonly attributes?: readonly string[];
  readonly excludedAttributes?: readonly string[];
}

/** Splits the comma-separated query parameter; blanks dropped. */
export function parseAttributeList(text?: string): string[] {
  if (text === undefined) return [];
  return text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
}

/** Names resolved against the schema: whole attributes, single sub-attributes, whole schemas. */
interface NameSet {
  readonly whole: Set<string>;
  readonly subs: Map<string, Set<string>>;
  readonly schemas: Set<string>;
}

const attributeKey = (schemaUrn: string, name: string): string =>
  `${schemaUrn.toLowerCase()}|${name.toLowerCase()}`;

function resolveNames(schema: ResourceSchema, names: readonly string[] | undefined): NameSet {
  const set: NameSet = { whole: new Set(), subs: new Map(), schemas: new Set() };
  for (const name of names ?? []) {
    const urn = schema.schemaUrns.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
    if (urn !== undefined) {
      set.schemas.add(urn.toLowerCase());
      continue;
    }
    const split = splitAttributeName(schema.schemaUrns, name);
    const resolved = split === undefined ? undefined : schema.resolve(split);
    if (resolved === undefined) continue; // unknown names select nothing
    const key = attributeKey(resolved.schema, resolved.attribute.name);
    if (resolved.subAttribute === undefined) {
      set.whole.add(key);
    } else {
      const subs = set.subs.get(key) ?? new Set<string>();
      subs.add(resolved.subAttribute.name.toLowerCase());
      set.subs.set(key, subs);
    }
  }
  return set;
}

/** How one attribute (or sub-attribute) is returned: not at all, whole, or only some sub-attributes. */
type Decision =
  | { readonly include: false }
  | { readonly include: true; readonly onlySubs?: ReadonlySet<string> };

const INCLUDED: Decision = { include: true };
const LEFT_OUT: Decision = { include: false };

class Selector {
  private readonly requested: NameSet;
  private readonly excluded: NameSet;
  private readonly hasAttributes: boolean;
  /** Neither list given (most requests): only the `returned` characteristic decides. */
  private readonly nothingNamed: boolean;

  constructor(schema: ResourceSchema, selection: AttributeSelection) {
    this.requested = resolveNames(schema, selection.attributes);
    this.excluded = resolveNames(schema, selection.excludedAttributes);
    this.hasAttributes = (selection.attributes ?? []).length > 0;
    this.nothingNamed = !this.hasAttributes && (selection.excludedAttributes ?? []).length === 0;
  }

  decide(schemaUrn: string, definition: AttributeDefinition): Decision {
    if (definition.returned === 'never') return LEFT_OUT;
    if (definition.returned === 'always') return INCLUDED;
    if (this.nothingNamed) return definition.returned === 'request' ? LEFT_OUT : INCLUDED;
    const key = attributeKey(schemaUrn, definition.name);
    const namedWhole = this.requested.whole.has(key) || this.requested.schemas.has(schemaUrn.toLowerCase());
    const namedSubs = this.requested.subs.get(key);
    if (this.hasAttributes) {
      if (namedWhole) return INCLUDED;
      return namedSubs === undefined ? LEFT_OUT : { include: true, onlySubs: namedSubs };
    }
    // RFC 7643 §2.4: `request` attributes come back only when asked for by name.
    if (definition.returned === 'request' && !namedWhole && namedSubs === undefined) return LEFT_OUT;
    if (this.excluded.whole.has(key) || this.excluded.schemas.has(schemaUrn.toLowerCase())) return LEFT_OUT;
    return INCLUDED;
  }

  /** Sub-attribute rules within an included complex attribute. */
  includesSub(
    schemaUrn: string,
    parent: AttributeDefinition,
    sub: AttributeDefinition,
    decision: Decision,
  ): boolean {
    if (!decision.include || sub.returned === 'never') return false;
    if (sub.returned === 'always') return true;
    if (this.nothingNamed) return sub.returned !== 'request';
    const subName = sub.name.toLowerCase();
    if (decision.onlySubs !== undefined) return decision.onlySubs.has(subName);
    const key = attributeKey(schemaUrn, parent.name);
    if (sub.returned === 'request') return this.requested.subs.get(key)?.has(subName) === true;
    return this.excluded.subs.get(key)?.has(subName) !== true;
  }
}

function projectComplex(
  selector: Selector,
  schemaUrn: string,
  definition: AttributeDefinition,
  decision: Decision,
  value: unknown,
): unknown {
  if (!isPlainObject(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const sub = findAttribute(definition.subAttributes, key);
    if (sub === undefined || !selector.includesSub(schemaUrn, definition, sub, decision)) continue;
    result[sub.name] = inner;
  }
  return Object.keys(result).length === 0 ? undefined : result;
}

function projectValue(
  selector: Selector,
  schemaUrn: string,
  definition: AttributeDefinition,
  value: unknown,
): unknown {
  const decision = selector.decide(schemaUrn, definition);
  if (!decision.include) return undefined;
  if (definition.type !== 'complex') return value;
  if (Array.isArray(value)) {
    const items = value
      .map((item) => projectComplex(selector, schemaUrn, definition, decision, item))
      .filter((item) => item !== undefined);
    return items.length === 0 ? undefined : items;
  }
  return projectComplex(selector, schemaUrn, definition, decision, value);
}

function projectAttributes(
  schema: ResourceSchema,
  selector: Selector,
  schemaUrn: string,
  container: Record<string, unknown>,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(container)) {
    const resolved = schema.resolve({ schema: schemaUrn, attribute: key });
    if (resolved === undefined || resolved.schema !== schemaUrn) continue;
    const projected = projectValue(selector, schemaUrn, resolved.attribute, value);
    if (projected !== undefined && projected !== null) result[resolved.attribute.name] = projected;
  }
  return result;
}

/**
 * Applies `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5) and the
 * `returned` characteristic (RFC 7643 §2.4) to a resource: `schemas` and
 * `always` attributes (id) always, `never` (password) never, `request` only
 * when named, `default` unless excluded or not among `attributes`. Names may
 * be sub-attributes (`name.givenName`) or URN-qualified; a bare extension URN
 * selects the whole extension. Attributes outside the schemas are not returned.
 */
export function projectResource(
  schema: ResourceSchema,
  resource: ScimResource,
  selection: AttributeSelection,
): ScimResource {
  return createProjector(schema, selection)(resource);
}

/** projectResource for many resources with one selection (a page): the names are resolved once. */
export function createProjector(
  schema: ResourceSchema,
  selection: AttributeSelection,
): (resource: ScimResource) => ScimResource {
  const selector = new Selector(schema, selection);
  return (resource) => project(schema, selector, resource);
}

function project(schema: ResourceSchema, selector: Selector, resource: ScimResource): ScimResource {
  const result: ScimResource = {};
  const extensionsPresent: string[] = [];
  for (const [key, value] of Object.entries(resource)) {
    if (key === 'schemas' || key.toLowerCase() === 'schemas') continue;
    // Only a URN can name an extension; most keys are plain attribute names.
    const extension = key.includes(':')
      ? schema.extensions.find((ext) => ext.id.toLowerCase() === key.toLowerCase())
      : undefined;
    if (extension !== undefined) {
      if (!isPlainObject(value)) continue;
      const projected = projectAttributes(schema, selector, extension.id, value);
      if (Object.keys(projected).length > 0) {
        result[extension.id] = projected;
        extensionsPresent.push(extension.id);
      }
      continue;
    }
    const resolved = schema.resolve({ schema: schema.coreSchema.id, attribute: key });
    if (resolved === undefined) continue;
    const projected = projectValue(selector, resolved.schema, resolved.attribute, value);
    if (projected !== undefined && projected !== null) result[resolved.attribute.name] = projected;
  }
  return { schemas: [schema.coreSchema.id, ...extensionsPresent], ...result };
}

/**
 * Whether a top-level attribute will appear in the response at all, so a
 * store can skip expensive reads (a group's 100,000 members).
 */
export function isAttributeRequested(
  schema: ResourceSchema,
  selection: AttributeSelection,
  attr: { schema: string; attribute: string },
): boolean {
  const resolved = schema.resolve({ schema: attr.schema, attribute: attr.attribute });
  if (resolved === undefined) return false;
  return new Selector(schema, selection).decide(resolved.schema, resolved.attribute).include;
}
