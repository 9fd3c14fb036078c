import { AndFilter, EqualityFilter, type Filter, FilterParser } from 'ldapts';
import type {
  CompiledMapping,
  CompiledResourceType,
  LdapResourceSpec,
  ReferenceListAttribute,
  ScalarAttribute,
} from '../../mapping/compiled-mapping.js';
import type { AttributeDefinition, ResourceSchema } from '../../scim/schema/model.js';
import { normalizeDn } from './dn-text.js';

/** A reference list held in an LDAP attribute of DNs (`member`, `memberOf`). */
export type DnListAttribute = ReferenceListAttribute & { readonly ldapAttribute: string };

/** One resource type as the LDAP adapter sees it. */
export class LdapLayout {
  readonly name: string;
  readonly schema: ResourceSchema;
  readonly spec: LdapResourceSpec;
  readonly scalars: readonly ScalarAttribute[];
  readonly references: readonly DnListAttribute[];
  /** `(&(objectClass=…)…)` or the mapping's filter: what makes an entry this resource type. */
  readonly typeFilter: Filter;
  /** normalizeDn(base), to test "is this DN one of mine" without normalising the base per DN. */
  readonly baseKey: string;
  /** definitionOf() per mapping entry: schema resolution is work a read would otherwise repeat per attribute. */
  private readonly definitions = new WeakMap<
    object,
    { attribute: AttributeDefinition; value: AttributeDefinition }
  >();

  constructor(compiled: CompiledResourceType) {
    if (compiled.ldap === undefined) throw new Error(`Resource type ${compiled.name} has no LDAP settings`);
    this.name = compiled.name;
    this.schema = compiled.schema;
    this.spec = compiled.ldap;
    this.scalars = compiled.attributes.filter((entry): entry is ScalarAttribute => entry.kind === 'scalar');
    this.references = compiled.attributes.filter(
      (entry): entry is DnListAttribute =>
        entry.kind === 'referenceList' && entry.ldapAttribute !== undefined,
    );
    this.typeFilter = this.buildTypeFilter();
    this.baseKey = normalizeDn(this.spec.base);
  }

  private buildTypeFilter(): Filter {
    // The mapping's own filter is configuration, not client input.
    if (this.spec.baseFilter !== undefined) return FilterParser.parseString(this.spec.baseFilter);
    const classes = this.spec.objectClasses.filter((oc) => oc.toLowerCase() !== 'top');
    const filters = classes.map((oc) => new EqualityFilter({ attribute: 'objectClass', value: oc }));
    if (filters.length === 1 && filters[0] !== undefined) return filters[0];
    return new AndFilter({ filters });
  }

  /** The definition of a mapped attribute (and of its sub-attribute). */
  definitionOf(entry: { scim: { schema: string; attribute: string; subAttribute?: string } }): {
    attribute: AttributeDefinition;
    value: AttributeDefinition;
  } {
    const known = this.definitions.get(entry);
    if (known !== undefined) return known;
    const { schema, attribute, subAttribute } = entry.scim;
    const resolved = this.schema.resolve({
      schema,
      attribute,
      ...(subAttribute === undefined ? {} : { subAttribute }),
    });
    if (resolved === undefined) throw new Error(`${this.name}: ${attribute} is not in the schema`);
    const definition = { attribute: resolved.attribute, value: resolved.subAttribute ?? resolved.attribute };
    this.definitions.set(entry, definition);
    return definition;
  }

  /** Scalars mapping `attribute[.sub]` of `schema`, any type value. */
  scalarsFor(schema: string, attribute: string, subAttribute?: string): ScalarAttribute[] {
    const lower = (text: string | undefined) => text?.toLowerCase();
    return this.scalars.filter(
      (entry) =>
        entry.scim.schema === schema &&
        entry.scim.attribute === attribute &&
        lower(entry.scim.subAttribute) === lower(subAttribute),
    );
  }

  referenceFor(schema: string, attribute: string): DnListAttribute | undefined {
    return this.references.find(
      (entry) => entry.scim.schema === schema && entry.scim.attribute === attribute,
    );
  }

  /** Whether the entry's objectClasses make it this type (for DNs of mixed types under one base). */
  hasObjectClasses(objectClasses: readonly string[]): boolean {
    const have = new Set(objectClasses.map((oc) => oc.toLowerCase()));
    return this.spec.objectClasses.every((oc) => have.has(oc.toLowerCase()));
  }
}

export class LdapLayouts {
  private readonly byName = new Map<string, LdapLayout>();

  constructor(mapping: CompiledMapping) {
    for (const type of mapping.resourceTypes) this.byName.set(type.name.toLowerCase(), new LdapLayout(type));
  }

  get names(): string[] {
    return [...this.byName.values()].map((layout) => layout.name);
  }

  get all(): LdapLayout[] {
    return [...this.byName.values()];
  }

  find(name: string): LdapLayout | undefined {
    return this.byName.get(name.toLowerCase());
  }

  get(name: string): LdapLayout {
    const layout = this.find(name);
    if (layout === undefined) throw new Error(`This mapping serves no resource type ${name}`);
    return layout;
  }
}
