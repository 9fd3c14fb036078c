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

/**
 * What projection does with one key of a resource (or of an extension
 * object), worked out once from the schema and the selection: the
 * attribute's name as the schema spells it, and for a complex attribute what
 * each sub-attribute key becomes (its schema name, or null: left out).
 */
interface AttributeRule {
  readonly name: string;
  readonly complex: boolean;
  readonly subs: Map<string, string | null>;
  readonly definition: AttributeDefinition;
  readonly decision: Decision;
  readonly schemaUrn: string;
}

/** Keys remembered per projection: they come from stores (the mapping's attributes), bounded all the same. */
const MAX_REMEMBERED_KEYS = 1024;

/**
 * A selection applied to one schema, with a rule per resource key
 * remembered after its first use: a page — or, for the default selection,
 * every request of the resource type — resolves each key and sub-attribute
 * once instead of per value.
 */
class CompiledProjection {
  private readonly coreRules = new Map<string, AttributeRule | null>();
  private readonly extensionRules = new Map<string, Map<string, AttributeRule | null>>();
  /** Extension by key as it appears in resources (a URN, any case); null: not an extension of the schema. */
  private readonly extensionOfKey = new Map<string, string | null>();

  constructor(
    private readonly schema: ResourceSchema,
    readonly selector: Selector,
  ) {}

  project(resource: ScimResource): ScimResource {
    const schema = this.schema;
    // `schemas` first, as a client expects it; filled in once the extensions present are known.
    const result: ScimResource = { schemas: [] };
    const extensionsPresent: string[] = [];
    for (const key of Object.keys(resource)) {
      const value = resource[key];
      // Only a URN can name an extension; most keys are plain attribute names.
      const extension = key.includes(':') ? this.extensionFor(key) : null;
      if (extension !== null) {
        if (!isPlainObject(value)) continue;
        const projected = this.projectContainer(extension, value);
        if (projected !== undefined) {
          result[extension] = projected;
          extensionsPresent.push(extension);
        }
        continue;
      }
      if (key === 'schemas' || key.toLowerCase() === 'schemas') continue;
      const rule = this.ruleFor(this.coreRules, schema.coreSchema.id, key);
      if (rule === null) continue;
      const projected = projectWithRule(this.selector, rule, value);
      if (projected !== undefined && projected !== null) result[rule.name] = projected;
    }
    result.schemas = [schema.coreSchema.id, ...extensionsPresent];
    return result;
  }

  private projectContainer(extension: string, container: Record<string, unknown>) {
    let rules = this.extensionRules.get(extension);
    if (rules === undefined) {
      rules = new Map();
      this.extensionRules.set(extension, rules);
    }
    let result: Record<string, unknown> | undefined;
    for (const key of Object.keys(container)) {
      const rule = this.ruleFor(rules, extension, key);
      if (rule === null) continue;
      const projected = projectWithRule(this.selector, rule, container[key]);
      if (projected === undefined || projected === null) continue;
      result ??= {};
      result[rule.name] = projected;
    }
    return result;
  }

  private extensionFor(key: string): string | null {
    let extension = this.extensionOfKey.get(key);
    if (extension === undefined) {
      const lower = key.toLowerCase();
      extension = this.schema.extensions.find((ext) => ext.id.toLowerCase() === lower)?.id ?? null;
      if (this.extensionOfKey.size < MAX_REMEMBERED_KEYS) this.extensionOfKey.set(key, extension);
    }
    return extension;
  }

  /** The rule for `key` of the container of `schemaUrn`; null: the key is left out. */
  private ruleFor(
    rules: Map<string, AttributeRule | null>,
    schemaUrn: string,
    key: string,
  ): AttributeRule | null {
    let rule = rules.get(key);
    if (rule === undefined) {
      rule = this.makeRule(schemaUrn, key);
      if (rules.size < MAX_REMEMBERED_KEYS) rules.set(key, rule);
    }
    return rule;
  }

  private makeRule(schemaUrn: string, key: string): AttributeRule | null {
    const resolved = this.schema.resolve({ schema: schemaUrn, attribute: key });
    // A core key must name a core (or common) attribute, an extension key one of that extension.
    if (resolved === undefined || resolved.schema !== schemaUrn) return null;
    const decision = this.selector.decide(resolved.schema, resolved.attribute);
    if (!decision.include) return null;
    return {
      name: resolved.attribute.name,
      complex: resolved.attribute.type === 'complex',
      subs: new Map(),
      definition: resolved.attribute,
      decision,
      schemaUrn: resolved.schema,
    };
  }
}

/** One attribute's value under its rule; undefined: nothing of it is returned. */
function projectWithRule(selector: Selector, rule: AttributeRule, value: unknown): unknown {
  if (!rule.complex) return value;
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) {
      const projected = projectComplex(selector, rule, item);
      if (projected !== undefined) items.push(projected);
    }
    return items.length === 0 ? undefined : items;
  }
  return projectComplex(selector, rule, value);
}

/**
 * A complex value with the sub-attributes the rule returns. When it returns
 * every key as it is spelled — the usual case: stores write schema names —
 * the value itself is returned rather than a copy (nothing changes either).
 */
function projectComplex(selector: Selector, rule: AttributeRule, value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  const keys = Object.keys(value);
  let unchanged = keys.length > 0;
  for (const key of keys) {
    if (subName(selector, rule, key) !== key) {
      unchanged = false;
      break;
    }
  }
  if (unchanged) return value;
  let result: Record<string, unknown> | undefined;
  for (const key of keys) {
    const name = subName(selector, rule, key);
    if (name === null) continue;
    result ??= {};
    result[name] = value[key];
  }
  return result;
}

/** What a sub-attribute key of the rule's attribute becomes: its schema name, or null when left out. */
function subName(selector: Selector, rule: AttributeRule, key: string): string | null {
  let name = rule.subs.get(key);
  if (name === undefined) {
    const sub = findAttribute(rule.definition.subAttributes, key);
    name =
      sub !== undefined && selector.includesSub(rule.schemaUrn, rule.definition, sub, rule.decision)
        ? sub.name
        : null;
    if (rule.subs.size < MAX_REMEMBERED_KEYS) rule.subs.set(key, name);
  }
  return name;
}

/**
 * Applies `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5) and the
 * `returned` characteristic (RFC 7643 §2.4) to a resource (a new object,
 * which may share unchanged complex values with the input): `schemas` and
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

/** Selections remembered per schema: clients repeat a few (none; Entra's `excludedAttributes=members`). */
const MAX_REMEMBERED_SELECTIONS = 64;

/** Compiled projections per schema, by selection (see selectionKey). */
const projections = new WeakMap<ResourceSchema, Map<string, CompiledProjection>>();

/** The projection of a selection that names nothing, per schema. */
const defaultProjections = new WeakMap<ResourceSchema, CompiledProjection>();

/** One key per selection: the names as sent, in order (another order is another key, and still right). */
function selectionKey(selection: AttributeSelection): string {
  return `${(selection.attributes ?? []).join('\u0000')}\u0001${(selection.excludedAttributes ?? []).join('\u0000')}`;
}

/**
 * The projection of `selection` over `schema`, shared by every request that
 * sends the same selection: its names are resolved and its rules worked out
 * once. At most MAX_REMEMBERED_SELECTIONS per schema (the oldest goes first).
 */
function projectionFor(schema: ResourceSchema, selection: AttributeSelection): CompiledProjection {
  // Most requests name nothing: their projection is found without building a key.
  if ((selection.attributes?.length ?? 0) === 0 && (selection.excludedAttributes?.length ?? 0) === 0) {
    let projection = defaultProjections.get(schema);
    if (projection === undefined) {
      projection = new CompiledProjection(schema, new Selector(schema, {}));
      defaultProjections.set(schema, projection);
    }
    return projection;
  }
  let bySelection = projections.get(schema);
  if (bySelection === undefined) {
    bySelection = new Map();
    projections.set(schema, bySelection);
  }
  const key = selectionKey(selection);
  let projection = bySelection.get(key);
  if (projection === undefined) {
    projection = new CompiledProjection(schema, new Selector(schema, selection));
    if (bySelection.size >= MAX_REMEMBERED_SELECTIONS) {
      const oldest = bySelection.keys().next().value;
      if (oldest !== undefined) bySelection.delete(oldest);
    }
    bySelection.set(key, projection);
  }
  return projection;
}

/** projectResource for many resources with one selection (a page): names and rules are resolved once. */
export function createProjector(
  schema: ResourceSchema,
  selection: AttributeSelection,
): (resource: ScimResource) => ScimResource {
  const projection = projectionFor(schema, selection);
  return (resource) => projection.project(resource);
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
  return projectionFor(schema, selection).selector.decide(resolved.schema, resolved.attribute).include;
}
