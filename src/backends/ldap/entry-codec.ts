import type { Entry } from 'ldapts';
import type { ScalarAttribute } from '../../mapping/compiled-mapping.js';
import { isPlainObject } from '../../scim/schema/coerce-value.js';
import { findKey } from '../../scim/schema/find-attribute.js';
import type { ScimResource } from '../../scim/schema/model.js';
import type { DirectoryProfile } from './directory-profile.js';
import { normalizeDn } from './dn-text.js';
import type { DnListAttribute, LdapLayout } from './ldap-resource-layout.js';
import { fromLdapText, generalizedToIso, type LdapValue, toLdapText, valuesOf } from './ldap-values.js';
import { idFromLdap } from './resource-id.js';

/** A resolved reference: the SCIM id and resource type behind a DN. */
export interface ReferenceTarget {
  readonly id: string;
  readonly type: string;
  readonly dn: string;
}

/** DN (normalised) → referenced resource, for the DNs of one page. */
export type DnIndex = ReadonlyMap<string, ReferenceTarget>;

type Container = Record<string, unknown>;

function isCore(layout: LdapLayout, schemaUrn: string): boolean {
  return schemaUrn === layout.schema.coreSchema.id;
}

function containerOf(
  layout: LdapLayout,
  resource: ScimResource,
  schemaUrn: string,
  create: boolean,
): Container | undefined {
  if (isCore(layout, schemaUrn)) return resource;
  const key = findKey(resource, schemaUrn);
  const existing = key === undefined ? undefined : resource[key];
  if (isPlainObject(existing)) return existing;
  if (!create) return undefined;
  const fresh: Container = {};
  resource[schemaUrn] = fresh;
  return fresh;
}

function read(container: Container | undefined, name: string): unknown {
  if (container === undefined) return undefined;
  const key = findKey(container, name);
  return key === undefined ? undefined : container[key];
}

function text(value: LdapValue): string {
  return typeof value === 'string' ? value : value.toString('utf8');
}

/** The SCIM value of one scalar mapping, from the entry. */
function scalarFromEntry(layout: LdapLayout, entry: ScalarAttribute, ldap: Entry, dns: DnIndex): unknown {
  const values = valuesOf(ldap, entry.target).filter((value) => value.length > 0);
  const first = values[0];
  if (first === undefined) return undefined;
  if (entry.ref !== undefined) {
    const target = dns.get(normalizeDn(text(first)));
    return target === undefined ? undefined : target.id;
  }
  if (entry.transform !== undefined)
    return entry.transform.fromBackend(typeof first === 'string' ? first : first);
  return fromLdapText(layout.definitionOf(entry).value, text(first));
}

function setScalar(layout: LdapLayout, resource: ScimResource, entry: ScalarAttribute, value: unknown): void {
  const { attribute, value: valueDefinition } = layout.definitionOf(entry);
  const container = containerOf(layout, resource, entry.scim.schema, true);
  if (container === undefined) return;
  const { subAttribute, typeValue } = entry.scim;
  if (typeValue !== undefined) {
    // Typed pick: one element of a multi-valued attribute per type.
    const list = Array.isArray(container[attribute.name]) ? (container[attribute.name] as Container[]) : [];
    let element = list.find((item) => String(item.type).toLowerCase() === typeValue.toLowerCase());
    if (element === undefined) {
      element = { type: typeValue };
      list.push(element);
    }
    element[valueDefinition.name] = value;
    container[attribute.name] = list;
  } else if (subAttribute === undefined && attribute.type === 'complex') {
    // A whole reference such as the enterprise manager: { value }.
    container[attribute.name] = { value };
  } else if (subAttribute !== undefined) {
    const parent = isPlainObject(container[attribute.name]) ? (container[attribute.name] as Container) : {};
    parent[valueDefinition.name] = value;
    container[attribute.name] = parent;
  } else {
    container[attribute.name] = value;
  }
}

/** The DNs an entry refers to (manager, members, memberOf) that a read must resolve to ids. */
export function referencedDns(layout: LdapLayout, ldap: Entry, lists: readonly DnListAttribute[]): string[] {
  const dns: string[] = [];
  for (const entry of layout.scalars) {
    if (entry.ref !== undefined) dns.push(...valuesOf(ldap, entry.target).map(text));
  }
  for (const list of lists) dns.push(...valuesOf(ldap, list.ldapAttribute).map(text));
  return dns.filter((dn) => dn !== '');
}

/**
 * A search entry → the SCIM resource (wire shape, no meta.location).
 * `lists` are the reference lists that were read; the others are left out.
 */
export function resourceFromEntry(
  layout: LdapLayout,
  profile: DirectoryProfile,
  ldap: Entry,
  dns: DnIndex,
  lists: readonly DnListAttribute[],
): ScimResource {
  const id = idFromLdap(profile, valuesOf(ldap, layout.spec.idAttribute)[0]) ?? '';
  const resource: ScimResource = { id };
  for (const entry of layout.scalars) {
    const value = scalarFromEntry(layout, entry, ldap, dns);
    if (value !== undefined && value !== null && value !== '') setScalar(layout, resource, entry, value);
  }
  for (const list of lists) {
    const values = valuesOf(ldap, list.ldapAttribute)
      .map(text)
      .filter((dn) => dn !== '')
      .map((dn) => dns.get(normalizeDn(dn)))
      .filter((target): target is ReferenceTarget => target !== undefined)
      .map((target) => ({ value: target.id, type: target.type }));
    if (values.length === 0) continue;
    const container = containerOf(layout, resource, list.scim.schema, true);
    if (container !== undefined) container[list.scim.attribute] = values;
  }
  const meta: Container = { resourceType: layout.name };
  const created = valuesOf(ldap, profile.createdAttribute)[0];
  const modified = valuesOf(ldap, profile.modifiedAttribute)[0];
  const version = valuesOf(ldap, profile.versionAttribute)[0];
  if (created !== undefined) meta.created = generalizedToIso(text(created));
  if (modified !== undefined) meta.lastModified = generalizedToIso(text(modified));
  if (version !== undefined) meta.version = text(version);
  const schemas = [
    layout.schema.coreSchema.id,
    ...layout.schema.extensions.filter((ext) => findKey(resource, ext.id) !== undefined).map((ext) => ext.id),
  ];
  return { schemas, ...resource, meta };
}

/**
 * The SCIM value a scalar mapping takes from a resource. A typed pick
 * (`emails[type eq "work"].value`) takes the value of that type; an untyped
 * element counts as the only one when no element carries a type.
 */
export function scimScalarValue(layout: LdapLayout, resource: ScimResource, entry: ScalarAttribute): unknown {
  const { attribute, value: valueDefinition } = layout.definitionOf(entry);
  const container = containerOf(layout, resource, entry.scim.schema, false);
  const raw = read(container, attribute.name);
  const { subAttribute, typeValue } = entry.scim;
  if (typeValue !== undefined) {
    if (!Array.isArray(raw)) return undefined;
    const elements = raw.filter(isPlainObject);
    const typed = elements.find(
      (item) => String(read(item, 'type') ?? '').toLowerCase() === typeValue.toLowerCase(),
    );
    return typed === undefined ? undefined : read(typed, valueDefinition.name);
  }
  if (subAttribute === undefined && attribute.type === 'complex') {
    return isPlainObject(raw) ? read(raw, 'value') : raw;
  }
  if (subAttribute !== undefined) return isPlainObject(raw) ? read(raw, valueDefinition.name) : undefined;
  return raw;
}

/** The LDAP values a scalar mapping writes for a SCIM value ([] = remove the attribute). */
export function ldapValuesFor(
  layout: LdapLayout,
  entry: ScalarAttribute,
  value: unknown,
  dnOfReference: (id: string) => string | undefined,
): LdapValue[] {
  if (value === undefined || value === null || value === '') return [];
  const label =
    entry.scim.subAttribute === undefined
      ? entry.scim.attribute
      : `${entry.scim.attribute}.${entry.scim.subAttribute}`;
  if (entry.ref !== undefined) {
    const dn = dnOfReference(String(value));
    return dn === undefined ? [] : [dn];
  }
  const converted = entry.transform === undefined ? value : entry.transform.toBackend(value);
  if (converted === undefined || converted === null || converted === '') return [];
  if (Buffer.isBuffer(converted)) return [converted];
  return [toLdapText(layout.definitionOf(entry).value, converted, label)];
}
